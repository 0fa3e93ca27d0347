"""One regency's data never reaches another."""
import pytest
from django_tenants.utils import schema_context

from pintu.access.models import Membership, Role
from pintu.audit.models import AuditEntry
from tenants.services import regency_status_set


def test_a_row_in_trenggalek_is_invisible_from_blitar(trenggalek, blitar, officer, client_for):
    t_admin = officer(trenggalek, Role.REGENCY_ADMIN, email="admin.t@contoh.id")
    b_admin = officer(blitar, Role.REGENCY_ADMIN, email="admin.b@contoh.id")
    t_clerk = officer(trenggalek, Role.FRONT_OFFICE, email="loket.t@contoh.id", full_name="Budi Loket Trenggalek")

    with schema_context("kota_blitar"):
        assert not Membership.objects.filter(user_id=t_clerk.pk).exists()

    page = client_for(blitar, b_admin).get("/petugas/")
    assert page.status_code == 200
    assert b"Budi Loket Trenggalek" not in page.content and b"loket.t@contoh.id" not in page.content

    api = client_for(blitar, b_admin).get("/api/v1/officers/")
    assert api.status_code == 200
    emails = [row["email"] for row in api.json()["results"]]
    assert "admin.b@contoh.id" in emails and "loket.t@contoh.id" not in emails

    own = client_for(trenggalek, t_admin).get("/api/v1/officers/").json()["results"]
    assert "loket.t@contoh.id" in [row["email"] for row in own]


def test_a_blitar_officer_gets_403_on_trenggalek(trenggalek, blitar, officer, client_for):
    b_admin = officer(blitar, Role.REGENCY_ADMIN)
    client = client_for(trenggalek, b_admin)
    assert client.get("/petugas/").status_code == 403
    response = client.get("/api/v1/officers/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_an_applicant_session_alone_grants_nothing(trenggalek, applicant, client_for):
    client = client_for(trenggalek, applicant)
    assert client.get("/petugas/").status_code == 403
    assert client.get("/api/v1/officers/").status_code == 403


def test_anonymous_is_sent_to_sign_in_and_refused_by_the_api(trenggalek, client_for):
    client = client_for(trenggalek)
    response = client.get("/petugas/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    assert client.get("/api/v1/officers/").status_code in (401, 403)


@pytest.mark.parametrize("host", ["unknown.localhost", "127.0.0.1", "trenggalek.localhost.evil.example", "bogus.example"])
def test_an_unknown_host_gets_a_404_page_not_public_content(host, client_for, trenggalek):
    from django.test import Client

    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code in (400, 404)
    assert "daerah melayani di Pintu".encode() not in response.content
    assert b"Trenggalek" not in response.content


def test_unknown_subdomain_page_is_indonesian(db):
    from django.test import Client

    response = Client(HTTP_HOST="atlantis.localhost").get("/")
    assert response.status_code == 404
    assert "Alamat tidak dikenal".encode() in response.content


def test_forwarded_host_header_does_not_switch_regency(trenggalek, blitar, client_for):
    response = client_for(blitar).get("/api/v1/regency/", HTTP_X_FORWARDED_HOST="trenggalek.localhost")
    assert response.json()["code"] == "3572"


def test_regency_in_the_path_of_the_apex_is_not_served(client_for, db):
    assert client_for(None).get("/trenggalek/").status_code == 404


def test_each_subdomain_answers_for_its_own_regency(trenggalek, blitar, client_for):
    assert client_for(trenggalek).get("/api/v1/regency/").json()["name"] == "Kab. Trenggalek"
    assert client_for(blitar).get("/api/v1/regency/").json()["name"] == "Kota Blitar"
    page = client_for(trenggalek).get("/")
    assert b"Kab. Trenggalek" in page.content and b"WIB" in page.content


def test_a_suspended_regency_answers_with_a_clear_page(trenggalek, blitar, officer, client_for):
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    regency_status_set(regency=trenggalek, status="suspended", reason="Pemeliharaan data")
    response = client_for(trenggalek, admin).get("/petugas/")
    assert response.status_code == 503
    assert "sementara dinonaktifkan".encode() in response.content
    assert "Pemeliharaan data".encode() in response.content
    assert client_for(blitar).get("/").status_code == 200
    with schema_context("trenggalek"):
        assert AuditEntry.objects.filter(action="regency.suspended").exists()
    regency_status_set(regency=trenggalek, status="active", reason="")
    assert client_for(trenggalek, admin).get("/petugas/").status_code == 200


def test_apex_lists_regencies_and_a_new_one_appears(client_for, db):
    from tenants.services import regency_provision

    before = client_for(None).get("/")
    assert b"Kab. Trenggalek" in before.content and b"Kota Blitar" in before.content
    assert b"Kab. Rembang" not in before.content
    regency_provision(code="3317", welcome=False)
    after = client_for(None).get("/")
    assert b"Kab. Rembang" in after.content and b"http://rembang.localhost" in after.content
