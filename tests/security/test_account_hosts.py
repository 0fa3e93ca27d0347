"""Only the exact hosts of the Domain table serve a regency (docs/security-findings.md, item 6)."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.services import COUNTS


@pytest.mark.parametrize("host", ["www.kota-blitar.localhost", "WWW.kota-blitar.localhost",
                                  "www.trenggalek.localhost:8000", "www.www.kota-blitar.localhost"])
def test_www_prefix_of_a_regency_is_no_regency(host, blitar, officer):
    person = officer(blitar, "regency_admin", full_name="Admin WWW Blitar")
    client = Client(HTTP_HOST=host)
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    for path in ("/", "/petugas/", "/api/v1/regency/"):
        response = client.get(path)
        COUNTS["probes"] += 1
        leaked = b"Blitar" in response.content or b"Trenggalek" in response.content
        COUNTS["leaks"] += leaked
        assert response.status_code == 404, (host, path, response.status_code)
        assert not leaked


def test_www_of_the_apex_redirects_to_the_apex(db):
    response = Client(HTTP_HOST="www.localhost").get("/portal/?a=1")
    assert response.status_code == 301
    assert response["Location"] == "http://localhost/portal/?a=1"


def test_exact_hosts_still_serve(blitar):
    assert Client(HTTP_HOST="kota-blitar.localhost").get("/").status_code == 200
    assert Client(HTTP_HOST="KOTA-BLITAR.localhost").get("/").status_code == 200
    assert Client(HTTP_HOST="localhost").get("/").status_code == 200
