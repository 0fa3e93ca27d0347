"""An applicant whose permit was issued downloads it and rates the service; the head of the
office then sees the new respondent on the IKM page."""
import uuid
from concurrent.futures import ThreadPoolExecutor

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from permits.services.catalog import permit_type_update
from pintu.access.models import Role
from pintu.access.services import membership_grant
from pintu.identity.services import user_ensure
from tests.e2e.conftest import regency_url
from tests.factories import office_build, submitted_application
from tests.permits.test_survey import decide

PASSWORD = "kopi-tubruk-77"
# The score chosen for each element, U1..U9 (1 = the regulation's lowest answer, 4 = its highest).
CHOSEN = {"requirements": 4, "procedure": 3, "time": 4, "cost": 4, "product": 4, "competence": 3, "conduct": 4,
          "facilities": 3, "complaint_handling": 3}


def _sign_in(page, pintu_server, email: str) -> None:
    page.goto(regency_url(pintu_server, "trenggalek", "/masuk/"))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(regency_url(pintu_server, "trenggalek") + "**")


def _respondents_this_month() -> int:
    from permits.selectors.survey import ikm_for_period, period_containing

    return ikm_for_period(period_containing(kind="month")).respondents


def _issued_permit():
    from django.db import connection

    suffix = uuid.uuid4().hex[:6]
    try:
        with schema_context("trenggalek"):
            applicant, _ = user_ensure(email=f"bidan-{suffix}@contoh.id", full_name="Wulan Fisioterapis",
                                       password=PASSWORD)
            head, _ = user_ensure(email=f"kadis-{suffix}@contoh.id", full_name="Kepala DPMPTSP Uji", password=PASSWORD)
            membership_grant(user=head, role=Role.HEAD)
            office = office_build()
            # Other browser tests commit permits too: a number series of this test's own.
            permit_type_update(permit_type=office.permit_type,
                               number_format=f"503/{{seq:04d}}/E2E-{suffix.upper()}/DPM-PTSP/{{year}}")
            application = decide(office, submitted_application(office, applicant))
            assert application.status == "issued"
            return applicant, head, application, _respondents_this_month()
    finally:
        connection.close()


def test_applicant_downloads_the_permit_and_rates_the_service(page, browser, pintu_server, django_db_blocker):
    with django_db_blocker.unblock():
        # Signing the permit (pyHanko) runs its own asyncio loop, which cannot start in this thread
        # where Playwright's loop is running: build the committed data in a worker thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            applicant, head, application, before = pool.submit(_issued_permit).result()

    _sign_in(page, pintu_server, applicant.email)
    page.goto(regency_url(pintu_server, "trenggalek", f"/permohonan/{application.pk}/"))
    expect(page.locator("body")).to_contain_text("Izin terbit")
    invitation = page.locator("#survey-invitation")
    expect(invitation).to_contain_text("Nilai layanan kami")
    page.steps.shot("permit-issued-with-invitation")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh izin (PDF bertanda tangan elektronik)").click()
    download = download_info.value
    assert download.suggested_filename == f"izin-{application.registration_number}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    invitation.get_by_role("link", name="Nilai layanan kami").click()
    expect(page.locator("h1")).to_have_text("Nilai layanan kami")
    expect(page.locator("body")).to_contain_text("Sangat sesuai")
    page.steps.shot("survey-form")
    page.get_by_role("button", name="Kirim penilaian").click()  # nothing chosen yet
    expect(page.locator("body")).to_contain_text("Pilih nilai untuk unsur Persyaratan")
    page.steps.shot("survey-incomplete")
    for field, score in CHOSEN.items():
        page.locator(f'label[for="id_{field}_{score - 1}"]').click()
    page.fill("#id_comment", "Cepat dan tanpa biaya. Terima kasih.")
    page.steps.shot("survey-filled")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator("body")).to_contain_text("Terima kasih. Penilaian Anda membantu kami memperbaiki layanan.")
    expect(page.locator("#survey-invitation")).to_have_count(0)
    page.steps.shot("rated")

    # Rating again is refused with a clear message.
    page.goto(regency_url(pintu_server, "trenggalek", f"/skm/permohonan/{application.pk}/"))
    expect(page.locator("#survey-done")).to_contain_text("Setiap permohonan dinilai satu kali")

    head_context = browser.new_context(locale="id-ID", viewport={"width": 1024, "height": 900})
    try:
        head_page = head_context.new_page()
        head_page.set_default_timeout(15000)
        _sign_in(head_page, pintu_server, head.email)
        head_page.goto(regency_url(pintu_server, "trenggalek", "/skm/"))
        expect(head_page.locator("#respondents")).to_have_text(str(before + 1))
        expect(head_page.locator("body")).to_contain_text("Cepat dan tanpa biaya")
        expect(head_page.locator("svg.chart rect")).to_have_count(9)
        head_page.screenshot(path=str(page.steps.dir / f"{page.steps.count + 1:02d}-ikm-page-head.png"), full_page=True)
    finally:
        head_context.close()
    with django_db_blocker.unblock(), schema_context("trenggalek"):
        from permits.models.survey import SurveyResponse

        response = SurveyResponse.objects.get(application_id=application.pk)
        assert response.scores() == CHOSEN and response.channel == "online"
