"""Reads about applications: tracking, worklists, the applicant's own files, verification."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from pintu.access.models import Membership, Role
from permits.models.applications import Application, ApplicationEvent, Permit, StepTask
from permits.regency import regency_now


DUE_SOON = dt.timedelta(days=2)  # a step is "due soon" within two days of its deadline


def application_for_tracking(*, registration_number: str, tracking_code: str) -> Application | None:
    """The application matching both numbers (no sign-in needed); None otherwise, never a hint which was wrong."""
    application = (Application.objects.select_related("permit_type")
                   .filter(registration_number=(registration_number or "").strip().upper()).first())
    if application is None or not constant_time_compare(application.tracking_code,
                                                        (tracking_code or "").strip().upper()):
        return None
    return application


@dataclass
class Tracking:
    application: Application
    events: list[ApplicationEvent]
    holders: list[str]  # roles (not names) holding the file now
    due_at: dt.datetime | None  # in the regency's zone


def application_tracking(application: Application) -> Tracking:
    open_tasks = StepTask.objects.filter(application=application, status=StepTask.Status.OPEN).select_related("step")
    holders = [f"{t.step.name} — {t.get_role_display()}" + (f" ({t.agency})" if t.agency else "")
               for t in open_tasks]
    if application.status == Application.Status.RETURNED:
        holders = ["Pemohon (perbaikan berkas)"]
    return Tracking(
        application=application,
        events=list(application.events.all()),
        holders=holders,
        due_at=regency_now(at=application.due_at) if application.due_at else None,
    )


def applications_of(*, applicant) -> QuerySet[Application]:
    return (Application.objects.filter(applicant=applicant).select_related("permit_type", "permit")
            .order_by("-created_at"))


def worklist(*, officer, scope: str = "mine") -> QuerySet[StepTask]:
    """Open steps an officer may act on here: `mine` (claimed by me or unclaimed), `due_soon` (2 days), `late`."""
    memberships = list(Membership.objects.filter(user_id=officer.pk, is_active=True).values_list("role", "agency"))
    allowed = Q(pk__in=[])
    for role, agency in memberships:
        if role == Role.TECHNICAL_TEAM:
            allowed |= Q(role=role, agency=agency)
        else:
            allowed |= Q(role=role)
    qs = (StepTask.objects.filter(allowed, status=StepTask.Status.OPEN,
                                  application__status=Application.Status.IN_PROCESS)
          .filter(Q(claimed_by__isnull=True) | Q(claimed_by=officer))
          .select_related("application", "application__permit_type", "step", "claimed_by"))
    now = timezone.now()
    if scope == "late":
        qs = qs.filter(due_at__lt=now)
    elif scope == "due_soon":
        qs = qs.filter(due_at__gte=now, due_at__lt=now + DUE_SOON)
    return qs.order_by("due_at", "pk")


def permit_state(permit: Permit) -> str:
    """valid / revoked / expired, as the regency's calendar reads it today."""
    from permits.regency import regency_today

    if permit.status == Permit.Status.REVOKED:
        return "revoked"
    if permit.valid_until and permit.valid_until < regency_today():
        return "expired"
    return "valid"


def permit_for_verification(code: str) -> Permit | None:
    return (Permit.objects.select_related("application", "application__permit_type")
            .filter(verification_code=code).first())
