"""The applicant's pages: catalog, apply, upload, submit, fix, track, download, verify."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.models.applications import Application, Permit
from tests.factories import pdf_bytes, submitted_application


@pytest.fixture
def built(trenggalek_office):
    return trenggalek_office


def test_catalog_shows_requirements_sla_and_cost_without_sign_in(built, trenggalek, client_for,
                                                                django_assert_max_num_queries):
    client = client_for(trenggalek)
    with django_assert_max_num_queries(12):
        page = client.get("/izin/")
    assert page.status_code == 200
    assert "Surat Izin Praktik Fisioterapis".encode() in page.content and b"Gratis" in page.content
    detail = client.get(f"/izin/{built.permit_type.code}/").content.decode()
    assert "STR Fisioterapis" in detail and "5 hari kerja" in detail and "Masuk untuk mengajukan" in detail


def test_applicant_applies_uploads_and_submits_through_the_pages(built, trenggalek, applicant, client_for):
    client = client_for(trenggalek, applicant)
    response = client.post(f"/izin/{built.permit_type.code}/ajukan/")
    assert response.status_code == 302
    url = response["Location"]
    bad = client.post(url + "unggah/%d/" % built.requirements[0].pk,
                      {"file": SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")},
                      follow=True)
    assert "KTP:" in bad.content.decode()  # refused by content, with the requirement named
    for requirement in built.requirements[:2]:
        client.post(url + f"unggah/{requirement.pk}/",
                    {"file": SimpleUploadedFile(f"{requirement.pk}.pdf", pdf_bytes(), content_type="application/pdf")})
    refused = client.post(url, {"submit": "1", "alamat_praktik": "pendek", "kecamatan": ""})
    text = refused.content.decode()
    assert refused.status_code == 200 and "alamat lengkap" in text and "wajib diisi" in text
    done = client.post(url, {"submit": "1", **built.form}, follow=True)
    assert "Permohonan diajukan. Nomor registrasi 3503-" in done.content.decode()
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant=applicant)
        assert application.status == "in_process"


def test_someone_elses_application_is_not_found(built, trenggalek, applicant, client_for):
    from tests.factories import UserFactory

    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    assert client_for(trenggalek, UserFactory()).get(f"/permohonan/{application.pk}/").status_code == 404
    assert client_for(trenggalek, UserFactory()).get(f"/permohonan/{application.pk}/izin.pdf").status_code == 404


def test_tracking_without_sign_in_needs_both_numbers(built, trenggalek, applicant, client_for,
                                                     django_assert_num_queries):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    client = client_for(trenggalek)
    # Warm: the regency's routing is cached per process, and the connection's search_path is kept.
    client.get("/lacak/", {"nomor": application.registration_number, "kode": "AAAAAAAA"})
    with django_assert_num_queries(1):  # application, permit type, history and open steps in one round trip
        ok = client.get("/lacak/", {"nomor": application.registration_number, "kode": application.tracking_code})
    text = ok.content.decode()
    assert "Sedang diproses" in text and "Riwayat" in text and "Permohonan diterima" in text
    assert "Sedang diproses" in text and "Pemeriksaan kelengkapan — Petugas loket" in text and "WIB" in text
    assert "Gratis" in text  # the cost is stated on the tracking page
    assert applicant.full_name not in text  # who holds it is a role, and no personal data is shown
    wrong = client.get("/lacak/", {"nomor": application.registration_number, "kode": "AAAAAAAA"})
    assert "tidak cocok" in wrong.content.decode() and "Riwayat" not in wrong.content.decode()


def test_verification_page_shows_authentic_then_revoked(built, trenggalek, applicant, client_for):
    from permits.actions import step_button_press
    from permits.models.applications import StepTask
    from permits.services.issuance import permit_revoke

    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        for _ in range(3):
            for task in StepTask.objects.filter(application=application, status="open"):
                officer = {"front_office": built.front_office, "signing_official": built.signer}.get(task.role) or \
                    (built.health if task.agency == "Dinas Kesehatan" else built.police)
                action = {"front_office": "forward", "technical_team": "recommend"}.get(task.role, "approve_sign")
                step_button_press(task=task, officer=officer, action=action)
        permit = Permit.objects.get(application=application)
    client = client_for(trenggalek)
    page = client.get(f"/verifikasi/{permit.verification_code}/").content.decode()
    assert "ASLI dan BERLAKU" in page and permit.number in page and permit.sha256 in page
    assert applicant.full_name in page and built.signer.full_name in page  # whose permit, who signed (#16)
    download = client_for(trenggalek, applicant).get(f"/permohonan/{application.pk}/izin.pdf")
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF")
    match = client.post(f"/verifikasi/{permit.verification_code}/",
                        {"file": SimpleUploadedFile("izin.pdf", pdf, content_type="application/pdf")})
    assert "sama persis" in match.content.decode()
    with schema_context("trenggalek"):
        permit_revoke(permit=permit, actor=built.signer, reason="Tempat praktik ditutup")
    page = client.get(f"/verifikasi/{permit.verification_code}/").content.decode()
    assert "DICABUT" in page and "Tempat praktik ditutup" in page
    assert client.get("/verifikasi/palsu/").status_code == 404
