"""SLA reminders and escalation, run per regency in the regency's own time zone (issue #5).

- An officer holding an open step is reminded on the working day before it falls due (once per step).
- When steps are late, each head of the office (Role.HEAD) gets one digest per working day.
Guard rows (pintu.notify.Guard, unique keys) make a re-run of the scheduler a no-op.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from permits.documents.text import date_id, weekday_name
from permits.models.applications import Application, StepTask
from permits.regency import current_regency, regency_now, regency_zone
from permits.selectors.calendar import is_working_day, working_days_add, working_days_between
from pintu.access.models import Membership, Role
from pintu.identity.models import User
from pintu.notify.models import Event
from pintu.notify.services import guard_take, notify

if TYPE_CHECKING:
    from tenants.models import Regency


# Reminders go out from this local hour on (the beat runs hourly; nobody is woken at midnight).
REMINDER_HOUR = 7


def day_id(day: dt.date) -> str:
    return f"{weekday_name(day)}, {date_id(day)}"


def _holders(task: StepTask) -> list[User]:
    """Who holds a step: the officer who claimed it, else everyone with its role (and agency) here."""
    if task.claimed_by_id:
        return [task.claimed_by]
    memberships = Membership.objects.filter(role=task.role, is_active=True)
    if task.agency:
        memberships = memberships.filter(agency=task.agency)
    return list(User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by("pk"))


def office_members(*roles: str) -> list[User]:
    """The active people holding any of `roles` in this regency (e.g. its heads), once each."""
    return list(User.objects.filter(pk__in=Membership.objects.filter(role__in=roles, is_active=True).values("user_id"),
                                    is_active=True).order_by("pk"))


def step_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind the holders of every open step due by the end of the next working day; returns steps reminded."""
    now = now or timezone.now()
    today = regency_now(at=now).date()
    if not is_working_day(today):
        return 0
    until = dt.datetime.combine(working_days_add(today, 1), dt.time.max, tzinfo=regency_zone())
    tasks = (StepTask.objects.filter(status=StepTask.Status.OPEN, application__status=Application.Status.IN_PROCESS,
                                     due_at__gt=now, due_at__lte=until)
             .select_related("application__permit_type", "step", "claimed_by"))
    regency = current_regency()
    reminded = 0
    for task in tasks:
        with transaction.atomic():
            if not guard_take(f"step_due:task{task.pk}"):
                continue
            application = task.application
            values = {"daerah": regency.name, "kantor": regency.office_name or regency.name,
                      "jenis_izin": application.permit_type.name,
                      "nomor_registrasi": application.registration_number or "", "tahap": task.step.name,
                      "batas_waktu": day_id(regency_now(at=task.due_at).date()),
                      "tautan": office_url(regency, "office:task", task.pk)}
            for officer in _holders(task):
                notify(key=f"task{task.pk}:step_due:u{officer.pk}", event=Event.STEP_DUE,
                       values={**values, "nama": officer.full_name}, user=officer, application_id=application.pk,
                       link=values["tautan"], now=now)
            reminded += 1
    return reminded


def late_steps(*, now: dt.datetime) -> list[StepTask]:
    return list(StepTask.objects.filter(status=StepTask.Status.OPEN, application__status=Application.Status.IN_PROCESS,
                                        due_at__lt=now)
                .select_related("application", "step").order_by("due_at", "pk"))


def late_digest_send(*, now: dt.datetime | None = None) -> int:
    """One digest a working day to each head of the office listing the late steps; returns digests sent."""
    now = now or timezone.now()
    today = regency_now(at=now).date()
    if not is_working_day(today):
        return 0
    late = late_steps(now=now)
    if not late:
        return 0
    regency = current_regency()
    lines = []
    for task in late:
        due_day = regency_now(at=task.due_at).date()
        lines.append(f"- {task.application.registration_number} · {task.step.name} · jatuh tempo {date_id(due_day)} "
                     f"({working_days_between(due_day, today)} hari kerja terlambat)")
    values = {"daerah": regency.name, "kantor": regency.office_name or regency.name, "jumlah": str(len(late)),
              "tanggal": day_id(today), "daftar": "\n".join(lines), "tautan": office_url(regency, "office:worklist")}
    sent = 0
    for head in office_members(Role.HEAD):
        key = f"late_digest:{today.isoformat()}:u{head.pk}"
        with transaction.atomic():
            if guard_take(key):
                notify(key=key, event=Event.LATE_DIGEST, values={**values, "nama": head.full_name}, user=head,
                       link=values["tautan"], now=now)
                sent += 1
    return sent


def regency_tick(*, now: dt.datetime | None = None) -> dict:
    """Everything the clock drives in this regency: fiktif positif grants (any hour), and from
    REMINDER_HOUR local time the officers' reminders, the heads' digests, permit expiry reminders to
    holders and the office's digest of permits about to expire."""
    from permits.services.fiktif_positif import fiktif_positif_run
    from permits.services.renewal import expiry_digest_send, expiry_reminders_send

    now = now or timezone.now()
    result = {"fiktif_positif": fiktif_positif_run(now=now), "step_reminders": 0, "late_digests": 0, "expiring": 0,
              "expiring_digests": 0}
    if regency_now(at=now).hour >= REMINDER_HOUR:
        result["step_reminders"] = step_reminders_send(now=now)
        result["late_digests"] = late_digest_send(now=now)
        result["expiring"] = expiry_reminders_send(now=now)
        result["expiring_digests"] = expiry_digest_send(now=now)
    return result


def office_url(regency: Regency, name: str, *args: object) -> str:
    """An absolute link to an office page of `regency` (for messages read outside the browser)."""
    from tenants.selectors import regency_public_url

    return regency_public_url(regency, reverse(name, args=args))
