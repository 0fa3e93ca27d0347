"""Open data: the register of issued permits per regency and nationally, JSON and CSV, filtered,
and nothing personal (no NIK, no name, no address) in any format."""
from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from tests.factories import UserFactory

NIK = "3503011505900001"


@pytest.fixture
def issued_permit(trenggalek, trenggalek_office):
    from permits.models.applications import Permit
    from tests.factories import submitted_application
    from tests.notify.helpers import issue
    holder = UserFactory(full_name="Siti Rahasia", nik=NIK)
    with schema_context(trenggalek.schema_name):
        office = trenggalek_office
        permit = issue(office, submitted_application(office, holder))
        return Permit.objects.select_related("application__permit_type").get(pk=permit.pk)


def _assert_nothing_personal(text: str, permit) -> None:
    application = permit.application
    assert NIK not in text and "Siti Rahasia" not in text
    for value in (application.applicant_nik, application.applicant_name, application.applicant_email):
        if value:
            assert value not in text
    for value in (application.form_data or {}).values():
        if isinstance(value, str) and len(value) > 4:
            assert value not in text, value


def test_the_regency_register_is_the_transparency_pages_and_filters(api, trenggalek, issued_permit):
    client = api(trenggalek)
    body = client.get("/api/v1/open-data/permits/").json()
    assert body["count"] == 1
    [entry] = body["results"]
    code = issued_permit.application.permit_type.code
    assert entry["number"] == issued_permit.number and entry["permit_type"] == code
    assert entry["status"] == "valid" and entry["status_label"]
    assert set(entry) == {"number", "permit_type", "permit_type_name", "issued_at", "valid_from", "valid_until",
                          "status", "status_label"}
    page = client.get("/transparansi/").content.decode()
    assert issued_permit.number in page
    assert client.get("/api/v1/open-data/permits/", {"permit_type": "lain"}).json()["count"] == 0
    issued_on = dt.date.fromisoformat(entry["issued_at"][:10])
    assert client.get("/api/v1/open-data/permits/", {"issued_from": (issued_on + dt.timedelta(days=1)).isoformat()}
                      ).json()["count"] == 0
    assert client.get("/api/v1/open-data/permits/", {"issued_from": issued_on.isoformat(),
                                                     "issued_until": issued_on.isoformat(),
                                                     "permit_type": code}).json()["count"] == 1
    bad = client.get("/api/v1/open-data/permits/", {"issued_from": "kemarin"})
    assert bad.status_code == 400 and bad.json()["fields"]["issued_from"]
    _assert_nothing_personal(str(body), issued_permit)


def test_the_regency_register_as_csv_by_accept_or_format(api, trenggalek, blitar, issued_permit):
    client = api(trenggalek)
    for response in (client.get("/api/v1/open-data/permits/", HTTP_ACCEPT="text/csv"),
                     client.get("/api/v1/open-data/permits/", {"format": "csv"})):
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        header, line = text.splitlines()[:2]
        assert header.startswith("Nomor izin,") and line.startswith(issued_permit.number)
        _assert_nothing_personal(text, issued_permit)
    # Blitar's register does not hold Trenggalek's permit.
    assert api(blitar).get("/api/v1/open-data/permits/").json()["count"] == 0


def test_the_national_register_on_the_apex_lists_every_regency(api, trenggalek, issued_permit):
    client = api(None)
    body = client.get("/api/v1/open-data/permits/").json()
    [entry] = [e for e in body["results"] if e["number"] == issued_permit.number]
    assert entry["regency"] == "3503" and entry["issued_at"] and entry["status"] == "valid"
    assert client.get("/api/v1/open-data/permits/", {"regency": "3572"}).json()["count"] == 0
    name = issued_permit.application.permit_type.name
    assert client.get("/api/v1/open-data/permits/", {"permit_type_name": name.upper()}).json()["count"] == 1
    issued_on = dt.date.fromisoformat(entry["issued_at"][:10])
    later = (issued_on + dt.timedelta(days=2)).isoformat()
    assert client.get("/api/v1/open-data/permits/", {"issued_from": later}).json()["count"] == 0
    csv_text = b"".join(client.get("/api/v1/open-data/permits/", HTTP_ACCEPT="text/csv").streaming_content).decode()
    assert issued_permit.number in csv_text and "3503" in csv_text
    _assert_nothing_personal(str(body) + csv_text, issued_permit)
