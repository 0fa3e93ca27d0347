"""Reads of billing_free. Every query on a public table that describes a regency names the regency."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from billing_free.errors import MonthInvalid
from billing_free.models import LEVEL_METRICS, Metric, PungliReport, UsageMeter
from billing_free.services.metering import WARNING_PERCENT, month_of, quota_limits

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from tenants.models import Regency



class State:
    OK = "ok"
    WARNING = "warning"
    OVER = "over"


STATE_LABELS = {State.OK: "Aman", State.WARNING: "Mendekati kuota", State.OVER: "Melampaui kuota"}
# Past their quota, SMS and WhatsApp messages go by e-mail (pintu.notify asks `sms_allowed`).
TEXT_METRICS = frozenset({Metric.SMS, Metric.WHATSAPP})
TEXT_FALLBACK_NOTE = "dialihkan ke email"


@dataclass(frozen=True)
class QuotaLine:
    metric: str
    label: str
    used: int
    limit: int
    percent: float
    state: str
    cost: Decimal = Decimal("0")

    @property
    def note(self) -> str:
        """What the state means for people: past the quota, text messages go by e-mail."""
        return TEXT_FALLBACK_NOTE if self.state == State.OVER and self.metric in TEXT_METRICS else ""

    @property
    def state_label(self) -> str:
        return f"{STATE_LABELS[self.state]} — {self.note}" if self.note else STATE_LABELS[self.state]

    @property
    def bar_percent(self) -> float:
        return min(self.percent, 100.0)

    @property
    def is_bytes(self) -> bool:
        return self.metric == Metric.STORED_BYTES


def month_parse(value: str | None, *, regency: Regency) -> dt.date:
    """`2026-05` → 1 May 2026; empty → the regency's current month; anything else → MonthInvalid."""
    if not value:
        return month_of(regency)
    match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise MonthInvalid()
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _state(percent: float) -> str:
    if percent >= 100:
        return State.OVER
    if percent >= WARNING_PERCENT:
        return State.WARNING
    return State.OK


def _used_by_metric(*, regency: Regency, months: list[dt.date]) -> dict[tuple[dt.date, str], int]:
    """Meter values for those months; a level metric without a row carries the last level before it."""
    first = min(months)
    rows = list(UsageMeter.objects.filter(regency=regency, month__lte=max(months))
                .filter(Q(month__gte=first) | Q(metric__in=LEVEL_METRICS))
                .order_by("month").values_list("month", "metric", "value"))
    used: dict[tuple[dt.date, str], int] = {}
    level: dict[str, int] = {}
    by_month: dict[dt.date, dict[str, int]] = {}
    for month, metric, value in rows:
        by_month.setdefault(month, {})[metric] = value
    for month in sorted(set(by_month) | set(months)):
        values = by_month.get(month, {})
        for metric in LEVEL_METRICS:
            if metric in values:
                level[metric] = values[metric]
        if month in months:
            for metric in Metric.values:
                used[(month, metric)] = values.get(metric, level.get(metric, 0) if metric in LEVEL_METRICS else 0)
    return used


def quota_state(regency: Regency, month: dt.date | None = None) -> list[QuotaLine]:
    """Per metric: used, limit, percent and state (ok / warning / over) for the regency's month."""
    month = month or month_of(regency)
    used = _used_by_metric(regency=regency, months=[month])
    limits = quota_limits(regency=regency)
    lines = []
    for metric in Metric:
        value, limit = used[(month, metric.value)], limits[metric.value]
        percent = round(value * 100 / limit, 1)
        lines.append(QuotaLine(metric=metric.value, label=str(metric.label), used=value, limit=limit,
                               percent=percent, state=_state(percent)))
    return lines


def usage_history(regency: Regency, *, until: dt.date, months: int = 12) -> list[tuple[dt.date, list[QuotaLine]]]:
    """The statement of each of the `months` months ending with `until` (oldest first)."""
    span = [until - relativedelta(months=n) for n in range(months - 1, -1, -1)]
    used = _used_by_metric(regency=regency, months=span)
    limits = quota_limits(regency=regency)
    history = []
    for month in span:
        lines = []
        for metric in Metric:
            value, limit = used[(month, metric.value)], limits[metric.value]
            percent = round(value * 100 / limit, 1)
            lines.append(QuotaLine(metric=metric.value, label=str(metric.label), used=value, limit=limit,
                                   percent=percent, state=_state(percent)))
        history.append((month, lines))
    return history


def usage_overview(*, month: dt.date) -> list[dict]:
    """Every regency's state for the month, in three queries whatever the number of regencies."""
    from billing_free.models import Quota
    from billing_free.services.metering import quota_defaults
    from tenants.selectors import regency_list

    regencies = list(regency_list())
    used: dict[tuple[int, str], int] = {}
    for regency_id, metric, value in UsageMeter.objects.filter(month=month).values_list("regency_id", "metric", "value"):
        used[(regency_id, metric)] = value
    carried = (UsageMeter.objects.filter(month__lt=month, metric__in=LEVEL_METRICS)
               .order_by("regency_id", "metric", "-month").distinct("regency_id", "metric")
               .values_list("regency_id", "metric", "value"))
    for regency_id, metric, value in carried:
        used.setdefault((regency_id, metric), value)
    defaults, overrides = quota_defaults(), {}
    for regency_id, metric, limit in Quota.objects.values_list("regency_id", "metric", "limit"):
        if regency_id is None:
            defaults[metric] = limit
        else:
            overrides[(regency_id, metric)] = limit
    rows = []
    order = [State.OK, State.WARNING, State.OVER]
    for regency in regencies:
        lines = []
        for metric in Metric:
            value = used.get((regency.pk, metric.value), 0)
            limit = overrides.get((regency.pk, metric.value), defaults[metric.value])
            percent = round(value * 100 / limit, 1)
            lines.append(QuotaLine(metric=metric.value, label=str(metric.label), used=value, limit=limit,
                                   percent=percent, state=_state(percent)))
        worst = max((line.state for line in lines), key=order.index)
        rows.append({"regency": regency, "state": worst, "state_label": STATE_LABELS[worst], "lines": lines,
                     "flagged": [line for line in lines if line.state != State.OK]})
    return rows


# --- Pungli reports (ministry inspectors only) ------------------------------


def pungli_report_list(*, status: str = "", regency_code: str = "") -> QuerySet[PungliReport]:
    """The inspectors' list; callers have checked the inspector role."""
    qs = PungliReport.objects.select_related("regency").order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    if regency_code:
        qs = qs.filter(regency__code=regency_code)
    return qs


def pungli_statistics() -> list[dict]:
    """Counts per regency and status, without any content or identity."""
    counts = (PungliReport.objects.values("regency__code", "regency__name", "status")
              .annotate(n=Count("pk")).order_by("regency__code"))
    table: dict[str, dict] = {}
    for row in counts:
        entry = table.setdefault(row["regency__code"], {"code": row["regency__code"], "name": row["regency__name"],
                                                        "total": 0, **{s: 0 for s in PungliReport.Status.values}})
        entry[row["status"]] = row["n"]
        entry["total"] += row["n"]
    return list(table.values())
