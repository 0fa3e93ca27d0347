"""Site surveys (issue #14.7): the visit is its own action, scheduled before the step can close.

The surveyor schedules the visit (date and time, the officer who goes, a note for the applicant);
the applicant is told the date through the notification outbox and sees it on tracking, and is told
again whenever it moves. The step closes (`processing.step_forward` / `recommendation_give`) only
once the visit's day has come, with the report file and every checklist item ticked — what the
surveyor found not to match goes back to the applicant (`application_return`) with a note.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import dates, timezone
from django.utils.translation import gettext

from permits.documents.text import date_read, datetime_id, datetime_read, weekday_name
from permits.errors import ActionNotAllowed, SurveyNotReady, SurveyScheduleInvalid
from permits.models.applications import StepTask
from permits.regency import regency_now, regency_zone
from permits.selectors.calendar import days_off_between, is_working
from permits.services._common import Errors
from permits.services.applications import event_record
from permits.services.processing import officer_may_act, task_lock
from pintu.access.models import Membership, Role
from pintu.audit.services import audit_record
from pintu.errors import PermissionDenied

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from pintu.identity.models import User

NOTE_MAX = 1000
#: How far ahead a visit may be set (a typo in the year is refused, not announced to the applicant).
HORIZON = dt.timedelta(days=180)


def visit_text(at: dt.datetime) -> str:
    """'Senin, 9 Maret 2026 pukul 09.00 WIB' in the regency's zone (what the applicant is sent and the
    history records)."""
    return f"{weekday_name(regency_now(at=at))}, {datetime_id(at, regency_zone().key)}"


def visit_read(at: dt.datetime) -> str:
    """`visit_text` in the reader's language, for the officer's page ('Monday, 9 March 2026 at 09.00 WIB')."""
    return f"{dates.WEEKDAYS[regency_now(at=at).weekday()]}, {datetime_read(at, regency_zone().key)}"


def _is_survey(task: StepTask) -> None:
    if task.role != Role.SURVEYOR:
        raise ActionNotAllowed(gettext("Jadwal survei hanya untuk langkah survei lapangan."), code="not_a_survey_step")


def _schedule_clean(*, at: dt.datetime | None, surveyor: User | None, note: str) -> None:
    errors = Errors()
    now = timezone.now()
    if at is None or timezone.is_naive(at):
        errors.add("at", "required", gettext("Isi tanggal dan jam kunjungan survei."))
    elif at <= now:
        errors.add("at", "in_past", gettext("Jadwal survei harus setelah saat ini."))
    elif at > now + HORIZON:
        errors.add("at", "too_far", gettext("Jadwal survei paling lama 180 hari dari hari ini."))
    else:
        day = regency_now(at=at).date()
        off = days_off_between(day, day)
        if not is_working(day, off):
            errors.add("at", "not_a_working_day",
                       gettext("%(day)s bukan hari kerja (%(why)s).") % {
                           "day": f"{dates.WEEKDAYS[day.weekday()]}, {date_read(day)}",
                           "why": off.get(day) or gettext("akhir pekan")})
    if surveyor is None or not Membership.objects.filter(user_id=surveyor.pk, role=Role.SURVEYOR,
                                                         is_active=True).exists():
        errors.add("officer", "not_a_surveyor", gettext("Pilih petugas survei lapangan dari daerah ini."))
    if len(note.strip()) > NOTE_MAX:
        errors.add("note", "too_long", gettext("Catatan paling banyak %(max)d karakter.") % {"max": NOTE_MAX})
    errors.raise_if_any(SurveyScheduleInvalid)


@transaction.atomic
def survey_schedule(*, task: StepTask, officer: User, at: dt.datetime | None, surveyor: User | None = None,
                    note: str = "") -> StepTask:
    """Set (or move) the date and time of a site visit, the surveyor who goes (default: me) and a note for the
    applicant, who is told the date each time it is set or changed (the same date again changes nothing).

    Audit: `survey.schedule` or `survey.reschedule` (with the previous date). Errors: StepAlreadyActed,
    ApplicationNotEditable (not in process), ActionNotAllowed (`not_a_survey_step`), PermissionDenied (not the
    step's role), SurveyScheduleInvalid (date missing, past, beyond 180 days or not a working day here; the
    officer no surveyor here; the note too long).
    """
    application, task = task_lock(task)
    _is_survey(task)
    if not officer_may_act(officer=officer, task=task):
        raise PermissionDenied(gettext("Langkah ini bukan untuk peran Anda."))
    surveyor = surveyor or officer
    note = (note or "").strip()
    _schedule_clean(at=at, surveyor=surveyor, note=note)
    assert at is not None
    previous = task.survey_at
    if previous == at and task.survey_officer_id == surveyor.pk and task.survey_note == note:
        return task
    task.survey_at, task.survey_officer, task.survey_note = at, surveyor, note
    task.save(update_fields=["survey_at", "survey_officer", "survey_note"])
    moved = previous is not None and previous != at
    if previous is None or moved:  # a changed officer or note alone is not news for the applicant
        message = (f"Jadwal survei lapangan diubah menjadi {visit_text(at)} (sebelumnya {visit_text(previous)})."
                   if moved and previous is not None else gettext("Survei lapangan dijadwalkan pada %(visit_text)s.")
                                                          % {"visit_text": visit_text(at)})
        if note:
            message += f" Catatan petugas: {note.rstrip('.')}."
        event_record(application=application, kind="survey_rescheduled" if moved else "survey_scheduled",
                     step=task.step, message=message)
    audit_record(actor=officer, action="survey.reschedule" if previous is not None else "survey.schedule",
                 target=application, detail={"task": task.pk, "at": at.isoformat(), "officer": surveyor.pk,
                                             "note": note, "previous": previous.isoformat() if previous else None})
    return task


def survey_close_require(*, task: StepTask, checklist: dict, report: UploadedFile | None) -> None:
    """Refuse (SurveyNotReady) to close a survey step without its visit having come, its report or its checklist."""
    if task.survey_at is None:
        raise SurveyNotReady(gettext("Jadwalkan kunjungan survei terlebih dahulu; pemohon diberi tahu tanggalnya."),
                             code="survey_not_scheduled")
    if regency_now(at=task.survey_at).date() > regency_now().date():
        raise SurveyNotReady(gettext("Survei dijadwalkan %(visit_text)s; laporan dapat diunggah sejak hari kunjungan. Ubah jadwalnya "
                                     "bila kunjungan dimajukan.") % {"visit_text": visit_read(task.survey_at)}, code="survey_not_yet")
    if report is None:
        raise SurveyNotReady(gettext("Unggah laporan survei (PDF/JPG/PNG) untuk menyelesaikan langkah ini."),
                             code="survey_report_required", fields={"report": [
                                 {"code": "required", "message": gettext("Laporan survei wajib diunggah.")}]})
    missing = [item for item in task.step.checklist if not checklist.get(item)]
    if missing:
        raise SurveyNotReady(gettext("Centang seluruh daftar periksa survei; belum: ") + "; ".join(missing)
                             + gettext(". Bila ada yang tidak sesuai, kembalikan berkas kepada pemohon dengan catatan."),
                             code="survey_checklist_incomplete", missing=missing)

