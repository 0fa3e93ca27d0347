"""On a 390 px phone, a business's person in charge types their NIB on the online form and the business
fields come from OSS (the simulator, a real HTTP server); a wrong NIB says so and keeps what was typed.
Its own web server: the shared one is not connected to OSS."""
from __future__ import annotations

import uuid

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from deploy.oss_simulator.generator import receive_nib_payload
from tests.e2e.conftest import Steps
from tests.factories import TEST_PASSWORD
from tests.services import Simulator, free_port, web_server

NIB = "9120000023761"


def test_a_person_in_charge_fills_the_online_form_from_oss_on_a_phone(browser, pintu_server, django_db_blocker,
                                                                      tmp_path):
    from permits.oss.models import PermitCodeMapping
    from permits.services.applications import application_draft_create
    from permits.services.catalog import form_field_create
    from tests.factories import UserFactory, office_build

    business = receive_nib_payload(int(NIB) % 1000, checklist=[])["dataNIB"]
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        office = office_build()
        form_field_create(permit_type=office.permit_type, order=3, key="nib", label="NIB", kind="nib", is_required=False)
        form_field_create(permit_type=office.permit_type, order=4, key="nama_usaha", label="Nama usaha",
                          is_required=False)
        PermitCodeMapping.objects.update_or_create(kd_izin="0339" + uuid.uuid4().hex[:8],
                                                   defaults={"permit_type": office.permit_type})
        holder = UserFactory(full_name="Penanggung Jawab Usaha",
                             nik=business["penanggung_jwb"][0]["no_identitas_penanggung_jwb"])
        application = application_draft_create(permit_type=office.permit_type, applicant=holder)
    sim = Simulator(tmp_path)
    sim.start()
    port = free_port()
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20000)
    steps = Steps(page, "oss_nib_fill_390")
    try:
        with web_server(port=port, log_path=tmp_path / "web.log", OSS_BASE_URL=sim.url, OSS_USER_KEY="kunci"):
            base = f"http://trenggalek.localhost:{port}"
            page.goto(f"{base}/masuk/")
            page.fill("#id_username", holder.email)
            page.fill("#id_password", TEST_PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_url(base + "/**")
            page.goto(f"{base}/permohonan/{application.pk}/")
            page.get_by_role("link", name="Punya NIB? Isi data usaha dari OSS").click()
            page.fill("#id_alamat_praktik", "Jl. Panglima Sudirman No. 9, Trenggalek")
            page.fill("#oss_nib", "0120000023761")  # a NIB OSS does not know
            page.get_by_role("button", name="Ambil data usaha dari OSS").click()
            expect(page.locator(".messages")).to_contain_text("NIB tidak ditemukan di OSS")
            expect(page.locator("#id_alamat_praktik")).to_have_value("Jl. Panglima Sudirman No. 9, Trenggalek")
            expect(page.locator("#oss_nib")).to_have_value("0120000023761")
            steps.shot("unknown-nib-kept")
            page.fill("#oss_nib", NIB)
            page.get_by_role("button", name="Ambil data usaha dari OSS").click()
            expect(page.locator(".messages")).to_contain_text("Data usaha diisi dari OSS")
            expect(page.locator("#id_nama_usaha")).to_have_value(business["nama_perseroan"])
            expect(page.locator("#id_nib")).to_have_value(NIB)
            expect(page.locator("#id_alamat_praktik")).to_have_value("Jl. Panglima Sudirman No. 9, Trenggalek")
            steps.shot("filled-from-oss")
            widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], widths  # nothing wider than the phone
            # the counter: a walk-in business brings its NIB; OSS away first, then back
            context.clear_cookies()
            page.goto(f"{base}/masuk/")
            page.fill("#id_username", office.front_office.email)
            page.fill("#id_password", TEST_PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_url(base + "/**")
            page.goto(f"{base}/loket/baru/")
            page.select_option("#id_permit_type", str(office.permit_type.pk))
            page.fill("#id_applicant_name", "Budi Santoso")
            page.fill("#id_applicant_nik", "3503011204850009")
            page.fill("#id_nib", NIB)
            sim.stop()
            page.get_by_role("button", name="Mulai").click()
            expect(page.locator("main")).to_contain_text("tidak dapat diambil dari OSS")
            expect(page.locator("#id_applicant_name")).to_have_value("Budi Santoso")
            expect(page.locator("#id_nib")).to_have_value(NIB)
            steps.shot("counter-oss-away-kept")
            sim.start()
            page.get_by_role("button", name="Mulai").click()
            expect(page.locator(".messages")).to_contain_text("data usaha diisi dari OSS")
            expect(page.locator("#id_nama_usaha")).to_have_value(business["nama_perseroan"])
            steps.shot("counter-filled-from-oss")
            # Chromium's open connections closed before the server stops: each holds a gunicorn thread that
            # its graceful stop would wait on until it is killed (10 s).
            context.close()
    finally:
        context.close()
        sim.stop()
