"""What a regency's client relies on: a rate limit per token (429 + Retry-After) and ETag/If-None-Match."""
from __future__ import annotations

import pytest

from pintu.api_throttle import AnonRateThrottle, TokenRateThrottle


@pytest.fixture
def three_per_minute(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "rate", "3/minute", raising=False)
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)


def test_a_token_past_its_rate_gets_429_with_retry_after_and_another_token_does_not(
        three_per_minute, api, officer, trenggalek):
    first = api(trenggalek, officer(trenggalek, "verifier"))
    for _ in range(3):
        assert first.get("/api/v1/worklist/").status_code == 200
    refused = first.get("/api/v1/worklist/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled" and refused.json()["message"]
    # Another token (another officer) has its own budget.
    assert api(trenggalek, officer(trenggalek, "verifier")).get("/api/v1/worklist/").status_code == 200


def test_anonymous_callers_are_limited_per_address(three_per_minute, api, trenggalek):
    client = api(trenggalek)
    statuses = [client.get("/api/v1/catalog/permit-types/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_documents_list_429_and_its_shape(client_for, trenggalek):
    document = client_for(trenggalek).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    worklist = document["paths"]["/api/v1/worklist/"]["get"]["responses"]
    assert worklist["429"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"


def test_list_endpoints_answer_an_etag_and_304_when_unchanged(api, trenggalek, trenggalek_office, officer):
    from django_tenants.utils import schema_context

    office = trenggalek_office
    client = api(trenggalek)
    first = client.get("/api/v1/catalog/permit-types/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = client.get("/api/v1/catalog/permit-types/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    # A change in the catalog changes the tag: the client downloads it again.
    from permits.services.catalog import permit_type_update

    with schema_context(trenggalek.schema_name):
        permit_type_update(permit_type=office.permit_type, name="Surat Izin Praktik (baru)")
    changed = client.get("/api/v1/catalog/permit-types/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # Lists of a signed-in person carry a tag too; pages (HTML) do not get one from this middleware.
    inbox = api(trenggalek, officer(trenggalek, "verifier")).get("/api/v1/inbox/")
    assert inbox.status_code == 200 and inbox["ETag"]
    assert not client.get("/transparansi/").has_header("ETag")
