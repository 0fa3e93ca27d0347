"""The counter API: a front-office officer of this regency starts a walk-in's file, scans it in, submits,
prints the receipt and hands it over, through the counter pages' services; nobody else may."""
from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.models.applications import Application
from pintu.access.models import Role
from tests.factories import UserFactory, pdf_bytes
from tests.permits.views.test_counter_pages import NIK, built  # noqa: F401  (fixture)

BASE = "/api/v1/counter/applications/"


def _start(client, built, **overrides):
    return client.post(BASE, {"permit_type": built.permit_type.code, "applicant_name": "Pak Darmo",
                              "applicant_nik": NIK, "applicant_phone": "081234567890", **overrides},
                       content_type="application/json")


def test_the_front_office_runs_a_walk_in_file_from_start_to_hand_over(built, trenggalek, api):
    from pypdf import PdfReader

    client = api(trenggalek, built.front_office)
    bad = _start(client, built, applicant_nik="3503011505900000")
    assert bad.status_code == 400 and "NIK" in bad.json()["message"]
    started = _start(client, built)
    assert started.status_code == 201
    pk = started.json()["id"]
    assert started.json()["status"] == "draft" and started.json()["channel"] == "counter"
    assert client.post(f"{BASE}{pk}/submit/").status_code == 400  # nothing scanned yet: the service refuses
    assert client.get(f"{BASE}{pk}/receipt/").status_code == 400  # no receipt before submission
    saved = client.post(f"{BASE}{pk}/form/", {"data": built.form}, content_type="application/json")
    assert saved.status_code == 200
    for requirement in built.requirements[:2]:
        upload = SimpleUploadedFile(f"scan-{requirement.pk}.pdf", pdf_bytes(requirement.name),
                                    content_type="application/pdf")
        assert client.post(f"{BASE}{pk}/documents/", {"requirement": requirement.pk, "file": upload}).status_code == 201
    submitted = client.post(f"{BASE}{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_process"
    number = submitted.json()["registration_number"]
    receipt = client.get(f"{BASE}{pk}/receipt/")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert number in text and "Pak Darmo" in text
    assert [a["id"] for a in client.get(BASE).json()] == [pk]
    # The hand-over rule is the service's: an unknown account, then another person's NIK, are refused.
    unknown = client.post(f"{BASE}{pk}/hand-over/", {"email": "belum@contoh.id"}, content_type="application/json")
    assert 400 <= unknown.status_code < 500
    assert unknown.json()["code"].startswith("hand_over")  # the service's own refusal (its rule, its code)
    other = UserFactory(email="lain@contoh.id", nik="3503014505920002")
    assert client.post(f"{BASE}{pk}/hand-over/", {"email": other.email},
                       content_type="application/json").json()["code"].startswith("hand_over")
    darmo = UserFactory(email="darmo@contoh.id", nik=NIK)  # the hand-over needs the applicant's NIK
    done = client.post(f"{BASE}{pk}/hand-over/", {"email": "darmo@contoh.id"}, content_type="application/json")
    assert done.status_code == 200
    with schema_context(trenggalek.schema_name):
        assert Application.objects.get(pk=pk).applicant_id == darmo.pk


def test_only_this_regencys_front_office_reaches_the_counter(built, trenggalek, blitar, officer, applicant, api):
    from permits.services.applications import application_draft_create

    with schema_context(trenggalek.schema_name):
        pk = application_draft_create(permit_type=built.permit_type, channel="counter", created_by=built.front_office,
                                      applicant_name="Bu Sri", applicant_nik=NIK).pk
    refused = [officer(trenggalek, Role.VERIFIER), officer(blitar, Role.FRONT_OFFICE), applicant]
    for user in refused:
        client = api(trenggalek, user)
        assert client.get(BASE).status_code == 403
        assert client.get(f"{BASE}{pk}/").status_code == 403
        assert _start(client, built).status_code == 403
        assert client.post(f"{BASE}{pk}/hand-over/", {"email": "x@contoh.id"},
                           content_type="application/json").status_code == 403
    assert api(trenggalek).get(BASE).status_code in (401, 403)
    # Blitar's own front office sees no Trenggalek file there; the apex has no counter.
    assert api(blitar, refused[1]).get(f"{BASE}{pk}/").status_code == 404
    assert api(None, built.front_office).get(BASE).status_code == 404
    assert api(trenggalek, built.front_office).get(f"{BASE}{pk}/").json()["applicant_name"] == "Bu Sri"


def test_the_counter_api_starts_the_same_renewal(office, applicant, api, trenggalek):
    """Issue #14.3: POST counter/renewals/ runs the counter renewal service (tests/permits/test_counter_renewal.py)."""
    import datetime as dt

    from permits.models.applications import Permit
    from permits.regency import regency_today
    from permits.services.catalog import permit_type_update
    from tests.factories import submitted_application
    from tests.notify.helpers import issue

    holder = applicant
    counter_only_permit = issue(office, submitted_application(office, holder))
    permit_type_update(permit_type=office.permit_type, is_online=False)
    Permit.objects.filter(pk=counter_only_permit.pk).update(valid_until=regency_today() + dt.timedelta(days=20))
    client = api(trenggalek, office.front_office)
    url = "/api/v1/counter/renewals/"
    missing = client.post(url, {"permit_number": "503/9999/TIDAK-ADA"}, content_type="application/json")
    assert missing.status_code == 404
    started = client.post(url, {"permit_number": counter_only_permit.number.lower(), "applicant_nik": NIK},
                          content_type="application/json")
    assert started.status_code == 201, started.content
    body = started.json()
    assert (body["channel"], body["kind"], body["status"]) == ("counter", "renewal", "draft")
    renewal = Application.objects.get(pk=body["id"])
    assert renewal.renewal_of_id == counter_only_permit.pk and renewal.documents.filter(is_current=True).count() == 3
    # the holder is no front office: refused, nothing started for them
    assert api(trenggalek, holder).post(url, {"permit_number": counter_only_permit.number},
                                        content_type="application/json").status_code == 403
