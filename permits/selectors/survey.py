"""Reads for the satisfaction survey: periods in the regency's zone, NRR per element, IKM and grade.

PermenPANRB 14/2017: per element NRR = sum of scores / respondents; IKM = Σ(NRR × 1/9) × 25,
converted to a 25–100 scale. Arithmetic is Decimal throughout; the figure is shown with two
decimals (half up) and graded as shown, by the regulation's two-decimal ranges: 88.3041 is
shown 88.30 and is a B, whatever the digits the page does not show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.db.models import Count, QuerySet, Sum

from permits.documents.text import month_name
from permits.models.survey import ELEMENTS, Element, SurveyResponse
from permits.regency import regency_now, regency_zone

WEIGHT = Decimal(1) / Decimal(9)
TWO_PLACES = Decimal("0.01")

#: (grade, lowest shown value of the grade, performance label) — highest first (PermenPANRB 14/2017).
GRADES = (
    ("A", Decimal("88.31"), "Sangat baik"),
    ("B", Decimal("76.61"), "Baik"),
    ("C", Decimal("65.00"), "Kurang baik"),
    ("D", Decimal("0"), "Tidak baik"),
)
PERIOD_KINDS = {"month": "Bulan", "quarter": "Triwulan", "year": "Tahun"}


def ikm_shown(ikm: Decimal) -> Decimal:
    """The IKM as pages and reports show it: two decimals, half up."""
    return ikm.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def grade_of(ikm: Decimal) -> tuple[str, str]:
    """A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99, read from the value as shown."""
    shown = ikm_shown(ikm)
    for grade, lowest, label in GRADES:
        if shown >= lowest:
            return grade, label
    return "D", "Tidak baik"


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # month 1–12, quarter 1–4, or 1 for a year
    start: dt.datetime  # aware, midnight in the regency's zone (inclusive)
    end: dt.datetime  # aware, midnight in the regency's zone (exclusive)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{month_name(self.number)} {self.year}"
        if self.kind == "quarter":
            return f"Triwulan {['I', 'II', 'III', 'IV'][self.number - 1]} {self.year}"
        return f"Tahun {self.year}"

    def following(self) -> "Period":
        if self.kind == "year":
            return period_of(kind="year", year=self.year + 1)
        count = 12 if self.kind == "month" else 4
        if self.number == count:
            return period_of(kind=self.kind, year=self.year + 1, number=1)
        return period_of(kind=self.kind, year=self.year, number=self.number + 1)

    def previous(self) -> "Period":
        if self.kind == "year":
            return period_of(kind="year", year=self.year - 1)
        count = 12 if self.kind == "month" else 4
        if self.number == 1:
            return period_of(kind=self.kind, year=self.year - 1, number=count)
        return period_of(kind=self.kind, year=self.year, number=self.number - 1)


def period_of(*, kind: str, year: int, number: int = 1) -> Period:
    """A calendar month, quarter or year, bounded by midnights in the regency's own time zone."""
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    zone = regency_zone()
    if kind == "month":
        first, months = (year, number), 1
    elif kind == "quarter":
        first, months = (year, 3 * (number - 1) + 1), 3
    else:
        first, months, number = (year, 1), 12, 1
    start = dt.datetime(first[0], first[1], 1, tzinfo=zone)
    end_month = first[1] + months
    end = dt.datetime(first[0] + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1, tzinfo=zone)
    return Period(kind=kind, year=year, number=number, start=start, end=end)


def period_containing(*, kind: str, at: dt.datetime | None = None) -> Period:
    now = regency_now(at=at)
    number = {"month": now.month, "quarter": (now.month - 1) // 3 + 1, "year": 1}[kind]
    return period_of(kind=kind, year=now.year, number=number)


@dataclass(frozen=True)
class ElementResult:
    element: Element
    total: int
    nrr: Decimal  # exact (as exact as Decimal's 28 digits allow)

    @property
    def nrr_display(self) -> Decimal:
        return self.nrr.quantize(TWO_PLACES)

    @property
    def weighted(self) -> Decimal:
        return self.nrr * WEIGHT


@dataclass(frozen=True)
class IkmResult:
    start: dt.datetime
    end: dt.datetime
    respondents: int
    elements: list[ElementResult] = field(default_factory=list)
    ikm: Decimal | None = None  # None when nobody answered
    grade: str = ""
    grade_label: str = ""
    by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def ikm_display(self) -> Decimal | None:
        return None if self.ikm is None else ikm_shown(self.ikm)

    @property
    def nrr_index(self) -> Decimal | None:
        """Σ(NRR × 1/9) on the 1–4 scale, before conversion."""
        return None if self.ikm is None else self.ikm / 25


def responses_between(*, start: dt.datetime, end: dt.datetime) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end)


def ikm_for(*, start: dt.datetime, end: dt.datetime) -> IkmResult:
    """NRR per element, IKM and grade of the responses submitted in [start, end), in two queries."""
    responses = responses_between(start=start, end=end)
    sums = responses.aggregate(n=Count("pk"), **{e.field: Sum(e.field) for e in ELEMENTS})
    by_channel = dict(responses.order_by().values_list("channel").annotate(n=Count("pk")))
    n = sums.pop("n")
    if not n:
        return IkmResult(start=start, end=end, respondents=0,
                         elements=[ElementResult(e, 0, Decimal(0)) for e in ELEMENTS], by_channel=by_channel)
    with localcontext() as ctx:
        ctx.prec = 28
        elements = [ElementResult(e, sums[e.field], Decimal(sums[e.field]) / Decimal(n)) for e in ELEMENTS]
        ikm = sum((r.nrr for r in elements), Decimal(0)) * 25 / 9
    grade, label = grade_of(ikm)
    return IkmResult(start=start, end=end, respondents=n, elements=elements, ikm=ikm, grade=grade,
                     grade_label=label, by_channel=by_channel)


def ikm_for_period(period: Period) -> IkmResult:
    return ikm_for(start=period.start, end=period.end)


def survey_comments(*, start: dt.datetime, end: dt.datetime, limit: int = 20) -> list[SurveyResponse]:
    """The latest suggestions left in the period (for the office; never shown publicly)."""
    return list(responses_between(start=start, end=end).exclude(comment="")
                .select_related("application").order_by("-submitted_at")[:limit])
