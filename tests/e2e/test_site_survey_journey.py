"""Issue #14.7 in Chromium: the surveyor schedules the visit (the applicant's tracking page on a phone shows
the date), moves it (shown again), and closes the step only with the report and the checklist."""
from __future__ import annotations

import datetime as dt

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from permits.models.applications import StepTask
from tests.e2e.conftest import regency_url, sign_in_on
from tests.factories import office_build, pdf_bytes, submitted_application


def test_schedule_move_and_close_a_site_survey(page, browser, pintu_server, django_db_blocker, tmp_path):
    from permits.documents.text import date_id
    from permits.regency import regency_today
    from permits.services.processing import step_forward
    from permits.services.workflow import sop_publish, sop_revise, sop_steps_set
    from pintu.access.models import Role
    from pintu.access.services import membership_grant
    from tests.factories import UserFactory
    from tests.permits.services.test_site_survey import CHECKLIST, next_working_day, survey_steps

    with django_db_blocker.unblock(), schema_context("trenggalek"):
        office = office_build()
        sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=office.permit_type), steps=survey_steps()))
        surveyor = UserFactory(full_name="Bambang Survei")
        membership_grant(user=surveyor, role=Role.SURVEYOR)
        application = submitted_application(office, UserFactory(full_name="Dewi Fisioterapis"))
        step_forward(task=StepTask.objects.get(application=application, status="open"), officer=office.front_office)
        survey = StepTask.objects.get(application=application, status="open")
        first, second = next_working_day(regency_today()), next_working_day(regency_today(), skip=2)
    report = tmp_path / "laporan-survei.pdf"
    report.write_bytes(pdf_bytes("Laporan survei: lokasi sesuai"))
    shot = page.steps.shot
    office_context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    desk = office_context.new_page()
    desk.set_default_timeout(20000)
    desk_shot = lambda label: desk.screenshot(path=str(page.steps.dir / f"9{label}.png"), full_page=True)  # noqa: E731

    # 1. The surveyor opens the step: no visit yet, so it cannot close.
    sign_in_on(desk, pintu_server, surveyor.email)
    desk.goto(regency_url(pintu_server, "trenggalek", f"/kantor/tugas/{survey.pk}/"))
    expect(desk.locator("#survey")).to_contain_text("Belum dijadwalkan")
    desk.get_by_role("button", name="Teruskan").click()
    expect(desk.locator(".messages")).to_contain_text("Jadwalkan kunjungan survei terlebih dahulu")
    desk_shot("1-survey-not-scheduled")

    # 2. Schedule it; the applicant's tracking page (a phone) shows the date.
    desk.fill("#survey-date", first.isoformat())
    desk.fill("#survey-time", "09:30")
    desk.fill("#survey-note", "Mohon pemilik tempat praktik hadir")
    desk.get_by_role("button", name="Jadwalkan survei").click()
    expect(desk.locator(".messages")).to_contain_text("pemohon diberi tahu")
    expect(desk.locator("#survey")).to_contain_text(f"{date_id(first)} pukul 09.30 WIB")
    desk_shot("2-survey-scheduled")
    page.set_viewport_size({"width": 390, "height": 844})
    tracking = regency_url(pintu_server, "trenggalek",
                           f"/lacak/?nomor={application.registration_number}&kode={application.tracking_code}")
    page.goto(tracking)
    expect(page.locator("body")).to_contain_text("Survei lapangan dijadwalkan pada")
    expect(page.locator("body")).to_contain_text(f"{date_id(first)} pukul 09.30 WIB")
    shot("tracking-shows-the-visit")

    # 3. Move it: the applicant is told the new date.
    desk.fill("#survey-date", second.isoformat())
    desk.fill("#survey-time", "13:00")
    desk.get_by_role("button", name="Ubah jadwal").click()
    expect(desk.locator("#survey")).to_contain_text(f"{date_id(second)} pukul 13.00 WIB")
    page.goto(tracking)
    expect(page.locator("body")).to_contain_text("diubah menjadi")
    expect(page.locator("body")).to_contain_text(f"{date_id(second)} pukul 13.00 WIB")
    shot("tracking-shows-the-moved-visit")

    # 4. The visit has happened (its time put in the past); close with the checklist and the report.
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        StepTask.objects.filter(pk=survey.pk).update(survey_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1))
    desk.reload()
    desk.set_input_files("#report", str(report))
    desk.get_by_role("button", name="Teruskan").click()
    expect(desk.locator(".messages")).to_contain_text("Centang seluruh daftar periksa survei")
    desk_shot("3-checklist-missing")
    for item in CHECKLIST:
        desk.get_by_label(item).check()
    desk.set_input_files("#report", str(report))
    desk.fill("#note", "Lokasi dan sarana sesuai.")
    desk.get_by_role("button", name="Teruskan").click()
    expect(desk.locator("body")).to_contain_text("Penandatanganan")
    desk_shot("4-survey-closed")
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        done = StepTask.objects.get(pk=survey.pk)
    assert done.status == "done" and done.report_key and all(done.checklist_result.values())
    office_context.close()
