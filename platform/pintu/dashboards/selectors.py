"""Reads of the dashboards: period figures per regency from the daily rows (a fixed number of queries)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection

from permits.selectors.stats import DayFigures, ikm_from
from permits.selectors.survey import grade_of
from pintu.dashboards.models import RegencyDailyStats, RegencyTarget
from tenants.models import Regency
from tenants.selectors import regency_list

SUMMED = ("received_online", "received_counter", "decided", "issued", "rejected", "sla_met", "sla_missed",
          "respondents", "survey_score_sum")
LATEST = ("backlog", "late", "complaints_open")
MAX_PERIOD_DAYS = 366
#: Working days 0..31 of the days' histograms are summed in SQL; longer decisions (rare) are added in Python.
SUMMED_WORKING_DAYS = 32


@dataclass(frozen=True)
class DayRange:
    """Days [first, last] inclusive, each regency's own dates."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __iter__(self) -> Iterator[dt.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += dt.timedelta(days=1)


def latest_today() -> dt.date:
    """The latest date any regency has reached (WIT is ahead of WIB): the default end of a national period."""
    return dt.datetime.now(ZoneInfo("Asia/Jayapura")).date()


def date_parse(text: str) -> dt.date | None:
    """A date as typed on the dashboard's filter (day-month-year, "02-11-2026" or "2/11/2026") or ISO
    ("2026-11-02", the export links); None when it is no date."""
    text = (text or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("/", "-").replace(".", "-").split("-")
    try:
        day, month, year = (int(p) for p in parts)
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        return None


def day_range_parse(*, first: str = "", last: str = "", days: str = "", today: dt.date) -> DayRange:
    """From the query string: `dari`/`sampai` (dates) or `hari` (7, 30, 90, ...); bad input falls back to 30 days."""
    end = date_parse(last) or today
    start = date_parse(first)
    if start is None:
        try:
            n = int(days) if days else 30
        except ValueError:
            n = 30
        n = min(max(n, 1), MAX_PERIOD_DAYS)
        start = end - dt.timedelta(days=n - 1)
    if start > end:
        start, end = end, start
    if (end - start).days >= MAX_PERIOD_DAYS:
        start = end - dt.timedelta(days=MAX_PERIOD_DAYS - 1)
    return DayRange(start, end)


@dataclass
class Figures:
    """A regency's figures over a period."""

    received_online: int = 0
    received_counter: int = 0
    decided: int = 0
    issued: int = 0
    rejected: int = 0
    sla_met: int = 0
    sla_missed: int = 0
    respondents: int = 0
    survey_score_sum: int = 0
    backlog: int = 0
    late: int = 0
    complaints_open: int = 0
    decision_days: Counter = field(default_factory=Counter)

    @property
    def received(self) -> int:
        return self.received_online + self.received_counter

    @property
    def online_share(self) -> Decimal | None:
        return None if not self.received else (Decimal(100) * self.received_online / self.received).quantize(
            Decimal("0.1"))

    @property
    def sla_percent(self) -> Decimal | None:
        return None if not self.decided else (Decimal(100) * self.sla_met / self.decided).quantize(Decimal("0.1"))

    @property
    def median_working_days(self) -> Decimal | None:
        total = sum(self.decision_days.values())
        if not total:
            return None
        ordered = sorted(self.decision_days.items())

        def nth(k: int) -> int:  # 0-based k-th value of the expanded list
            seen = 0
            for value, count in ordered:
                seen += count
                if k < seen:
                    return value
            return ordered[-1][0]

        if total % 2:
            return Decimal(nth(total // 2)).quantize(Decimal("0.1"))
        return (Decimal(nth(total // 2 - 1) + nth(total // 2)) / 2).quantize(Decimal("0.1"))

    @property
    def ikm(self) -> Decimal | None:
        return ikm_from(respondents=self.respondents, score_sum=self.survey_score_sum)

    @property
    def ikm_grade(self) -> str:
        ikm = self.ikm
        return grade_of(ikm)[0] if ikm is not None else ""

    def settled(self) -> SettledFigures:
        """These figures with each derived one (shares, median, IKM) computed once, for a period that is complete."""
        ikm = self.ikm
        return SettledFigures(
            **{name: getattr(self, name) for name in (*SUMMED, *LATEST)}, decision_days=self.decision_days,
            received=self.received, online_share=self.online_share, sla_percent=self.sla_percent,
            median_working_days=self.median_working_days, ikm=ikm,
            ikm_grade=grade_of(ikm)[0] if ikm is not None else "")

    def add_day(self, row: RegencyDailyStats | DayFigures) -> None:
        """Add one day (a RegencyDailyStats row or live DayFigures); the latest day added sets backlog figures."""
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + getattr(row, name))
        for name in LATEST:
            setattr(self, name, getattr(row, name))
        self.decision_days.update({int(k): v for k, v in row.decision_days.items()})


@dataclass(frozen=True, slots=True)
class SettledFigures:
    """A regency's figures over a period, read many times (table, rankings, charts, exports): the derived ones
    computed once by `Figures.settled`, not on every read."""

    received_online: int
    received_counter: int
    decided: int
    issued: int
    rejected: int
    sla_met: int
    sla_missed: int
    respondents: int
    survey_score_sum: int
    backlog: int
    late: int
    complaints_open: int
    decision_days: Counter
    received: int
    online_share: Decimal | None
    sla_percent: Decimal | None
    median_working_days: Decimal | None
    ikm: Decimal | None
    ikm_grade: str


@dataclass
class NationalRow:
    regency: Regency
    figures: Figures | SettledFigures
    computed_at: dt.datetime | None = None  # when the rollup last wrote this regency's latest day in the period


def national_rows(*, period: DayRange, province: str = "") -> list[NationalRow]:
    """Every regency on the platform (or of one province) with its figures over the period, in two queries.

    One aggregated pass over the period's daily rows gives each regency's sums, its days' histograms of
    working days to decision summed position by position (for the median; `WorkingDaysHistogram`), and its
    latest day's backlog, late files and open complaints.
    """
    regencies = regency_list().prefetch_related(None).order_by("province_code", "name")
    if province:
        regencies = regencies.filter(province_code=province)
    regencies = list(regencies.only("pk", "code", "name", "province_code", "province_name", "time_zone",
                                    "schema_name", "status"))
    by_pk = {r.pk: Figures() for r in regencies}
    computed_at: dict[int, dt.datetime] = {}
    rows = RegencyDailyStats.objects.filter(day__gte=period.first, day__lte=period.last)
    if province:
        rows = rows.filter(regency__province_code=province)
    sql, params = rows.order_by().values("regency_id", "decision_days", *SUMMED).query.sql_with_params()
    table = RegencyDailyStats._meta.db_table
    summed = SUMMED_WORKING_DAYS
    with connection.cursor() as cursor:
        # The latest day by the (regency, day) unique index, one probe per regency: cheaper than ordering
        # each regency's days inside the aggregate. A day whose histogram is longer than the positions summed
        # sends the rest as text ("files,files;files"), added below.
        cursor.execute(
            f"SELECT a.*, l.* FROM (SELECT t.regency_id, {', '.join(f'sum(t.{n})' for n in SUMMED)}, "
            f"{', '.join(f'sum(t.decision_days[{n + 1}])' for n in range(summed))}, "
            f"string_agg(array_to_string(t.decision_days[{summed + 1}:], ','), ';') "
            f"FILTER (WHERE cardinality(t.decision_days) > {summed}) "
            f"FROM ({sql}) t GROUP BY 1) a CROSS JOIN LATERAL (SELECT computed_at, {', '.join(LATEST)} FROM {table} "
            "WHERE regency_id = a.regency_id AND day >= %s AND day <= %s ORDER BY day DESC LIMIT 1) l",
            [*params, period.first, period.last])
        aggregated = cursor.fetchall()
    histogram_at = len(SUMMED) + 1
    tail_at = histogram_at + summed
    for values in aggregated:
        figures = by_pk.get(values[0])
        if figures is None:
            continue
        for name, value in zip(SUMMED, values[1:histogram_at]):
            setattr(figures, name, value or 0)
        histogram = Counter({days: files for days, files in enumerate(values[histogram_at:tail_at]) if files})
        if values[tail_at]:
            for day in values[tail_at].split(";"):
                for days, files in enumerate(map(int, day.split(",")), start=summed):
                    if files:
                        histogram[days] += files
        figures.decision_days = histogram
        computed_at[values[0]] = values[tail_at + 1]
        for name, value in zip(LATEST, values[tail_at + 2:]):
            setattr(figures, name, value)
    return [NationalRow(r, by_pk[r.pk].settled(), computed_at.get(r.pk)) for r in regencies]


def rollup_as_of(rows: list[NationalRow]) -> dt.datetime | None:
    """The figures are as fresh as the stalest regency's rollup (the beat task runs every 5 minutes)."""
    return min((r.computed_at for r in rows if r.computed_at is not None), default=None)


def national_totals(rows: list[NationalRow]) -> Figures:
    total = Figures()
    for row in rows:
        for name in SUMMED + LATEST:
            setattr(total, name, getattr(total, name) + getattr(row.figures, name))
        total.decision_days.update(row.figures.decision_days)
    return total


def rankings(rows: list[NationalRow], *, size: int = 5) -> dict[str, list[NationalRow]]:
    """Best and worst SLA compliance, fastest median, highest online share (regencies with decisions/files only)."""
    decided = [r for r in rows if r.figures.decided]
    received = [r for r in rows if r.figures.received]
    by_sla = sorted(decided, key=lambda r: (-r.figures.sla_percent, r.regency.name))
    return {
        "sla_best": by_sla[:size],
        # the worst come from those not already among the best: fewer than 2 × size lists each regency once
        "sla_worst": list(reversed(by_sla[size:][-size:])),
        "fastest": sorted(decided, key=lambda r: (r.figures.median_working_days, r.regency.name))[:size],
        "online": sorted(received, key=lambda r: (-r.figures.online_share, r.regency.name))[:size],
    }


def provinces() -> list[tuple[str, str]]:
    """Provinces that have a regency on the platform (for the filter), one query."""
    return list(regency_list().order_by("province_code").values_list("province_code", "province_name").distinct())


def regency_daily_rows(*, regency: Regency, period: DayRange, before: dt.date | None = None) -> list[RegencyDailyStats]:
    """One regency's stored days in the period (strictly before `before`, the day shown live), one query."""
    rows = RegencyDailyStats.objects.filter(regency=regency, day__gte=period.first, day__lte=period.last)
    if before is not None:
        rows = rows.filter(day__lt=before)
    return list(rows.order_by("day"))


def regency_series(*, regency: Regency, period: DayRange, today: dt.date,
                   live: DayFigures | None) -> list[RegencyDailyStats | DayFigures]:
    """Each day of the period: the stored row, today's live figures, or an empty day (one query)."""
    stored = {row.day: row for row in regency_daily_rows(regency=regency, period=period, before=today)}
    series: list[RegencyDailyStats | DayFigures] = []
    for day in period:
        if day == today and live is not None:
            series.append(live)
        else:
            series.append(stored.get(day) or DayFigures(day=day))
    return series


def online_target(*, regency: Regency) -> int:
    target = RegencyTarget.objects.filter(regency=regency).values_list("online_daily_target", flat=True).first()
    return target or 0
