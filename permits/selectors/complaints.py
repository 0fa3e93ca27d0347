"""Reads for complaints: the regency's policy, the list for handlers, lookup by code, and figures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from permits.models.complaints import DEFAULT_ANSWER_WORKING_DAYS, Complaint, ComplaintPolicy
from permits.regency import regency_zone
from permits.selectors.calendar import days_off_between, working_days_counted
from pintu.access.models import Membership

if TYPE_CHECKING:
    from pintu.identity.models import User

Status = Complaint.Status


def complaint_policy() -> ComplaintPolicy:
    """The regency's row, or an unsaved one with the defaults."""
    return ComplaintPolicy.objects.order_by("pk").first() or ComplaintPolicy(
        answer_working_days=DEFAULT_ANSWER_WORKING_DAYS)


def complaint_for_code(code: str) -> Complaint | None:
    from permits.services.complaints import follow_code_hash

    if not (code or "").strip():
        return None
    return Complaint.objects.select_related("permit_type").filter(code_hash=follow_code_hash(code)).first()


def _late_q(now: dt.datetime) -> Q:
    return Q(answered_at__isnull=True, due_at__lt=now) | Q(answered_at__gt=F("due_at"))


def complaint_list(*, status: str = "", late: bool = False, assigned_to: User | None = None) -> QuerySet[Complaint]:
    complaints = Complaint.objects.select_related("permit_type", "assigned_to").order_by("due_at", "pk")
    if status == "open":
        complaints = complaints.exclude(status=Status.CLOSED)
    elif status in Status.values:
        complaints = complaints.filter(status=status)
    if late:
        complaints = complaints.filter(_late_q(timezone.now()))
    if assigned_to is not None:
        complaints = complaints.filter(assigned_to=assigned_to)
    return complaints


def complaint_detail(pk: int) -> Complaint | None:
    return (Complaint.objects.select_related("permit_type", "application", "assigned_to", "answered_by",
                                             "closed_by").filter(pk=pk).first())


def assignable_officers() -> list:
    """People holding an active role here, each once, with their roles (for the assign form)."""
    from pintu.identity.models import User

    roles: dict[int, list[str]] = {}
    for user_id, role in Membership.objects.filter(is_active=True).values_list("user_id", "role"):
        roles.setdefault(user_id, []).append(role)
    users = User.objects.filter(pk__in=roles).order_by("full_name", "email")
    return [(user, roles[user.pk]) for user in users]


@dataclass(frozen=True)
class ComplaintStats:
    filed: int
    open: int
    answered: int
    closed: int
    late: int  # answered after the deadline, or unanswered past it
    median_working_days_to_answer: float | None
    answer_working_days: int


def complaint_stats(*, start: dt.datetime | None = None, end: dt.datetime | None = None) -> ComplaintStats:
    """Counts and response times of complaints filed in [start, end) (all when not given), in three queries.

    Response time is in working days in the regency's zone: filed on Monday and answered on
    Tuesday is 1; answered the same day is 0.
    """
    complaints = Complaint.objects.all()
    if start is not None:
        complaints = complaints.filter(filed_at__gte=start)
    if end is not None:
        complaints = complaints.filter(filed_at__lt=end)
    now = timezone.now()
    counts = complaints.aggregate(
        filed=Count("pk"), open=Count("pk", filter=~Q(status=Status.CLOSED)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)), closed=Count("pk", filter=Q(status=Status.CLOSED)),
        late=Count("pk", filter=_late_q(now)))
    zone = regency_zone()
    spans = [(filed.astimezone(zone).date(), answered.astimezone(zone).date())
             for filed, answered in complaints.filter(answered_at__isnull=False).values_list("filed_at", "answered_at")]
    median = None
    if spans:
        import statistics  # here, not at start-up (fractions, random): a complaints page's URLconf imports this

        off = days_off_between(min(a for a, _ in spans), max(b for _, b in spans))  # one query for all
        median = float(statistics.median(working_days_counted(off, a, b) for a, b in spans))
    return ComplaintStats(median_working_days_to_answer=median,
                          answer_working_days=complaint_policy().answer_working_days, **counts)
