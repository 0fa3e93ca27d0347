"""/api/v1/ for applications: token sign-in, the applicant's journey, public tracking and verification,
officers' worklist and actions, revocation; structured errors, isolation between regencies, query bounds."""
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.models.applications import Application, Permit, StepTask
from pintu.access.models import Role
from pintu.audit.models import AuditEntry
from tests.factories import TEST_PASSWORD, UserFactory, pdf_bytes, submitted_application


@pytest.fixture
def built(trenggalek_office):
    return trenggalek_office


@pytest.fixture(autouse=True)
def _no_throttle_history():
    cache.clear()  # this session's own Redis database
    yield


def open_tasks(application):
    with schema_context("trenggalek"):
        return list(StepTask.objects.filter(application=application, status="open").order_by("step__order", "pk"))


def test_token_from_email_and_password_on_subdomain_and_apex_then_used(trenggalek, client_for):
    person = UserFactory(email="tok@contoh.id")
    tokens = {}
    for regency in (trenggalek, None):
        response = client_for(regency).post("/api/v1/auth/token/", {"email": "TOK@contoh.id",
                                                                    "password": TEST_PASSWORD},
                                            content_type="application/json")
        assert response.status_code == 200, response.content
        tokens[regency] = response.json()["token"]
    token = tokens[trenggalek]
    client = client_for(trenggalek)
    # A token works on the regency it was issued on only (the apex's is refused here).
    assert client.get("/api/v1/applications/", HTTP_AUTHORIZATION=f"Token {tokens[None]}").status_code in (401, 403)
    assert client.get("/api/v1/applications/").status_code in (401, 403)
    listed = client.get("/api/v1/applications/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listed.status_code == 200 and listed.json()["count"] == 0
    wrong = client_for(trenggalek).post("/api/v1/auth/token/", {"email": person.email, "password": "salah"},
                                        content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "sign_in_refused"


def test_token_endpoint_is_throttled(trenggalek, client_for):
    UserFactory(email="banyak@contoh.id")
    client = client_for(trenggalek)
    codes = [client.post("/api/v1/auth/token/", {"email": "banyak@contoh.id", "password": TEST_PASSWORD},
                         content_type="application/json").status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_applicant_journey_through_the_api(built, trenggalek, applicant, client_for, django_assert_max_num_queries):
    client = client_for(trenggalek, applicant)
    created = client.post("/api/v1/applications/", {"permit_type": built.permit_type.code},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["registration_number"] is None

    bad = client.post(f"/api/v1/applications/{pk}/form/", {"data": {"kecamatan": "999999", "warna": "x"}},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "form_data_invalid"
    assert set(bad.json()["fields"]) == {"kecamatan", "warna"}
    assert client.post(f"/api/v1/applications/{pk}/form/", {"data": built.form},
                       content_type="application/json").status_code == 200

    early = client.post(f"/api/v1/applications/{pk}/submit/")
    assert early.status_code == 400 and early.json()["code"] == "application_incomplete"
    assert {r["code"] for r in early.json()["detail"]["requirements"]} == {"missing"}

    refused = client.post(f"/api/v1/applications/{pk}/documents/", {
        "requirement": built.requirements[0].pk,
        "file": SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00 bukan pdf", content_type="application/pdf")})
    assert refused.status_code == 400 and refused.json()["code"].startswith("upload_")
    for requirement in built.requirements[:2]:
        uploaded = client.post(f"/api/v1/applications/{pk}/documents/", {
            "requirement": requirement.pk,
            "file": SimpleUploadedFile("scan.pdf", pdf_bytes(requirement.name), content_type="application/pdf")})
        assert uploaded.status_code == 201 and uploaded.json()["requirement_name"] == requirement.name

    submitted = client.post(f"/api/v1/applications/{pk}/submit/")
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["registration_number"].startswith("3503-") and body["status"] == "in_process"
    assert body["tracking"]["held_by"] == ["Pemeriksaan kelengkapan — Petugas loket"]
    assert body["tracking"]["due_at"].endswith("+07:00")  # the regency's zone

    with schema_context("trenggalek"):
        for _ in range(3):
            submitted_application(built, applicant)
        submitted_application(built, UserFactory())  # someone else's
    client.get("/api/v1/applications/")
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/applications/")
    assert listed.json()["count"] == 4
    detail = client.get(f"/api/v1/applications/{pk}/").json()
    assert [d["requirement_name"] for d in detail["documents"]] == ["KTP", "STR Fisioterapis"]
    assert detail["tracking"]["history"][0]["message"].startswith("Permohonan diterima")
    stranger = client_for(trenggalek, UserFactory())
    assert stranger.get(f"/api/v1/applications/{pk}/").status_code == 404
    assert stranger.post(f"/api/v1/applications/{pk}/form/", {"data": {}},
                         content_type="application/json").status_code == 404


def test_counter_only_type_cannot_be_started_online(built, trenggalek, applicant, client_for):
    from permits.services.catalog import permit_type_update

    with schema_context("trenggalek"):
        permit_type_update(permit_type=built.permit_type, is_online=False)
    response = client_for(trenggalek, applicant).post("/api/v1/applications/",
                                                      {"permit_type": built.permit_type.code},
                                                      content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "permit_type_not_offered"


def test_public_tracking_and_verification_need_no_sign_in(built, trenggalek, blitar, applicant, client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    client = client_for(trenggalek)
    ok = client.get("/api/v1/tracking/", {"registration_number": application.registration_number.lower(),
                                          "tracking_code": application.tracking_code})
    assert ok.status_code == 200 and ok.json()["status"] == "in_process"
    assert applicant.full_name not in ok.content.decode()
    wrong = client.get("/api/v1/tracking/", {"registration_number": application.registration_number,
                                             "tracking_code": "AAAAAAAA"})
    assert wrong.status_code == 404 and wrong.json()["code"] == "not_found"
    elsewhere = client_for(blitar).get("/api/v1/tracking/", {
        "registration_number": application.registration_number, "tracking_code": application.tracking_code})
    assert elsewhere.status_code == 404  # Trenggalek's file is not Blitar's to show
    assert client.get("/api/v1/verification/tidak-ada/").status_code == 404


def test_officers_work_the_file_through_the_api(built, trenggalek, applicant, officer, client_for,
                                                django_assert_max_num_queries):
    with schema_context("trenggalek"):
        applications = [submitted_application(built, applicant) for _ in range(4)]
    application = applications[0]
    [check] = open_tasks(application)
    fo = client_for(trenggalek, built.front_office)
    fo.get("/api/v1/worklist/")
    with django_assert_max_num_queries(8):
        mine = fo.get("/api/v1/worklist/")
    assert mine.status_code == 200 and mine.json()["count"] == 4
    row = next(r for r in mine.json()["results"] if r["id"] == check.pk)
    assert row["allowed_actions"] == ["forward", "return"] and row["due_at"].endswith("+07:00")
    assert fo.get("/api/v1/worklist/", {"scope": "late"}).json()["count"] == 0
    assert fo.get("/api/v1/worklist/", {"scope": "nanti"}).json()["code"] == "invalid"

    claimed = fo.post(f"/api/v1/tasks/{check.pk}/claim/")
    assert claimed.status_code == 200 and claimed.json()["claimed_by"]["id"] == built.front_office.pk
    colleague = client_for(trenggalek, officer(trenggalek, Role.FRONT_OFFICE))
    assert colleague.get("/api/v1/worklist/").json()["count"] == 3

    with schema_context("trenggalek"):
        ktp = application.documents.get(requirement=built.requirements[0], is_current=True)
    no_reason = fo.post(f"/api/v1/documents/{ktp.pk}/review/", {"accepted": False}, content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    accepted = fo.post(f"/api/v1/documents/{ktp.pk}/review/", {"accepted": True}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["review"] == "accepted"
    download = fo.get(f"/api/v1/documents/{ktp.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    with schema_context("trenggalek"):
        assert AuditEntry.objects.filter(action="document.download", actor_id=built.front_office.pk).exists()

    not_allowed = fo.post(f"/api/v1/tasks/{check.pk}/act/", {"action": "approve_sign"},
                          content_type="application/json")
    assert not_allowed.status_code == 400 and not_allowed.json()["code"] == "action_not_allowed"
    forwarded = fo.post(f"/api/v1/tasks/{check.pk}/act/", {"action": "forward", "note": "Lengkap"},
                        content_type="application/json")
    assert forwarded.status_code == 200
    assert sorted(forwarded.json()["tracking"]["held_by"]) == ["Kajian Dinas Kesehatan — Tim teknis (Dinas Kesehatan)",
                                                       "Kajian Satpol PP — Tim teknis (Satpol PP)"]
    again = fo.post(f"/api/v1/tasks/{check.pk}/act/", {"action": "forward"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "step_already_acted"
    police_on_health = client_for(trenggalek, built.police).post(
        f"/api/v1/tasks/{open_tasks(application)[0].pk}/act/", {"action": "recommend"},
        content_type="application/json")
    assert police_on_health.status_code == 403 and police_on_health.json()["code"] == "permission_denied"


def test_signing_official_signs_and_revokes_and_verification_follows(built, trenggalek, applicant, officer,
                                                                     client_for):
    from permits.services.processing import recommendation_give, step_forward

    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        for task in open_tasks(application):
            step_forward(task=task, officer=built.front_office)
        for task in open_tasks(application):
            recommendation_give(task=task, officer=built.health if task.agency == "Dinas Kesehatan" else built.police)
    [signing] = open_tasks(application)
    other = client_for(trenggalek, officer(trenggalek, Role.SIGNING_OFFICIAL))
    refused = other.post(f"/api/v1/tasks/{signing.pk}/act/", {"action": "approve_sign"},
                         content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_authorized_to_sign"
    assert refused.json()["detail"]["chain"]
    signer = client_for(trenggalek, built.signer)
    signed = signer.post(f"/api/v1/tasks/{signing.pk}/act/", {"action": "approve_sign"},
                         content_type="application/json")
    assert signed.status_code == 200 and signed.json()["status"] == "issued"
    permit = signed.json()["permit"]
    public = client_for(trenggalek)
    verified = public.get(f"/api/v1/verification/{permit['verification_code']}/").json()
    assert verified["state"] == "valid" and verified["number"] == permit["number"] and len(verified["sha256"]) == 64
    assert applicant.full_name not in str(verified)

    fo = client_for(trenggalek, built.front_office)
    assert fo.post(f"/api/v1/permits/{permit['id']}/revoke/", {"reason": "x"},
                   content_type="application/json").status_code == 403
    assert signer.post(f"/api/v1/permits/{permit['id']}/revoke/", {},
                       content_type="application/json").json()["code"] == "invalid"
    revoked = signer.post(f"/api/v1/permits/{permit['id']}/revoke/", {"reason": "Praktik pindah kota"},
                          content_type="application/json")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    again = signer.post(f"/api/v1/permits/{permit['id']}/revoke/", {"reason": "lagi"},
                        content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "permit_already_revoked"
    after = public.get(f"/api/v1/verification/{permit['verification_code']}/").json()
    assert after["state"] == "revoked" and after["revoked_reason"] == "Praktik pindah kota"


def test_other_regencies_officers_and_applicants_are_refused(built, trenggalek, blitar, applicant, officer,
                                                            client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        document = application.documents.first()
    [task] = open_tasks(application)
    for user in (officer(blitar, Role.FRONT_OFFICE), officer(blitar, Role.SIGNING_OFFICIAL), applicant):
        client = client_for(trenggalek, user)
        assert client.get("/api/v1/worklist/").status_code == 403
        assert client.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 403
        assert client.post(f"/api/v1/tasks/{task.pk}/act/", {"action": "forward"},
                           content_type="application/json").status_code == 403
        assert client.post(f"/api/v1/documents/{document.pk}/review/", {"accepted": True},
                           content_type="application/json").status_code == 403
        assert client.get(f"/api/v1/documents/{document.pk}/download/").status_code == 403
    blitar_officer = officer(blitar, Role.VERIFIER)
    assert client_for(trenggalek, blitar_officer).get(f"/api/v1/applications/{application.pk}/").status_code == 404
    with schema_context("trenggalek"):
        assert StepTask.objects.get(pk=task.pk).status == "open" and task.claimed_by_id is None
        assert Application.objects.get(pk=application.pk).status == "in_process"
        assert not Permit.objects.exists()


def test_openapi_schema_lists_the_application_endpoints(trenggalek, client_for):
    schema = client_for(trenggalek).get("/api/schema/").content.decode()
    for path in ("/api/v1/applications/{id}/submit/", "/api/v1/worklist/", "/api/v1/tasks/{id}/act/",
                 "/api/v1/tracking/", "/api/v1/auth/token/", "/api/v1/permits/{id}/revoke/"):
        assert path in schema, path
