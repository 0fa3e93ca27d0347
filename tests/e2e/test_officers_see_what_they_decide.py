"""Officers in Chromium (issue #16, items 9-11): the verifier reads each scan beside its review form
(zoom, rotate, next requirement) without downloading it; while the head is away the Plh opens the
decision page, reads every technical note and the DRAF of the permit in the page, and signs; the
head's worklist names the Plh and offers no decision."""
from __future__ import annotations

import datetime as dt
import io
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from django_tenants.utils import schema_context
from PIL import Image
from playwright.sync_api import expect

from permits.models.applications import Permit, StepTask
from tests.e2e.conftest import regency_url
from tests.e2e.test_application_journey import sign_in
from tests.e2e.test_counter_journey import _fetch
from tests.factories import office_build, upload


def _file_with_a_photo():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from PIL import Image, ImageDraw

    from permits.regency import regency_today
    from permits.services.applications import (
        application_document_upload,
        application_draft_create,
        application_form_save,
        application_submit,
    )
    from permits.services.catalog import permit_type_update
    from permits.services.delegation import acting_official_create
    from tests.factories import UserFactory

    image = Image.new("RGB", (640, 400), "#f4f1e8")
    ImageDraw.Draw(image).text((40, 40), "KARTU TANDA PENDUDUK", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    suffix = uuid.uuid4().hex[:6].upper()
    try:
        with schema_context("trenggalek"):
            office = office_build()
            permit_type_update(permit_type=office.permit_type,
                               number_format=f"503/{{seq:04d}}/SIPF-PLH-{suffix}/DPM-PTSP/{{year}}")
            plh = UserFactory(full_name="Dewi Lestari")
            acting_official_create(position=office.head_position, user=plh, kind="plh", decree_number="800/7/2026",
                                   valid_from=regency_today() - dt.timedelta(days=1),
                                   valid_until=regency_today() + dt.timedelta(days=3), grant_signing_role=True)
            applicant = UserFactory(full_name="Wulan Sari")
            application = application_draft_create(permit_type=office.permit_type, applicant=applicant)
            application_form_save(application=application, data=office.form, actor=applicant)
            application_document_upload(application=application, requirement=office.requirements[0], actor=applicant,
                                        file=SimpleUploadedFile("ktp.jpg", buffer.getvalue(), "image/jpeg"))
            application_document_upload(application=application, requirement=office.requirements[1], actor=applicant,
                                        file=upload("str.pdf", "STR Fisioterapis"))
            application = application_submit(application=application, actor=applicant)
            [task] = StepTask.objects.filter(application=application, status="open")
            return office, plh, application, task.pk
    finally:
        connection.close()


def _to_signing(office, application):
    from django.db import connection

    from permits.services.processing import recommendation_give, step_forward

    try:
        with schema_context("trenggalek"):
            for task in StepTask.objects.filter(application=application, status="open"):
                step_forward(task=task, officer=office.front_office)
            for task in StepTask.objects.filter(application=application, status="open"):
                health = task.agency == "Dinas Kesehatan"
                recommendation_give(task=task, officer=office.health if health else office.police,
                                    note="Sarana praktik memenuhi standar." if health else "Lokasi sesuai peruntukan.")
            return StepTask.objects.get(application=application, status="open").pk
    finally:
        connection.close()


def _painted(page, locator, timeout: float = 10.0) -> None:
    """Until the browser's PDF viewer in `locator` has painted (two screenshots of it alike and not one
    colour), instead of a fixed 3 s wait: its frame is the viewer's own, out of Playwright's reach."""
    deadline, previous = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        shot = locator.screenshot()
        if shot == previous and len(set(Image.open(io.BytesIO(shot)).convert("L").getdata())) > 1:
            return
        previous = shot
        page.wait_for_timeout(250)


def test_verifier_previews_scans_and_the_plh_signs_after_reading_the_draft(pdf_browser, pintu_server,
                                                                            django_db_blocker):
    """In the full Chromium: the scans and the DRAF are read in its PDF viewer."""
    with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
        office, plh, application, first_task = pool.submit(_file_with_a_photo).result()
    number = application.registration_number

    # 1. The verifier reads the KTP photo in the page, zooms and turns it, then goes to the next requirement.
    verifier = sign_in(pdf_browser, pintu_server, office.front_office.email)
    verifier.set_viewport_size({"width": 1280, "height": 900})
    from tests.e2e.conftest import Steps

    steps = Steps(verifier, "officers_see_what_they_decide")
    verifier.goto(regency_url(pintu_server, "trenggalek", f"/kantor/tugas/{first_task}/"))
    verifier.locator("a[data-preview]").first.click()
    expect(verifier.locator("h1")).to_have_text("KTP")
    image = verifier.locator(".viewer img")
    expect(image).to_be_visible()
    loaded = "() => { const i = document.querySelector('.viewer img'); return i.complete && i.naturalWidth > 0; }"
    verifier.wait_for_function(loaded)
    assert verifier.evaluate("() => document.querySelector('.viewer img').naturalWidth") == 640  # really loaded
    steps.shot("verifier-ktp-photo")
    verifier.get_by_role("link", name="Perbesar").click()
    verifier.get_by_role("link", name="Putar 90°").click()
    expect(verifier.locator("[data-zoom]")).to_have_text("150%")
    assert image.get_attribute("src").endswith("?putar=90")
    verifier.wait_for_function(loaded)
    assert verifier.evaluate("() => document.querySelector('.viewer img').naturalWidth") == 400  # turned
    steps.shot("verifier-ktp-zoomed-turned")
    verifier.get_by_role("button", name="Sesuai · berikutnya").click()
    expect(verifier.locator("h1")).to_have_text("STR Fisioterapis")
    expect(verifier.locator("iframe.preview")).to_be_visible()
    status, kind, body = _fetch(verifier, verifier.locator("iframe.preview").get_attribute("src").split("#")[0])
    assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF-")
    assert verifier.evaluate("navigator.pdfViewerEnabled")
    _painted(verifier, verifier.locator("iframe.preview"))  # the browser's PDF viewer paints after load
    steps.shot("verifier-str-pdf")
    verifier.context.close()

    with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
        signing = pool.submit(_to_signing, office, application).result()

    # 2. The head, away today, sees the decision in the worklist but who signs it, with no button.
    head = sign_in(pdf_browser, pintu_server, office.signer.email)
    head.set_viewport_size({"width": 1280, "height": 900})
    head.goto(regency_url(pintu_server, "trenggalek", "/kantor/"))
    row = head.locator("li.card", has_text=number)
    expect(row.locator('[data-signs="other"]')).to_contain_text("Dewi Lestari (Plh. Kepala DPMPTSP)")
    expect(row.get_by_role("button")).to_have_count(0)
    head.screenshot(path=str(steps.dir / "04-head-worklist-plh-signs.png"), full_page=True)
    head.context.close()

    # 3. The Plh reads every technical note and the DRAF, then signs.
    deputy = sign_in(pdf_browser, pintu_server, plh.email)
    deputy.set_viewport_size({"width": 1280, "height": 900})
    deputy.goto(regency_url(pintu_server, "trenggalek", f"/kantor/tugas/{signing}/"))
    expect(deputy.locator("#rekomendasi")).to_contain_text("Sarana praktik memenuhi standar.")
    expect(deputy.locator("#rekomendasi")).to_contain_text("Lokasi sesuai peruntukan.")
    frame = deputy.locator("#draf iframe")
    expect(frame).to_be_visible()
    status, kind, draft = _fetch(deputy, frame.get_attribute("src"))
    assert status == 200 and kind == "application/pdf"
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(draft)).pages)
    assert "DRAF" in text and "Wulan Sari" in text and "Plh." in text.replace("PLH.", "Plh.")
    deputy.locator("#draf").scroll_into_view_if_needed()
    _painted(deputy, frame)
    deputy.screenshot(path=str(steps.dir / "05-plh-decision-page.png"))
    # Chromium's PDF viewer keeps the mouse after the screenshot: the next click
    # on the page goes to it. Move the pointer onto the form first, as a person does.
    sign = deputy.get_by_role("button", name="Setujui dan tandatangani")
    sign.scroll_into_view_if_needed()
    deputy.get_by_label("Catatan").click()
    sign.click()
    expect(deputy.locator(".messages")).to_contain_text("Setujui dan tandatangani", timeout=60000)
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        assert Permit.objects.get(application=application).signer_name == "Dewi Lestari"
    deputy.context.close()
