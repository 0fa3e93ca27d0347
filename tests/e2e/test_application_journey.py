"""The whole journey of issue #4 in Chromium: apply with uploads → returned for one requirement →
fixed → technical reviews → signed by the official holding authority → download the signed PDF
(validated with pyHanko) → the QR's verification page. A screenshot per step in artifacts/e2e/."""
from __future__ import annotations

import re

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from permits.models.applications import Application, Permit
from tests.e2e.conftest import regency_url, sign_in_on
from tests.factories import office_build, pdf_bytes


def sign_in(browser, server, email: str):
    context = browser.new_context(locale="id-ID", viewport={"width": 412, "height": 915}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    sign_in_on(page, server, email)
    return page


def open_my_task(page, server, registration_number: str):
    page.goto(regency_url(server, "trenggalek", "/kantor/"))
    page.get_by_role("link", name=registration_number).first.click()
    expect(page.locator("h1")).to_be_visible()


def test_apply_return_fix_review_sign_download_verify(page, browser, pintu_server, django_db_blocker, tmp_path):
    from tests.factories import UserFactory

    with django_db_blocker.unblock(), schema_context("trenggalek"):
        office = office_build()
        applicant = UserFactory(full_name="Dewi Fisioterapis")
    ktp, str_file, ktp_fixed = tmp_path / "ktp.pdf", tmp_path / "str.pdf", tmp_path / "ktp-jelas.pdf"
    ktp.write_bytes(pdf_bytes("KTP buram"))
    str_file.write_bytes(pdf_bytes("STR"))
    ktp_fixed.write_bytes(pdf_bytes("KTP jelas"))
    shot = page.steps.shot

    # 1. The applicant applies online with uploads.
    sign_in_on(page, pintu_server, applicant.email)
    page.goto(regency_url(pintu_server, "trenggalek", f"/izin/{office.permit_type.code}/"))
    shot("permit-type")
    page.get_by_role("button", name="Ajukan permohonan").click()
    # One form: the first file saved with its own button returns to its row; the rest go with the submission.
    page.get_by_label("KTP", exact=True).set_input_files(str(ktp))
    page.locator(f"#req-{office.requirements[0].pk}").get_by_role("button", name="Simpan & unggah").click()
    expect(page).to_have_url(re.compile(rf"#req-{office.requirements[0].pk}$"))
    expect(page.locator(f"#req-{office.requirements[0].pk}")).to_contain_text("KTP terunggah")
    page.get_by_label("STR Fisioterapis", exact=True).set_input_files(str(str_file))
    page.fill("#id_alamat_praktik", office.form["alamat_praktik"])
    page.select_option("#id_kecamatan", office.form["kecamatan"])
    shot("form-filled")
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.locator(".messages")).to_contain_text("Permohonan diajukan")
    shot("submitted")
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        application = Application.objects.get(applicant=applicant)
    number = application.registration_number

    # 2. The front office returns the KTP with a reason.
    clerk = sign_in(browser, pintu_server, office.front_office.email)
    open_my_task(clerk, pintu_server, number)
    review = clerk.locator("form.review").first
    review.locator("input[name=reason]").fill("Foto KTP buram, unggah ulang yang jelas")
    review.get_by_role("button", name="Perlu diperbaiki").click()
    expect(clerk.locator("body")).to_contain_text("Foto KTP buram")
    clerk.get_by_role("button", name="Kembalikan ke pemohon").click()
    expect(clerk.locator("body")).to_contain_text("Dikembalikan")
    clerk.steps = page.steps
    shot_clerk = lambda label: clerk.screenshot(path=str(page.steps.dir / f"{label}.png"), full_page=True)  # noqa: E731
    shot_clerk("90-clerk-returned")

    # 3. The applicant sees which requirement and why, re-uploads only that one, resubmits.
    page.goto(regency_url(pintu_server, "trenggalek", f"/permohonan/{application.pk}/"))
    expect(page.locator("body")).to_contain_text("Perlu diperbaiki: Foto KTP buram")
    shot("returned-to-applicant")
    page.get_by_label("KTP", exact=True).set_input_files(str(ktp_fixed))
    page.get_by_role("button", name="Ajukan kembali").click()  # the new file and the resubmission in one tap
    expect(page.locator(".messages")).to_contain_text("permohonan diajukan kembali")  # a fix says it was resubmitted
    shot("resubmitted")

    # 4. Front office forwards; both technical teams recommend in parallel; the official signs.
    open_my_task(clerk, pintu_server, number)
    clerk.get_by_role("button", name="Teruskan").click()
    for reviewer in (office.health, office.police):
        team = sign_in(browser, pintu_server, reviewer.email)
        open_my_task(team, pintu_server, number)
        team.fill("#note", "Sarana praktik memenuhi syarat.")
        team.get_by_role("button", name="Beri rekomendasi").click()
        expect(team.locator("body")).to_contain_text("Rekomendasi")
        team.context.close()
    signer = sign_in(browser, pintu_server, office.signer.email)
    open_my_task(signer, pintu_server, number)
    expect(signer.locator(".authority")).to_contain_text("Perbup 12/2024")
    signer.screenshot(path=str(page.steps.dir / "91-signer-authority.png"), full_page=True)
    signer.get_by_role("button", name="Setujui dan tandatangani").click()
    expect(signer.locator("body")).to_contain_text("Izin terbit")

    # 5. The applicant downloads the signed PDF; its signature validates; the QR page says authentic.
    page.goto(regency_url(pintu_server, "trenggalek", f"/permohonan/{application.pk}/"))
    expect(page.locator("body")).to_contain_text("Izin terbit")
    shot("issued")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Unduh izin")).click()
    pdf = (tmp_path / "izin.pdf")
    download_info.value.save_as(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        from permits.documents.signing import signer_for_regency
        from tenants.models import Regency

        backend = signer_for_regency(Regency.objects.get(schema_name="trenggalek"))
        # pyHanko validates with asyncio; Playwright's event loop owns this thread.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            verdict = pool.submit(backend.verify, data).result()
        permit = Permit.objects.get(application=application)
        from pintu.storage.services import document_read

        stored = document_read(permit.pdf_key)
    assert data == stored, (len(data), len(stored))
    assert verdict.valid and verdict.intact
    page.get_by_role("link", name="Halaman verifikasi").click()
    expect(page.locator("body")).to_contain_text("ASLI dan BERLAKU")
    expect(page.locator("body")).to_contain_text(permit.number)
    assert f"/verifikasi/{permit.verification_code}/" in page.url
    shot("verification-page")
