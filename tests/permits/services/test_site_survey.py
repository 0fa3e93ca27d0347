"""Site survey (issue #14.7): the visit is scheduled as its own action, the applicant is told each date
(outbox, tracking), and the step closes only after the visit with its report and its whole checklist."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from permits.errors import ActionNotAllowed, SurveyNotReady, SurveyScheduleInvalid
from permits.models.applications import StepTask
from permits.regency import regency_today, regency_zone
from permits.selectors.applications import tracking_lookup
from permits.selectors.calendar import is_working_day
from permits.services.processing import application_return, step_forward
from permits.services.site_survey import survey_schedule
from pintu.access.models import Role
from pintu.access.services import membership_grant
from pintu.audit.models import AuditEntry
from pintu.errors import PermissionDenied
from pintu.notify.models import Event, OutboxMessage
from tests.factories import UserFactory, pdf_bytes, submitted_application

CHECKLIST = ["Tempat praktik sesuai alamat", "Sarana sesuai standar"]
ALL_TICKED = {item: True for item in CHECKLIST}


def survey_steps():
    return [
        {"name": "Pemeriksaan kelengkapan", "role": "front_office", "sla_working_days": 1,
         "allowed_actions": ["forward", "return"]},
        {"name": "Peninjauan tempat praktik", "role": "surveyor", "sla_working_days": 3,
         "allowed_actions": ["forward", "return"], "checklist": CHECKLIST},
        {"name": "Penandatanganan", "role": "signing_official", "sla_working_days": 1,
         "allowed_actions": ["approve_sign", "reject"]},
    ]


@pytest.fixture
def surveyed(office, applicant):
    """An application waiting at its site-survey step, and two surveyors of the regency."""
    from permits.services.workflow import sop_publish, sop_revise, sop_steps_set

    sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=office.permit_type), steps=survey_steps()))
    surveyor, colleague = UserFactory(full_name="Bambang Survei"), UserFactory(full_name="Rina Survei")
    for person in (surveyor, colleague):
        membership_grant(user=person, role=Role.SURVEYOR)
    application = submitted_application(office, applicant)
    step_forward(task=StepTask.objects.get(application=application, status="open"), officer=office.front_office)
    survey = StepTask.objects.get(application=application, status="open")
    assert survey.role == Role.SURVEYOR
    return office, application, survey, surveyor, colleague


def next_working_day(after: dt.date, skip: int = 1) -> dt.date:
    day = after
    while skip:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            skip -= 1
    return day


def at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=regency_zone())


def report(text: str = "Laporan survei") -> SimpleUploadedFile:
    return SimpleUploadedFile("laporan.pdf", pdf_bytes(text), content_type="application/pdf")


def stored_reports() -> list[str]:
    """Every survey report file of Trenggalek in storage (local disk or S3 alike)."""
    storage, found, folders = storages["default"], [], ["trenggalek/surveys"]
    while folders:
        folder = folders.pop()
        if not storage.exists(folder):
            continue
        subfolders, files = storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in files]
    return sorted(found)


def test_a_survey_step_does_not_close_without_a_scheduled_visit(surveyed):
    office, application, survey, surveyor, _ = surveyed
    with pytest.raises(SurveyNotReady) as refused:
        step_forward(task=survey, officer=surveyor, checklist=ALL_TICKED, report=report())
    assert refused.value.code == "survey_not_scheduled"
    assert StepTask.objects.get(pk=survey.pk).status == "open"


def test_scheduling_tells_the_applicant_the_date_and_tracking_shows_it(surveyed):
    office, application, survey, surveyor, colleague = surveyed
    visit = at_nine(next_working_day(regency_today()))
    task = survey_schedule(task=survey, officer=surveyor, at=visit, surveyor=colleague,
                           note="Mohon pemilik tempat hadir.")
    assert (task.survey_at, task.survey_officer_id, task.survey_note) == (visit, colleague.pk,
                                                                            "Mohon pemilik tempat hadir.")
    [message] = OutboxMessage.objects.filter(application_id=application.pk, event=Event.SURVEY_SCHEDULED)
    assert message.channel == "email" and message.recipient == application.applicant_email
    assert "pukul 09.00 WIB" in message.body and str(visit.day) in message.body
    assert "Mohon pemilik tempat hadir" in message.body and "menggantikan" not in message.body
    tracking = tracking_lookup(registration_number=application.registration_number,
                               tracking_code=application.tracking_code)
    shown = [e.message for e in tracking.events]
    assert any(m.startswith("Survei lapangan dijadwalkan pada ") and "pukul 09.00 WIB" in m for m in shown)
    assert "Bambang" not in " ".join(shown) and "Rina" not in " ".join(shown)  # a role, never a name
    entry = AuditEntry.objects.filter(action="survey.schedule").latest("seq")
    assert entry.actor_id == surveyor.pk and entry.detail["officer"] == colleague.pk


def test_a_moved_visit_tells_the_applicant_again_and_the_same_date_changes_nothing(surveyed):
    office, application, survey, surveyor, _ = surveyed
    first = at_nine(next_working_day(regency_today()))
    later = at_nine(next_working_day(regency_today(), skip=2)) + dt.timedelta(hours=4)
    survey_schedule(task=survey, officer=surveyor, at=first)
    survey_schedule(task=survey, officer=surveyor, at=later)
    survey_schedule(task=survey, officer=surveyor, at=later)  # the same again: no news
    messages = list(OutboxMessage.objects.filter(application_id=application.pk, event=Event.SURVEY_SCHEDULED)
                    .order_by("pk"))
    assert len(messages) == 2
    assert "pukul 13.00 WIB" in messages[1].body and "menggantikan jadwal sebelumnya" in messages[1].body
    events = list(application.events.filter(kind__startswith="survey_").values_list("kind", "message"))
    assert [kind for kind, _ in events] == ["survey_scheduled", "survey_rescheduled"]
    assert "diubah menjadi" in events[1][1] and "sebelumnya" in events[1][1]
    assert AuditEntry.objects.filter(action="survey.reschedule").count() == 1
    assert StepTask.objects.get(pk=survey.pk).survey_at == later


def test_a_visit_in_the_past_on_a_day_off_by_a_non_surveyor_or_with_a_long_note_is_refused(surveyed):
    office, application, survey, surveyor, _ = surveyed
    today = regency_today()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    cases = [
        (dict(at=at_nine(today) - dt.timedelta(days=1)), "at", "in_past"),
        (dict(at=at_nine(saturday)), "at", "not_a_working_day"),
        (dict(at=at_nine(today) + dt.timedelta(days=400)), "at", "too_far"),
        (dict(at=at_nine(next_working_day(today)), surveyor=office.front_office), "officer", "not_a_surveyor"),
        (dict(at=at_nine(next_working_day(today)), note="x" * 1001), "note", "too_long"),
    ]
    for kwargs, field, code in cases:
        with pytest.raises(SurveyScheduleInvalid) as refused:
            survey_schedule(task=survey, officer=surveyor, **kwargs)
        assert refused.value.detail["fields"][field][0]["code"] == code, kwargs
    assert StepTask.objects.get(pk=survey.pk).survey_at is None
    assert not OutboxMessage.objects.filter(application_id=application.pk, event=Event.SURVEY_SCHEDULED).exists()


def test_only_the_surveyor_schedules_and_only_a_survey_step(surveyed):
    office, application, survey, surveyor, _ = surveyed
    with pytest.raises(PermissionDenied):
        survey_schedule(task=survey, officer=office.front_office, at=at_nine(next_working_day(regency_today())))
    check = StepTask.objects.get(application=application, role=Role.FRONT_OFFICE)
    check.status = "open"  # a non-survey step, even when open, has no visit
    check.save(update_fields=["status"])
    with pytest.raises(ActionNotAllowed) as refused:
        survey_schedule(task=check, officer=office.front_office, at=at_nine(next_working_day(regency_today())))
    assert refused.value.code == "not_a_survey_step"


def test_closing_needs_the_visit_day_the_report_and_every_checklist_item(surveyed):
    office, application, survey, surveyor, _ = surveyed
    day = next_working_day(regency_today())
    survey_schedule(task=survey, officer=surveyor, at=at_nine(day))
    with pytest.raises(SurveyNotReady) as early:
        step_forward(task=survey, officer=surveyor, checklist=ALL_TICKED, report=report())
    assert early.value.code == "survey_not_yet"
    with time_machine.travel(at_nine(day) + dt.timedelta(hours=3), tick=False):
        with pytest.raises(SurveyNotReady) as no_report:
            step_forward(task=survey, officer=surveyor, checklist=ALL_TICKED)
        assert no_report.value.code == "survey_report_required"
        with pytest.raises(SurveyNotReady) as half:
            step_forward(task=survey, officer=surveyor, checklist={CHECKLIST[0]: True}, report=report())
        assert half.value.code == "survey_checklist_incomplete" and half.value.detail["missing"] == [CHECKLIST[1]]
        assert StepTask.objects.get(pk=survey.pk).status == "open"
        step_forward(task=survey, officer=surveyor, note="Lokasi sesuai", checklist=ALL_TICKED, report=report())
    done = StepTask.objects.get(pk=survey.pk)
    assert done.status == "done" and done.checklist_result == ALL_TICKED
    assert done.report_key.startswith("trenggalek/surveys/") and done.report_key in stored_reports()
    assert StepTask.objects.get(application=application, status="open").role == Role.SIGNING_OFFICIAL


def test_a_refused_close_leaves_no_stored_report(surveyed):
    """Issue #19: the report was stored by the view before the action was refused, and orphaned."""
    office, application, survey, surveyor, _ = surveyed
    day = next_working_day(regency_today())
    before = stored_reports()
    with pytest.raises(SurveyNotReady):  # no visit scheduled
        step_forward(task=survey, officer=surveyor, checklist=ALL_TICKED, report=report())
    survey_schedule(task=survey, officer=surveyor, at=at_nine(day))
    with time_machine.travel(at_nine(day) + dt.timedelta(hours=1), tick=False):
        with pytest.raises(SurveyNotReady):  # checklist incomplete
            step_forward(task=survey, officer=surveyor, checklist={}, report=report())
        with pytest.raises(PermissionDenied):  # not the step's role
            step_forward(task=survey, officer=office.front_office, checklist=ALL_TICKED, report=report())
    check = StepTask.objects.get(application=application, role=Role.FRONT_OFFICE)
    check.status = "open"  # reopened by hand: a step that is not a survey takes no report
    check.save(update_fields=["status"])
    with pytest.raises(ActionNotAllowed) as not_a_survey:
        step_forward(task=check, officer=office.front_office, report=report())
    assert not_a_survey.value.code == "report_not_expected"
    assert stored_reports() == before


def test_the_surveyor_may_still_return_the_file_without_a_visit(surveyed):
    office, application, survey, surveyor, _ = surveyed
    application_return(task=survey, officer=surveyor, note="Alamat tempat praktik tidak ditemukan.")
    application.refresh_from_db()
    assert application.status == "returned"
