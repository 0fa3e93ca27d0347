"""The counter (/loket/): a walk-in's application started by the front office, scanned in, submitted,
a receipt with the tracking QR printed, and handed over to the applicant's own account."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.index.models import ApplicationIndex
from permits.models.applications import Application
from pintu.access.models import Role
from pintu.audit.models import AuditEntry
from tests.factories import UserFactory, pdf_bytes

NIK = "3503011505900001"  # Trenggalek district 350301, born 15 May 1990


@pytest.fixture
def built(trenggalek_office):
    from permits.services.catalog import permit_type_update

    with schema_context("trenggalek"):
        built = trenggalek_office
        permit_type_update(permit_type=built.permit_type, is_online=False)  # counter only, like Trenggalek's reklame
        return built


def start(client, built, **overrides):
    data = {"permit_type": built.permit_type.pk, "applicant_name": "Pak Darmo", "applicant_nik": NIK,
            "applicant_phone": "081234567890", "applicant_email": "", **overrides}
    return client.post("/loket/baru/", data)


def scan_in_and_submit(client, built, url):
    for requirement in built.requirements[:2]:
        client.post(f"{url}unggah/{requirement.pk}/",
                    {"file": SimpleUploadedFile(f"pindaian-{requirement.pk}.pdf", pdf_bytes(requirement.name),
                                                content_type="application/pdf")})
    return client.post(url, {"submit": "1", **built.form}, follow=True)


def test_front_office_starts_a_counter_only_application_and_a_bad_nik_is_refused(built, trenggalek, client_for):
    client = client_for(trenggalek, built.front_office)
    page = client.get("/loket/baru/").content.decode()
    assert "Surat Izin Praktik Fisioterapis" in page  # counter-only types are offered at the counter
    refused = start(client, built, applicant_nik="3503011505900000")
    assert refused.status_code == 200 and "Nomor urut NIK tidak boleh 0000" in refused.content.decode()
    unknown_district = start(client, built, applicant_nik="9999011505900001")
    assert unknown_district.status_code == 200 and "NIK" in unknown_district.content.decode()
    response = start(client, built)
    assert response.status_code == 302
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant_name="Pak Darmo")
    assert response["Location"] == f"/loket/{application.pk}/"
    assert application.channel == "counter" and application.created_by_id == built.front_office.pk
    assert application.applicant_id is None and application.applicant_nik == NIK and application.status == "draft"


def test_counter_scans_in_submits_and_prints_a_receipt_with_the_tracking_link(built, trenggalek, client_for):
    from pypdf import PdfReader

    client = client_for(trenggalek, built.front_office)
    url = start(client, built)["Location"]
    incomplete = client.post(url, {"submit": "1", **built.form}, follow=True).content.decode()
    assert "Permohonan belum lengkap" in incomplete and "KTP belum diunggah" in incomplete
    done = scan_in_and_submit(client, built, url).content.decode()
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant_name="Pak Darmo")
    assert application.status == "in_process" and application.registration_number in done
    assert "Cetak tanda terima" in done and "Serahkan ke akun pemohon" in done

    receipt = client.get(f"{url}tanda-terima.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert application.registration_number in text and application.tracking_code in text
    assert "Pak Darmo" in text and "KTP" in text and "STR Fisioterapis" in text
    assert (f"trenggalek.{_domain()}" in text and f"/lacak/?nomor={application.registration_number}"
            f"&kode={application.tracking_code}" in text.replace("\n", ""))
    # The tracking link printed on the receipt works without signing in.
    tracked = client_for(trenggalek).get("/lacak/", {"nomor": application.registration_number,
                                                     "kode": application.tracking_code})
    assert "Sedang diproses" in tracked.content.decode()


def _domain():
    from django.conf import settings

    return settings.PINTU_DOMAIN


def test_hand_over_links_the_file_to_the_applicants_account_who_then_sees_it(built, trenggalek, client_for):
    client = client_for(trenggalek, built.front_office)
    url = start(client, built)["Location"]
    scan_in_and_submit(client, built, url)
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant_name="Pak Darmo")

    unknown = client.post(f"{url}serahkan/", {"email": "belum-daftar@contoh.id"}, follow=True).content.decode()
    assert "Tidak ada akun Pintu dengan email ini yang NIK-nya sama" in unknown
    someone_else = UserFactory(email="lain@contoh.id", nik="3503014505920002")
    mismatch = client.post(f"{url}serahkan/", {"email": someone_else.email}, follow=True).content.decode()
    assert "Tidak ada akun Pintu dengan email ini yang NIK-nya sama" in mismatch

    darmo = UserFactory(email="darmo@contoh.id", full_name="Pak Darmo", nik=NIK)
    done = client.post(f"{url}serahkan/", {"email": "Darmo@Contoh.id"}, follow=True).content.decode()
    assert "Permohonan diserahkan ke akun darmo@contoh.id" in done
    with schema_context("trenggalek"):
        application.refresh_from_db()
        assert application.applicant_id == darmo.pk
        assert AuditEntry.objects.filter(action="application.hand_over", target_id=str(application.pk),
                                         actor_id=built.front_office.pk).exists()
        assert "diserahkan ke akun Pintu pemohon" in application.events.last().message
    assert ApplicationIndex.objects.get(regency=trenggalek, application_id=application.pk).applicant_id == darmo.pk
    mine = client_for(trenggalek, darmo).get("/permohonan/").content.decode()
    assert application.registration_number in mine
    twice = client.post(f"{url}serahkan/", {"email": darmo.email}, follow=True).content.decode()
    assert "sudah terhubung dengan akun pemohon" in twice


def test_only_this_regencys_front_office_uses_the_counter(built, trenggalek, blitar, applicant, officer, client_for):
    with schema_context("trenggalek"):
        from permits.services.applications import application_draft_create

        application = application_draft_create(permit_type=built.permit_type, channel="counter",
                                               created_by=built.front_office, applicant_name="Bu Sri",
                                               applicant_nik=NIK)
    verifier = officer(trenggalek, Role.VERIFIER)
    blitar_front_office = officer(blitar, Role.FRONT_OFFICE)
    for user in (verifier, blitar_front_office, applicant):
        client = client_for(trenggalek, user)
        assert client.get("/loket/").status_code == 403
        assert client.get("/loket/baru/").status_code == 403
        assert start(client, built).status_code == 403
        assert client.get(f"/loket/{application.pk}/").status_code == 403
        assert client.post(f"/loket/{application.pk}/serahkan/", {"email": applicant.email}).status_code == 403
    with schema_context("trenggalek"):
        assert Application.objects.filter(channel="counter").count() == 1
    # An online application is not the counter's to edit.
    with schema_context("trenggalek"):
        from permits.services.catalog import permit_type_update

        permit_type_update(permit_type=built.permit_type, is_online=True)
        online = application_draft_create(permit_type=built.permit_type, applicant=applicant)
    assert client_for(trenggalek, built.front_office).get(f"/loket/{online.pk}/").status_code == 404
