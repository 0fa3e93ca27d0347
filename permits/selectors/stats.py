"""Service-level figures of the regency whose schema is in use: one day's figures (what the daily rollup
stores in public) and the live breakdowns its dashboard shows (backlog by step and officer, late files,
per permit type).

Days are the regency's own: a WITA day starts an hour before a WIB day. Each function reads a fixed
number of queries whatever the number of applications.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from permits.models import Application, Complaint, PermitType, StepTask
from permits.models.survey import ELEMENT_FIELDS, SurveyResponse
from permits.regency import regency_now, regency_zone
from permits.selectors.calendar import ONE_DAY, days_off_between, working_days_counted
from permits.selectors.survey import grade_of

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from permits.index.models import ApplicationIndex
    from permits.models import Permit

Status = Application.Status
DECIDED = (Status.ISSUED, Status.REJECTED)
# Filed and not yet decided (a withdrawn file leaves the backlog).
NOT_IN_BACKLOG = (Status.DRAFT, Status.WITHDRAWN)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight of `day` in the regency's zone, as aware datetimes."""
    zone = regency_zone()
    start = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
    return start, start + ONE_DAY


def decision_working_days(rows: list[tuple[dt.datetime, dt.datetime, int]]) -> list[int]:
    """Working days from submission to decision (regency dates, paused days taken off), one holiday query."""
    zone = regency_zone()
    spans = [(s.astimezone(zone).date(), d.astimezone(zone).date(), paused) for s, d, paused in rows if s and d]
    if not spans:
        return []
    off = days_off_between(min(a for a, _, _ in spans), max(b for _, b, _ in spans))
    return [max(0, working_days_counted(off, a, b) - paused) for a, b, paused in spans]


@dataclass
class DayFigures:
    day: dt.date
    received_online: int = 0
    received_counter: int = 0
    decided: int = 0
    issued: int = 0
    rejected: int = 0
    sla_met: int = 0
    sla_missed: int = 0
    decision_days: dict[str, int] = field(default_factory=dict)  # working days -> files decided in that many
    median_working_days: Decimal | None = None
    avg_working_days: Decimal | None = None
    backlog: int = 0
    late: int = 0
    complaints_open: int = 0
    respondents: int = 0
    survey_score_sum: int = 0
    ikm: Decimal | None = None
    ikm_grade: str = ""

    @property
    def received(self) -> int:
        return self.received_online + self.received_counter

    def as_defaults(self) -> dict:
        values = asdict(self)
        values.pop("day")
        return values


def day_figures(day: dt.date, *, now: dt.datetime | None = None) -> DayFigures:
    """The regency's figures for one of its days (today: up to now), in six queries.

    Received: submitted that day, by channel. Decided: issued or rejected that day; met the SLA when
    decided by its due moment. Backlog and late: files submitted and undecided at the end of the day
    (or now, for today), late when past due by then. Complaints open: filed by then, not closed.
    IKM: the survey responses submitted that day (the respondents and the score total are kept so
    that any period's IKM is computed exactly from the daily rows).
    """
    start, end = day_bounds(day)
    now = now or timezone.now()
    cut = min(end, now)
    figures = DayFigures(day=day)
    apps = Application.objects.order_by()
    received = dict(apps.filter(submitted_at__gte=start, submitted_at__lt=end)
                    .values_list("channel").annotate(n=Count("pk")))
    figures.received_online = received.get(Application.Channel.ONLINE, 0)
    figures.received_counter = received.get(Application.Channel.COUNTER, 0)

    decided = list(apps.filter(status__in=DECIDED, decided_at__gte=start, decided_at__lt=end)
                   .values_list("status", "submitted_at", "decided_at", "due_at", "paused_working_days"))
    figures.decided = len(decided)
    figures.issued = sum(1 for row in decided if row[0] == Status.ISSUED)
    figures.rejected = figures.decided - figures.issued
    figures.sla_met = sum(1 for _, _, decided_at, due, _ in decided if due is None or decided_at <= due)
    figures.sla_missed = figures.decided - figures.sla_met
    spans = decision_working_days([(s, d, p) for _, s, d, _, p in decided])
    figures.decision_days = {str(k): v for k, v in sorted(Counter(spans).items())}
    if spans:
        import statistics  # here, not at start-up (fractions, random): the dashboards' URLconf imports this

        figures.median_working_days = Decimal(str(statistics.median(spans))).quantize(Decimal("0.1"))
        figures.avg_working_days = (Decimal(sum(spans)) / len(spans)).quantize(Decimal("0.01"))

    open_q = (Q(submitted_at__lt=cut) & ~Q(status__in=NOT_IN_BACKLOG)
              & (Q(decided_at__isnull=True) | Q(decided_at__gte=cut)))
    backlog = apps.filter(open_q).aggregate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=cut)))
    figures.backlog, figures.late = backlog["n"], backlog["late"]

    figures.complaints_open = Complaint.objects.filter(filed_at__lt=cut).exclude(
        status=Complaint.Status.CLOSED).count()

    survey = SurveyResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(
        n=Count("pk"), **{f: Sum(f) for f in ELEMENT_FIELDS})
    figures.respondents = survey.pop("n")
    figures.survey_score_sum = sum(v or 0 for v in survey.values())
    figures.ikm = ikm_from(respondents=figures.respondents, score_sum=figures.survey_score_sum)
    figures.ikm_grade = grade_of(figures.ikm)[0] if figures.ikm is not None else ""
    return figures


