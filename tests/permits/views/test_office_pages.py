"""The office's pages (/kantor/): worklists, acting on a step, downloads, signing, revoking; other regencies 403."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from permits.models.applications import Application, ApplicationDocument, Permit, StepTask
from pintu.access.models import Role
from pintu.audit.models import AuditEntry
from tests.factories import office_build, pdf_bytes, submitted_application


@pytest.fixture
def built(trenggalek_office):
    return trenggalek_office


def open_tasks(application):
    with schema_context("trenggalek"):
        return list(StepTask.objects.filter(application=application, status="open").order_by("step__order", "pk"))


def to_signing(built, application):
    """Drive an application through the services to its signing step."""
    from permits.services.processing import recommendation_give, step_forward

    with schema_context("trenggalek"):
        for task in open_tasks(application):
            step_forward(task=task, officer=built.front_office)
        for task in open_tasks(application):
            recommendation_give(task=task, officer=built.health if task.agency == "Dinas Kesehatan" else built.police)
    [signing] = open_tasks(application)
    return signing


def test_worklist_tabs_counts_due_dates_in_regency_time_and_late_badge(built, trenggalek, applicant, client_for,
                                                                        django_assert_max_num_queries):
    with schema_context("trenggalek"):
        on_time = submitted_application(built, applicant)
        late = submitted_application(built, applicant)
        StepTask.objects.filter(application=late).update(due_at=timezone.now() - dt.timedelta(hours=3))
        for _ in range(3):  # more rows must not mean more queries
            submitted_application(built, applicant)
        [task] = open_tasks(on_time)
    client = client_for(trenggalek, built.front_office)
    client.get("/kantor/")  # warm the host routing cache
    with django_assert_max_num_queries(8):  # issue #4: a worklist page is at most 8 queries
        page = client.get("/kantor/")
    text = page.content.decode()
    assert page.status_code == 200
    assert on_time.registration_number in text and late.registration_number in text
    assert "Pemeriksaan kelengkapan" in text and "Surat Izin Praktik Fisioterapis" in text
    local_due = task.due_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert f"pukul {local_due:%H.%M} WIB" in text  # due date in Trenggalek's zone, not UTC
    assert text.count('<span class="badge bad">Terlambat</span>') == 1  # only the late row carries the badge
    assert ">5</span>" in text  # five files are mine to take

    late_tab = client.get("/kantor/?tab=late").content.decode()
    assert late.registration_number in late_tab and on_time.registration_number not in late_tab
    soon = client.get("/kantor/?tab=due_soon").content.decode()
    assert late.registration_number not in soon


def test_worklist_pages_by_due_date_with_a_next_link_and_no_row_twice(built, trenggalek, applicant, client_for,
                                                                       monkeypatch, django_assert_max_num_queries):
    from permits.views import office

    monkeypatch.setattr(office, "WORKLIST_PAGE", 2)
    with schema_context("trenggalek"):
        applications = [submitted_application(built, applicant) for _ in range(5)]
        now = timezone.now()
        for hours, application in zip((5, 1, 4, 2, 3), applications):
            StepTask.objects.filter(application=application).update(due_at=now + dt.timedelta(hours=hours))
        # Two steps due at the same instant: the id breaks the tie, so neither is skipped nor shown twice.
        StepTask.objects.filter(application=applications[4]).update(due_at=now + dt.timedelta(hours=2))
    expected = [applications[i].registration_number for i in (1, 3, 4, 2, 0)]
    client = client_for(trenggalek, built.front_office)
    client.get("/kantor/")
    seen, path = [], "/kantor/"
    for _ in range(3):
        with django_assert_max_num_queries(8):
            text = client.get(path).content.decode()
        seen += [number for number in expected if number in text]
        assert ">5</span>" in text  # the tab still counts every file, not the page
        if 'rel="next"' not in text:
            break
        path = "/kantor/" + text.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert seen == expected
    assert "Awal daftar" in text  # a way back to the first page
    assert client.get("/kantor/", {"setelah": "bukan-penanda"}).status_code == 200  # a bad cursor: first page


def test_worklist_indexes_exist_in_the_regency_schema(trenggalek):
    from django.db import connection

    with schema_context("trenggalek"), connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'trenggalek' "
                       "AND indexname IN ('permits_task_open_due_idx', 'permits_task_open_role_idx', "
                       "'permits_app_in_process_idx')")
        found = dict(cursor.fetchall())
    assert "WHERE ((status)::text = 'open'::text)" in found["permits_task_open_due_idx"]
    assert "INCLUDE (role, agency, claimed_by_id, application_id)" in found["permits_task_open_due_idx"]
    assert "(role, due_at, id) INCLUDE (agency, claimed_by_id, application_id) WHERE ((status)::text = 'open'::text)" \
        in found["permits_task_open_role_idx"]
    assert "WHERE ((status)::text = 'in_process'::text)" in found["permits_app_in_process_idx"]


def test_worklist_counts_match_the_worklist_selectors_scopes(built, trenggalek, applicant):
    from permits.selectors.applications import worklist
    from permits.selectors.office import worklist_counts

    with schema_context("trenggalek"):
        applications = [submitted_application(built, applicant) for _ in range(4)]
        now = timezone.now()
        StepTask.objects.filter(application=applications[0]).update(due_at=now - dt.timedelta(hours=1))
        StepTask.objects.filter(application=applications[1]).update(due_at=now + dt.timedelta(hours=30))
        StepTask.objects.filter(application=applications[2]).update(due_at=now + dt.timedelta(days=3))
        counts = worklist_counts(officer=built.front_office)
        assert counts == {scope: worklist(officer=built.front_office, scope=scope).count()
                          for scope in ("mine", "due_soon", "late")}
        assert counts["late"] == 1 and counts["mine"] == 4


def test_a_tab_badge_counts_up_to_its_cap_then_says_plus(built, trenggalek, applicant, client_for, monkeypatch):
    from permits.selectors.office import worklist_counts
    from permits.views import office

    with schema_context("trenggalek"):
        applications = [submitted_application(built, applicant) for _ in range(4)]
        # Deadlines set here: the SLA's working days would put them past "due soon" over a weekend.
        StepTask.objects.filter(application__in=applications[1:]).update(due_at=timezone.now() + dt.timedelta(hours=5))
        StepTask.objects.filter(application=applications[0]).update(due_at=timezone.now() - dt.timedelta(hours=1))
        assert worklist_counts(officer=built.front_office, cap=2) == {"mine": 3, "due_soon": 3, "late": 1}
        assert worklist_counts(officer=built.front_office, cap=3) == {"mine": 4, "due_soon": 3, "late": 1}
    monkeypatch.setattr(office, "WORKLIST_COUNT_CAP", 2)
    text = client_for(trenggalek, built.front_office).get("/kantor/").content.decode()
    assert text.count(">2+</span>") == 2  # mine and due soon are past the cap
    assert '<span class="badge bad">1</span>' in text  # one late file: exact, and marked


def test_a_worklist_page_and_its_counts_read_only_what_they_show(trenggalek, applicant):
    """20,000 applications, 2,000 open steps: the page's ids and each capped count read a few dozen index
    entries in due order (EXPLAIN ANALYZE), never every open step (issue #18)."""
    # An office of its own, not the shared one (`built`): applications_bulk dates the steps by now(), the
    # transaction's start, which under a shared office is that of the run's first test, minutes ago.
    from django.db import connection

    from permits.selectors.applications import officer_teams, worklist
    from permits.selectors.office import worklist_counts
    from tests.factories import applications_bulk
    from tests.services import plan_nodes

    def most_rows(nodes):
        return max(n["Actual Rows"] * n["Actual Loops"] for n in nodes if n.get("Relation Name") == "permits_steptask")

    with schema_context("trenggalek"):
        built = office_build()
        assert applications_bulk(built, applicant, count=20_000, in_process_every=10) == 2_000
        page = plan_nodes(worklist(officer=built.front_office, paged=True).values("pk")[:26])
        assert most_rows(page) == 26 and not any(n["Node Type"] in ("Hash Join", "Sort") for n in page), page

        statements = []

        def keep(execute, sql, params, many, context):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        teams = officer_teams(officer=built.front_office)
        with connection.execute_wrapper(keep):
            counts = worklist_counts(officer=built.front_office, teams=teams, cap=99)
        assert counts == {"mine": 100, "due_soon": 100, "late": 0}
        [(sql, params)] = statements
        counting = plan_nodes(sql, params)
        assert most_rows(counting) <= 100, counting


def test_technical_teams_of_two_agencies_each_see_only_their_own_step(built, trenggalek, applicant, client_for):
    """Both teams' worklists are one statement built once (same shape of teams, the agency a parameter):
    each reads its own agency's review, the same rows as the worklist selector."""
    from permits.selectors.applications import officer_teams, worklist, worklist_page_rows
    from permits.services.processing import step_forward

    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        for task in open_tasks(application):
            step_forward(task=task, officer=built.front_office)
    reviews = {t.agency: t.pk for t in open_tasks(application)}
    assert set(reviews) == {"Dinas Kesehatan", "Satpol PP"}
    for person, agency, other in ((built.health, "Dinas Kesehatan", "Satpol PP"),
                                  (built.police, "Satpol PP", "Dinas Kesehatan")):
        with schema_context("trenggalek"):
            teams = officer_teams(officer=person)
            shown = [row.pk for row in worklist_page_rows(officer=person, teams=teams, limit=26)]
            assert shown == list(worklist(officer=person, teams=teams, paged=True).values_list("pk", flat=True)[:26])
            assert reviews[agency] in shown and reviews[other] not in shown
        text = client_for(trenggalek, person).get("/kantor/").content.decode()
        assert application.registration_number in text
        assert f"({agency})" in text and f"({other})" not in text


def test_claiming_takes_the_file_out_of_colleagues_worklists(built, trenggalek, applicant, officer, client_for):
    colleague = officer(trenggalek, Role.FRONT_OFFICE)
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    [task] = open_tasks(application)
    client = client_for(trenggalek, built.front_office)
    response = client.post(f"/kantor/tugas/{task.pk}/ambil/", follow=True)
    assert "kini menjadi tugas Anda" in response.content.decode()
    with schema_context("trenggalek"):
        assert StepTask.objects.get(pk=task.pk).claimed_by_id == built.front_office.pk
    assert application.registration_number not in client_for(trenggalek, colleague).get("/kantor/").content.decode()
    again = client_for(trenggalek, colleague).post(f"/kantor/tugas/{task.pk}/ambil/", follow=True)
    assert again.status_code == 200 and "sudah diambil petugas lain" in again.content.decode()


def test_task_page_shows_labelled_answers_documents_and_only_the_steps_actions(built, trenggalek, applicant,
                                                                            client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    [task] = open_tasks(application)
    text = client_for(trenggalek, built.front_office).get(f"/kantor/tugas/{task.pk}/").content.decode()
    assert "Alamat praktik" in text and "Jl. Soekarno-Hatta No. 5" in text
    from tenants.regions import districts

    code = built.form["kecamatan"]
    assert f"<dt>Kecamatan</dt><dd>{dict(districts('3503'))[code]} ({code})</dd>" in text  # shown by name
    assert "KTP" in text and "STR Fisioterapis" in text and "Unduh" in text
    assert 'name="action" value="forward"' in text and 'name="action" value="return"' in text
    assert 'name="action" value="approve_sign"' not in text and 'name="action" value="reject"' not in text
    assert "Riwayat" in text and "Permohonan diterima" in text


def test_document_download_is_streamed_to_officers_here_and_audited(built, trenggalek, blitar, applicant, officer,
                                                                    client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        document = application.documents.get(requirement=built.requirements[0], is_current=True)
    url = f"/kantor/berkas/{document.pk}/"
    response = client_for(trenggalek, built.front_office).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    with schema_context("trenggalek"):
        entry = AuditEntry.objects.filter(action="document.download").latest("seq")
        assert entry.actor_id == built.front_office.pk and entry.detail["document"] == document.pk
    assert client_for(trenggalek, officer(blitar, Role.VERIFIER)).get(url).status_code == 404
    assert client_for(trenggalek, applicant).get(url).status_code == 404  # the applicant downloads via their page
    assert client_for(trenggalek).get(url).status_code == 302  # sign in first


def test_verifier_rejects_a_requirement_with_reason_and_returns_the_file(built, trenggalek, applicant, client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
        ktp = application.documents.get(requirement=built.requirements[0], is_current=True)
    [task] = open_tasks(application)
    client = client_for(trenggalek, built.front_office)
    no_reason = client.post(f"/kantor/berkas/{ktp.pk}/periksa/", {"verdict": "reject", "task": task.pk}, follow=True)
    assert "Tuliskan alasan" in no_reason.content.decode()
    client.post(f"/kantor/berkas/{ktp.pk}/periksa/", {"verdict": "reject", "reason": "Foto buram", "task": task.pk})
    with schema_context("trenggalek"):
        assert ApplicationDocument.objects.get(pk=ktp.pk).review == "rejected"
    done = client.post(f"/kantor/tugas/{task.pk}/", {"action": "return", "note": "Mohon pindai ulang"}, follow=True)
    text = done.content.decode()
    assert "Dikembalikan untuk perbaikan" in text and "KTP: Foto buram" in text
    with schema_context("trenggalek"):
        assert Application.objects.get(pk=application.pk).status == "returned"


def test_two_officers_on_the_same_step_the_second_sees_a_clear_message(built, trenggalek, applicant, officer,
                                                                      client_for):
    colleague = officer(trenggalek, Role.FRONT_OFFICE)
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    [task] = open_tasks(application)
    first, second = client_for(trenggalek, built.front_office), client_for(trenggalek, colleague)
    assert 'value="forward"' in second.get(f"/kantor/tugas/{task.pk}/").content.decode()  # both have it open
    assert first.post(f"/kantor/tugas/{task.pk}/", {"action": "forward"}).status_code == 302
    late = second.post(f"/kantor/tugas/{task.pk}/", {"action": "forward"}, follow=True)
    assert late.status_code == 200
    assert "sudah diproses oleh petugas lain" in late.content.decode()
    with schema_context("trenggalek"):
        assert StepTask.objects.get(pk=task.pk).completed_by_id == built.front_office.pk


def test_signer_sees_who_holds_authority_today_signs_then_revokes(built, trenggalek, applicant, officer, client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    signing = to_signing(built, application)
    other = officer(trenggalek, Role.SIGNING_OFFICIAL)
    page = client_for(trenggalek, built.signer).get(f"/kantor/tugas/{signing.pk}/").content.decode()
    assert "Pemegang wewenang tanda tangan hari ini" in page
    assert built.signer.full_name in page and "Kepala DPMPTSP" in page and "Perbup 12/2024" in page
    assert "Anda bukan pemegang wewenang" not in page
    assert "Anda bukan pemegang wewenang" in client_for(trenggalek, other).get(
        f"/kantor/tugas/{signing.pk}/").content.decode()
    refused = client_for(trenggalek, other).post(f"/kantor/tugas/{signing.pk}/", {"action": "approve_sign"},
                                                 follow=True)
    assert "tidak memegang wewenang" in refused.content.decode()

    client = client_for(trenggalek, built.signer)
    signed = client.post(f"/kantor/tugas/{signing.pk}/", {"action": "approve_sign"}, follow=True)
    with schema_context("trenggalek"):
        permit = Permit.objects.get(application=application)
    text = signed.content.decode()
    assert permit.number in text and "Izin terbit" in text and "Cabut izin" in text

    assert client_for(trenggalek, built.front_office).post(f"/kantor/izin/{permit.pk}/cabut/",
                                                           {"reason": "x"}).status_code == 403
    blank = client.post(f"/kantor/izin/{permit.pk}/cabut/", {"reason": " "}, follow=True)
    assert "Tuliskan alasan pencabutan" in blank.content.decode()
    asked = client.post(f"/kantor/izin/{permit.pk}/cabut/", {"reason": "Lokasi praktik dipindah"})
    assert asked.status_code == 200 and "Cabut izin?" in asked.content.decode()  # confirmation first
    assert "Lokasi praktik dipindah</textarea>" in asked.content.decode()  # the reason is kept
    with schema_context("trenggalek"):
        permit.refresh_from_db()
        assert permit.status == "valid"
    revoked = client.post(f"/kantor/izin/{permit.pk}/cabut/", {"reason": "Lokasi praktik dipindah",
                                                                "confirm": permit.number}, follow=True)
    assert "Dicabut" in revoked.content.decode() and "Lokasi praktik dipindah" in revoked.content.decode()
    with schema_context("trenggalek"):
        permit.refresh_from_db()
        assert permit.status == "revoked" and permit.revoked_by_id == built.signer.pk


def test_checklist_survey_date_and_report_are_kept(trenggalek, applicant, officer, client_for):
    """Issue #14.7: the visit is scheduled on its own (the applicant is told), then the step closes with
    the report and its checklist; a refused report is not kept."""
    from permits.regency import regency_today
    from permits.services.workflow import sop_publish, sop_revise, sop_steps_set
    from pintu.notify.models import OutboxMessage
    from tests.permits.services.test_site_survey import next_working_day, stored_reports

    surveyor = officer(trenggalek, Role.SURVEYOR)
    with schema_context("trenggalek"):
        built = office_build()
        steps = [
            {"name": "Pemeriksaan kelengkapan", "role": "front_office", "sla_working_days": 1,
             "allowed_actions": ["forward", "return"], "checklist": ["KTP asli dilihat", "Berkas lengkap"]},
            {"name": "Survei lapangan", "role": "surveyor", "sla_working_days": 2, "allowed_actions": ["forward"],
             "checklist": ["Lokasi sesuai"]},
            {"name": "Penandatanganan", "role": "signing_official", "sla_working_days": 1,
             "allowed_actions": ["approve_sign", "reject"]},
        ]
        sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=built.permit_type), steps=steps))
        application = submitted_application(built, applicant)
        visit_day = next_working_day(regency_today())
        reports_before = stored_reports()
    [check] = open_tasks(application)
    client = client_for(trenggalek, built.front_office)
    page = client.get(f"/kantor/tugas/{check.pk}/").content.decode()
    assert 'name="check-0"' in page and "KTP asli dilihat" in page and "Tanggal survei" not in page
    client.post(f"/kantor/tugas/{check.pk}/", {"action": "forward", "check-0": "on"})
    with schema_context("trenggalek"):
        assert StepTask.objects.get(pk=check.pk).checklist_result == {"KTP asli dilihat": True, "Berkas lengkap": False}
    [survey] = open_tasks(application)
    surveyor_client = client_for(trenggalek, surveyor)
    assert "Tanggal survei lapangan" in surveyor_client.get(f"/kantor/tugas/{survey.pk}/").content.decode()
    unscheduled = surveyor_client.post(f"/kantor/tugas/{survey.pk}/", {
        "action": "forward", "check-0": "on",
        "report": SimpleUploadedFile("laporan.pdf", pdf_bytes("Laporan survei"), content_type="application/pdf")},
        follow=True)
    assert "Jadwalkan kunjungan survei terlebih dahulu" in unscheduled.content.decode()
    scheduled = surveyor_client.post(f"/kantor/tugas/{survey.pk}/jadwal-survei/", {
        "date": visit_day.isoformat(), "time": "09:30", "note": "Mohon pemilik hadir"}, follow=True)
    assert "pemohon diberi tahu" in scheduled.content.decode()
    with schema_context("trenggalek"):
        assert OutboxMessage.objects.filter(application_id=application.pk, event="survey_scheduled").exists()
    early = surveyor_client.post(f"/kantor/tugas/{survey.pk}/", {
        "action": "forward", "check-0": "on",
        "report": SimpleUploadedFile("laporan.pdf", pdf_bytes("Laporan survei"), content_type="application/pdf")},
        follow=True)
    assert "laporan dapat diunggah sejak hari kunjungan" in early.content.decode()
    with schema_context("trenggalek"):  # the visit has happened (the page's own clock cannot travel)
        visit_at = StepTask.objects.get(pk=survey.pk).survey_at
        StepTask.objects.filter(pk=survey.pk).update(survey_at=timezone.now() - dt.timedelta(hours=1))
    bad = surveyor_client.post(f"/kantor/tugas/{survey.pk}/", {
        "action": "forward", "check-0": "on",
        "report": SimpleUploadedFile("laporan.pdf", b"bukan pdf", content_type="application/pdf")}, follow=True)
    assert bad.status_code == 200
    with schema_context("trenggalek"):
        assert StepTask.objects.get(pk=survey.pk).status == "open"  # refused upload, nothing done
    surveyor_client.post(f"/kantor/tugas/{survey.pk}/", {
        "action": "forward", "note": "Lokasi sesuai", "check-0": "on",
        "report": SimpleUploadedFile("laporan.pdf", pdf_bytes("Laporan survei"), content_type="application/pdf")})
    with schema_context("trenggalek"):
        StepTask.objects.filter(pk=survey.pk).update(survey_at=visit_at)
        done = StepTask.objects.get(pk=survey.pk)
        assert len(stored_reports()) == len(reports_before) + 1  # only the accepted report was kept
    assert done.status == "done" and done.survey_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date() == visit_day
    assert done.report_key.startswith("trenggalek/surveys/") and done.checklist_result == {"Lokasi sesuai": True}
    report = client.get(f"/kantor/tugas/{survey.pk}/laporan/")
    assert report.status_code == 200 and b"".join(report.streaming_content).startswith(b"%PDF")
    from permits.documents.text import date_id

    assert f"{date_id(visit_day)} pukul 09.30 WIB" in client.get(f"/kantor/tugas/{survey.pk}/").content.decode()


def test_other_regencies_officers_and_applicants_get_403(built, trenggalek, blitar, applicant, officer, client_for):
    with schema_context("trenggalek"):
        application = submitted_application(built, applicant)
    [task] = open_tasks(application)
    blitar_officer = officer(blitar, Role.FRONT_OFFICE)
    blitar_signer = officer(blitar, Role.SIGNING_OFFICIAL)
    for user in (blitar_officer, blitar_signer, applicant):
        client = client_for(trenggalek, user)
        for url in ("/kantor/", f"/kantor/tugas/{task.pk}/", f"/kantor/permohonan/{application.pk}/"):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(f"/kantor/tugas/{task.pk}/", {"action": "forward"}).status_code == 403
        assert client.post(f"/kantor/tugas/{task.pk}/ambil/").status_code == 403
    with schema_context("trenggalek"):
        assert StepTask.objects.get(pk=task.pk).status == "open"
    # Their own regency's worklist works, and shows nothing of Trenggalek's.
    own = client_for(blitar, blitar_officer).get("/kantor/")
    assert own.status_code == 200 and application.registration_number not in own.content.decode()


def test_nav_shows_officer_links_only_to_people_with_a_role(built, trenggalek, applicant, client_for):
    assert "Daftar kerja" in client_for(trenggalek, built.front_office).get("/").content.decode()
    assert "Loket" in client_for(trenggalek, built.front_office).get("/").content.decode()
    applicant_home = client_for(trenggalek, applicant).get("/").content.decode()
    assert "Daftar kerja" not in applicant_home and "Log audit" not in applicant_home
    assert client_for(None, built.front_office).get("/").status_code == 200  # apex: no regency roles, no error
