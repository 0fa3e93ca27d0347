"""SLA reminders and the head's late-step digest: on the right working day, in each regency's zone, once."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django_tenants.utils import schema_context

from permits.models import LocalHoliday
from permits.models.applications import StepTask
from permits.services.reminders import regency_tick
from pintu.access.models import Role
from pintu.access.services import membership_grant
from pintu.notify.models import OutboxMessage
from tests.factories import UserFactory, office_build, submitted_application

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
# Thursday 5 - Tuesday 10 February 2026: no national holiday.


def at(day: int, hour: int, minute: int, zone) -> dt.datetime:
    return dt.datetime(2026, 2, day, hour, minute, tzinfo=zone)


def open_step_due(schema: str, due_day: int, zone):
    """In `schema`: an application whose open first step falls due at the end of 2026-02-`due_day` (local)."""
    with schema_context(schema):
        office = office_build()
        application = submitted_application(office, UserFactory())
        [task] = StepTask.objects.filter(application=application, status="open")
        task.due_at = at(due_day, 23, 59, zone).replace(second=59)
        task.save(update_fields=["due_at"])
        return office, task


def reminders_to(schema: str, user) -> list[OutboxMessage]:
    with schema_context(schema):
        return list(OutboxMessage.objects.filter(event="step_due", user_id=user.pk))


def tick(schema: str, moment: dt.datetime) -> dict:
    with schema_context(schema):
        return regency_tick(now=moment)


def test_reminder_on_the_working_day_before_due_in_each_regencys_own_zone(trenggalek, mataram):
    t_office, t_task = open_step_due(trenggalek.schema_name, 10, WIB)  # due Tuesday
    m_office, m_task = open_step_due(mataram.schema_name, 10, WITA)
    # Friday 6 February: two working days before: nobody is reminded.
    for schema, zone in ((trenggalek.schema_name, WIB), (mataram.schema_name, WITA)):
        tick(schema, at(6, 9, 0, zone))
    assert reminders_to(trenggalek.schema_name, t_office.front_office) == []
    assert reminders_to(mataram.schema_name, m_office.front_office) == []
    # Monday 07:30 WITA is 06:30 WIB: Mataram's office day has begun, Trenggalek's not yet.
    moment = at(9, 7, 30, WITA)
    tick(mataram.schema_name, moment)
    tick(trenggalek.schema_name, moment)
    [m_reminder] = reminders_to(mataram.schema_name, m_office.front_office)
    assert reminders_to(trenggalek.schema_name, t_office.front_office) == []
    assert "Selasa, 10 Februari 2026" in m_reminder.subject and "Pemeriksaan kelengkapan" in m_reminder.body
    assert m_reminder.recipient == m_office.front_office.email
    # An hour later it is 07:30 in Trenggalek too; a re-run in Mataram does nothing more.
    later = at(9, 7, 30, WIB)
    tick(trenggalek.schema_name, later)
    tick(mataram.schema_name, later)
    tick(trenggalek.schema_name, later + dt.timedelta(hours=1))
    assert len(reminders_to(trenggalek.schema_name, t_office.front_office)) == 1
    assert len(reminders_to(mataram.schema_name, m_office.front_office)) == 1


def test_a_holiday_moves_the_reminder_to_the_working_day_before_it(in_trenggalek):
    LocalHoliday.objects.create(date=dt.date(2026, 2, 9), name="Hari Jadi Kabupaten")
    office, task = open_step_due(in_trenggalek.schema_name, 10, WIB)  # due Tuesday, Monday off
    regency_tick(now=at(5, 9, 0, WIB))  # Thursday: two working days before
    assert reminders_to(in_trenggalek.schema_name, office.front_office) == []
    regency_tick(now=at(6, 9, 0, WIB))  # Friday: the working day before
    assert len(reminders_to(in_trenggalek.schema_name, office.front_office)) == 1
    regency_tick(now=at(9, 9, 0, WIB))  # the holiday itself: nothing more
    assert len(reminders_to(in_trenggalek.schema_name, office.front_office)) == 1


def test_a_claimed_step_reminds_only_the_officer_holding_it(in_trenggalek):
    from permits.services.processing import task_claim

    office, task = open_step_due(in_trenggalek.schema_name, 10, WIB)
    colleague = UserFactory()
    membership_grant(user=colleague, role=Role.FRONT_OFFICE)
    task_claim(task=task, officer=office.front_office)
    regency_tick(now=at(9, 8, 0, WIB))
    assert len(reminders_to(in_trenggalek.schema_name, office.front_office)) == 1
    assert reminders_to(in_trenggalek.schema_name, colleague) == []


def test_late_steps_reach_the_head_once_a_working_day(in_trenggalek):
    office, task = open_step_due(in_trenggalek.schema_name, 5, WIB)  # due Thursday
    head = UserFactory(full_name="Kepala DPMPTSP Trenggalek")
    membership_grant(user=head, role=Role.HEAD)
    LocalHoliday.objects.create(date=dt.date(2026, 2, 9), name="Hari Jadi Kabupaten")

    def digests():
        return list(OutboxMessage.objects.filter(event="late_digest", user_id=head.pk).order_by("pk"))

    regency_tick(now=at(5, 20, 0, WIB))  # still due today
    assert digests() == []
    regency_tick(now=at(6, 8, 0, WIB))
    regency_tick(now=at(6, 15, 0, WIB))  # the scheduler runs again the same day
    [friday] = digests()
    assert friday.subject == "1 langkah terlambat per Jumat, 6 Februari 2026"
    assert task.application.registration_number in friday.body
    assert "jatuh tempo 5 Februari 2026 (1 hari kerja terlambat)" in friday.body
    regency_tick(now=at(7, 8, 0, WIB))  # Saturday
    regency_tick(now=at(9, 8, 0, WIB))  # the local holiday
    assert len(digests()) == 1
    regency_tick(now=at(10, 8, 0, WIB))  # Tuesday: the next working day
    tuesday = digests()[1]
    assert "(2 hari kerja terlambat)" in tuesday.body
    # The holder was reminded once (on the due day itself, as the run the day before was missed), never again.
    assert len(reminders_to(in_trenggalek.schema_name, office.front_office)) == 1