def ikm_from(*, respondents: int, score_sum: int) -> Decimal | None:
    """IKM from the total of all nine element scores: Σ(NRR_i)/9×25 = Σscores / n / 9 × 25 (exact, 2 places)."""
    if not respondents:
        return None
    from permits.selectors.survey import ikm_shown

    return ikm_shown(Decimal(score_sum) / Decimal(respondents) * 25 / 9)


def regency_today_figures() -> DayFigures:
    """Today's figures, live from the regency's schema."""
    return day_figures(regency_now().date())


# --- Live breakdowns for the regency's own dashboard -------------------------------------------------


def backlog_by_step() -> list[dict]:
    """Open SOP tasks per step name: how many, how many past their step due time (one query)."""
    now = timezone.now()
    return list(StepTask.objects.filter(status=StepTask.Status.OPEN, application__status__in=Application.OPEN_STATUSES)
                .order_by().values("step__name").annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)))
                .order_by("-n", "step__name"))


def backlog_by_officer() -> list[dict]:
    """Open SOP tasks per officer who claimed them (unclaimed ones together), one query."""
    now = timezone.now()
    return list(StepTask.objects.filter(status=StepTask.Status.OPEN, application__status__in=Application.OPEN_STATUSES)
                .order_by().values("claimed_by__full_name", "claimed_by__email")
                .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)))
                .order_by("-n", "claimed_by__full_name"))


def late_files(*, limit: int = 50) -> list[Application]:
    """Open files past their due moment, the most overdue first (one query)."""
    return list(Application.objects.filter(status__in=(Status.SUBMITTED, Status.IN_PROCESS), due_at__lt=timezone.now())
                .select_related("permit_type").order_by("due_at")[:limit])


def figures_by_permit_type(*, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Per permit type: received (online/counter) and decided in [start, end), on time, open now (one query)."""
    in_period = Q(applications__submitted_at__gte=start, applications__submitted_at__lt=end)
    decided = Q(applications__status__in=DECIDED, applications__decided_at__gte=start,
                applications__decided_at__lt=end)
    return list(PermitType.objects.order_by("name").values("pk", "name", "is_online").annotate(
        online=Count("applications", filter=in_period & Q(applications__channel=Application.Channel.ONLINE)),
        counter=Count("applications", filter=in_period & Q(applications__channel=Application.Channel.COUNTER)),
        decided=Count("applications", filter=decided),
        on_time=Count("applications", filter=decided & (Q(applications__due_at__isnull=True)
                                                         | Q(applications__decided_at__lte=F("applications__due_at")))),
        open=Count("applications", filter=Q(applications__status__in=Application.OPEN_STATUSES)),
    ))


# --- The public transparency page ---------------------------------------------------------------------


def transparency_catalog() -> list[PermitType]:
    """Permit types the regency offers, with their requirements (two queries)."""
    from django.db.models import Prefetch

    from permits.models import Requirement

    return list(PermitType.objects.filter(is_active=True).order_by("name").prefetch_related(
        Prefetch("requirements", queryset=Requirement.objects.order_by("order", "pk"))))


def permit_register(*, permit_type_code: str = "", issued_from: dt.date | None = None,
                    issued_until: dt.date | None = None) -> QuerySet[Permit, dict[str, Any]]:
    """Issued permits for the public register: number, type, dates, status only (no applicant field is read).

    Filters (the open-data feed's): a permit type's code, and issue dates (inclusive) in the regency's zone.
    """
    from permits.models import Permit

    rows = Permit.objects.order_by("-issued_at", "-pk")
    if permit_type_code:
        rows = rows.filter(application__permit_type__code=permit_type_code)
    if issued_from:
        rows = rows.filter(issued_at__gte=day_bounds(issued_from)[0])
    if issued_until:
        rows = rows.filter(issued_at__lt=day_bounds(issued_until)[1])
    return rows.values("number", "application__permit_type__code", "application__permit_type__name", "issued_at",
                       "valid_from", "valid_until", "status")


def register_status_label(row: dict, *, today: dt.date) -> str:
    """What the register says of a permit: its status, or "Kedaluwarsa" once a valid permit's end has passed."""
    from permits.models import Permit

    if row["status"] == Permit.Status.VALID and row["valid_until"] and row["valid_until"] < today:
        return "Kedaluwarsa"
    return str(dict(Permit.Status.choices)[row["status"]])


def national_permit_register(*, regency_code: str = "", permit_type_name: str = "",
                             issued_from: dt.date | None = None,
                             issued_until: dt.date | None = None) -> QuerySet[ApplicationIndex, dict[str, Any]]:
    """Issued permits of every regency from the public index: regency, number, type, dates, status only.

    Dates are the platform's (Asia/Jakarta) days; the applicant column of the index is never read.
    """
    from django.utils import timezone

    from permits.index.models import ApplicationIndex

    rows = ApplicationIndex.objects.exclude(permit_number="").order_by("-permit_issued_at", "-pk")
    if regency_code:
        rows = rows.filter(regency__code=regency_code)
    if permit_type_name:
        rows = rows.filter(permit_type_name__iexact=permit_type_name)
    zone = timezone.get_default_timezone()
    if issued_from:
        rows = rows.filter(permit_issued_at__gte=dt.datetime.combine(issued_from, dt.time(), tzinfo=zone))
    if issued_until:
        rows = rows.filter(permit_issued_at__lt=dt.datetime.combine(issued_until, dt.time(), tzinfo=zone) + ONE_DAY)
    return rows.values("regency__code", "regency__name", "permit_number", "permit_type_name", "permit_issued_at",
                       "permit_valid_until", "permit_status")
