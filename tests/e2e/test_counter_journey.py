"""The counter's journey in Chromium (issue #14.1): a walk-in without an account is served at the
counter (start, scan in, submit, receipt), the file is decided and signed, the front office prints the
signed permit (recorded as handed over), and the walk-in, with only the registration number and
tracking code from the receipt, downloads the same signed permit from the tracking page."""
from __future__ import annotations

import io
import uuid
from concurrent.futures import ThreadPoolExecutor

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from permits.models.applications import Application
from tests.e2e.conftest import regency_url
from tests.e2e.test_application_journey import sign_in
from tests.factories import office_build, pdf_bytes

NIK = "3503011505900001"


def _fetch(page, path: str) -> tuple[int, str, bytes]:
    """GET `path` from inside the page (its session; Chromium resolves *.localhost, Node does not)."""
    import base64

    status, kind, body = page.evaluate("""async (url) => {
        const r = await fetch(url, {credentials: "same-origin"});
        const bytes = new Uint8Array(await r.arrayBuffer());
        let s = ""; for (const b of bytes) s += String.fromCharCode(b);
        return [r.status, r.headers.get("content-type"), btoa(s)];
    }""", path)
    return status, kind, base64.b64decode(body)


def _counter_office():
    from django.db import connection

    from permits.services.catalog import permit_type_update

    suffix = uuid.uuid4().hex[:6].upper()
    try:
        with schema_context("trenggalek"):
            office = office_build()
            permit_type_update(permit_type=office.permit_type, is_online=False,  # counter only
                               number_format=f"503/{{seq:04d}}/LOKET-{suffix}/DPM-PTSP/{{year}}")
            return office
    finally:
        connection.close()


def _decide_and_sign(office, pk: int):
    from django.db import connection

    from tests.notify.helpers import issue

    try:
        with schema_context("trenggalek"):
            return issue(office, Application.objects.get(pk=pk))
    finally:
        connection.close()


def test_a_walk_in_leaves_with_their_signed_permit(page, browser, pintu_server, django_db_blocker, tmp_path):
    from pypdf import PdfReader

    with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
        office = pool.submit(_counter_office).result()
    ktp, str_file = tmp_path / "ktp.pdf", tmp_path / "str.pdf"
    ktp.write_bytes(pdf_bytes("KTP"))
    str_file.write_bytes(pdf_bytes("STR"))
    shot = page.steps.shot

    # 1. The front office serves the walk-in at the counter.
    clerk = sign_in(browser, pintu_server, office.front_office.email)
    clerk.steps = page.steps
    clerk.goto(regency_url(pintu_server, "trenggalek", "/loket/baru/"))
    clerk.select_option("#id_permit_type", str(office.permit_type.pk))
    clerk.fill("#id_applicant_name", "Pak Darmo")
    clerk.fill("#id_applicant_nik", NIK)
    clerk.fill("#id_applicant_phone", "081234567890")
    clerk.locator("main").get_by_role("button").last.click()  # not the footer's language switch
    expect(clerk.locator(".messages")).to_contain_text("Draf permohonan loket dibuat")
    for name, path in (("KTP", ktp), ("STR Fisioterapis", str_file)):
        row = clerk.locator("form", has=clerk.get_by_label(name, exact=True))
        row.get_by_label(name, exact=True).set_input_files(str(path))
        row.get_by_role("button", name="Unggah").click()
        expect(clerk.locator(".messages")).to_contain_text(f"{name} terunggah")
    clerk.fill("#id_alamat_praktik", office.form["alamat_praktik"])
    clerk.select_option("#id_kecamatan", office.form["kecamatan"])
    clerk.get_by_role("button", name="Ajukan permohonan").click()
    expect(clerk.locator(".messages")).to_contain_text("Permohonan diajukan dengan nomor registrasi")
    clerk.screenshot(path=str(page.steps.dir / "01-counter-submitted.png"), full_page=True)
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        application = Application.objects.get(created_by=office.front_office, applicant_name="Pak Darmo")
    number, code = application.registration_number, application.tracking_code
    status, _, receipt = _fetch(clerk, f"/loket/{application.pk}/tanda-terima.pdf")
    assert status == 200 and receipt.startswith(b"%PDF")

    # 2. The file is reviewed, decided and signed in the office.
    with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
        permit = pool.submit(_decide_and_sign, office, application.pk).result()
    assert permit is not None

    # 3. The front office prints the signed permit for the walk-in.
    clerk.goto(regency_url(pintu_server, "trenggalek", f"/loket/{application.pk}/"))
    expect(clerk.locator("#permit")).to_contain_text(permit.number)
    clerk.screenshot(path=str(page.steps.dir / "02-counter-permit-ready.png"), full_page=True)
    link = clerk.get_by_role("link", name="Cetak / unduh izin untuk pemohon (PDF bertanda tangan)")
    status, kind, printed = _fetch(clerk, link.get_attribute("href"))
    assert status == 200 and kind == "application/pdf" and printed.startswith(b"%PDF-")
    clerk.context.close()

    # 4. The walk-in, with only the receipt's numbers, downloads the same signed permit.
    page.goto(regency_url(pintu_server, "trenggalek", "/lacak/"))
    page.fill("#id_nomor", number)
    page.fill("#id_kode", code)
    page.get_by_role("button", name="Lacak").click()
    expect(page.locator("#permit-download")).to_be_visible()
    shot("walk-in-tracking-permit-issued")
    with page.expect_download() as download_info:
        page.locator("#permit-download").click()
    download = download_info.value
    assert download.suggested_filename == f"izin-{number}.pdf"
    with open(download.path(), "rb") as handle:
        held = handle.read()
    assert held == printed  # the walk-in holds the very permit the counter printed
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(held)).pages)
    assert permit.number in text.replace("\n", "") and "Pak Darmo" in text
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        assert application.events.filter(kind="permit_handed_over").count() == 1
