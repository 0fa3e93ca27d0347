"""Reads for the office and counter pages: worklist counts, an application as officers see it."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from permits.models.applications import Application, ApplicationDocument, StepTask
from permits.selectors.applications import (
    OFFICER_MARK,
    marks_filled,
    officer_teams,
    steps_of_teams,
    teams_marked,
    teams_shape,
    worklist,
    worklist_due_window,
)
from pintu.access.models import Membership, Role
from pintu.access.roles import FILE_READING_ROLES
from pintu.identity.models import User

_EARLIEST = dt.datetime(1, 1, 2, tzinfo=dt.timezone.utc)
_LATEST = dt.datetime(9999, 12, 30, tzinfo=dt.timezone.utc)
_DUE_MARKERS = (dt.datetime(1001, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(9001, 1, 1, tzinfo=dt.timezone.utc))

#: A worklist tab's badge counts this many open steps at most, then says "99+": an exact count reads every
#: open step (10,000 at 1 M applications), a capped one at most this many plus one.
WORKLIST_COUNT_CAP = 99


def worklist_counts(*, officer: User, teams: list[tuple[str, str]] | None = None,
                    cap: int = WORKLIST_COUNT_CAP) -> dict[str, int]:
    """How many open steps are mine / due soon / late, each exact up to `cap` and `cap + 1` past it (the
    page shows "99+"), in one query.

    Each count reads its tab's first `cap + 1` steps in due order (the paged worklist, by index), so its
    cost follows the cap, never the open steps or the regency's history (1 M applications).
    """
    teams = officer_teams(officer=officer) if teams is None else teams
    sql, marked = _counts_sql(teams_shape(teams), cap)
    # Each scope's window (`worklist_due_window`, the worklist's own rule) in place of the marker bounds.
    now, (low, high), params = timezone.now(), _DUE_MARKERS, []
    for scope in ("mine", "due_soon", "late"):
        due_from, due_before = worklist_due_window(scope, now)
        params += marks_filled(marked, officer=officer, teams=teams,
                               more={low: due_from or _EARLIEST, high: due_before or _LATEST})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        mine, due_soon, late = cursor.fetchone()
    return {"mine": mine, "due_soon": due_soon, "late": late}


_COUNTS_SQL: dict[tuple, tuple[str, list]] = {}


def _counts_sql(shape: tuple[tuple[str, bool], ...], cap: int) -> tuple[str, list]:
    """The counts' statement for teams of `shape` (`teams_shape`), built and compiled once per process and
    shape (~2.5 ms of CPU each time): one worklist with marks for the officer, the agencies and the
    deadline's bounds, three times."""
    key = (shape, cap)
    if key not in _COUNTS_SQL:
        low, high = _DUE_MARKERS
        sql, marked = (worklist(officer=User(pk=OFFICER_MARK), teams=teams_marked(shape), paged=True)
                       .filter(due_at__gte=low, due_at__lt=high).values("pk")[:cap + 1].query.sql_with_params())
        if len(_COUNTS_SQL) > 256:  # a few shapes in practice; never grows without bound
            _COUNTS_SQL.clear()
        _COUNTS_SQL[key] = ("SELECT " + ", ".join(f"(SELECT count(*) FROM ({sql}) {scope})"
                                                 for scope in ("mine", "due_soon", "late")), list(marked))
    return _COUNTS_SQL[key]


def application_for_office(pk: int) -> Application | None:
    """One application with what its office page shows: current documents, steps, history, decision, permit."""
    return (Application.objects.select_related("permit_type", "sop", "decision", "permit", "created_by")
            .prefetch_related(
                "permit_type__form_fields",
                Prefetch("documents", queryset=ApplicationDocument.objects.filter(is_current=True)
                         .select_related("requirement", "reviewed_by"), to_attr="current_documents"),
                Prefetch("tasks", queryset=StepTask.objects.select_related("step", "claimed_by", "completed_by")
                         .order_by("stage", "step__order", "pk"), to_attr="all_tasks"),
                "events")
            .filter(pk=pk).first())


def officer_handles(*, officer: User, application_id: int) -> bool:
    """May `officer` open this application's scans: the regency administrator, the head and the front
    office always; any other officer only when a role of theirs has (or had) a step on it (a technical
    team: a step of its own agency), or they claimed or completed one of its steps. Two queries at most."""
    teams = officer_teams(officer=officer)
    if not teams:
        return False
    if any(role in FILE_READING_ROLES for role, _ in teams):
        return True
    return StepTask.objects.filter(application_id=application_id).filter(
        steps_of_teams(teams) | Q(claimed_by_id=officer.pk) | Q(completed_by_id=officer.pk)).exists()


def surveyors_here() -> list[User]:
    """The regency's active site surveyors, by name: whom a visit may be given to."""
    ids = Membership.objects.filter(role=Role.SURVEYOR, is_active=True).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=list(ids), is_active=True).order_by("full_name", "pk"))


def task_for_office(pk: int) -> StepTask | None:
    return (StepTask.objects.select_related("application", "application__permit_type", "step", "claimed_by",
                                            "completed_by", "survey_officer").filter(pk=pk).first())


def counter_applications(*, limit: int = 50) -> QuerySet[Application]:
    """The regency's most recent counter applications (drafts first), for the front office's list."""
    return (Application.objects.filter(channel=Application.Channel.COUNTER)
            .select_related("permit_type", "created_by").order_by("-created_at")[:limit])


def permits_for_counter_renewal(*, query: str, limit: int = 20) -> list:
    """The permits a walk-in may mean at the counter's renewal search: by exact permit number or by the
    holder's NIK (16 digits), newest first, each with why it cannot be renewed today ("" when it can)
    and the renewal already started, if any. A blank or partial query finds nothing: no browsing."""
    from permits.models.applications import Permit
    from permits.regency import regency_today
    from permits.services.renewal import permit_counter_renewal_refusal
    from pintu.notify.services import expiry_lead_days

    query = (query or "").strip()
    if not query:
        return []
    match = Q(number__iexact=query)
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) == 16 and len(query.replace(" ", "").replace(".", "")) == 16:
        match |= Q(application__applicant_nik=digits)
    permits = list(Permit.objects.filter(match).select_related("application__permit_type")
                   .order_by("-issued_at", "-pk")[:limit])
    open_renewals = {a.renewal_of_id: a for a in Application.objects.filter(renewal_of__in=permits).exclude(
        status__in=[Application.Status.REJECTED, Application.Status.WITHDRAWN]).order_by("pk")}
    today, leads = regency_today(), expiry_lead_days()
    return [{"permit": p, "refusal": permit_counter_renewal_refusal(permit=p, today=today, leads=leads),
             "open": open_renewals.get(p.pk)} for p in permits]
