"""Working-day arithmetic for SLAs: weekends, national holidays and joint leave, local holidays.

Each call reads the days off in the span it needs in one query (national and
local together), never one query per day.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Container

from django.db.models import CharField, Value

from permits.models import LocalHoliday
from permits.regency import regency_zone
from pintu.national.models import NationalHoliday

ONE_DAY = dt.timedelta(days=1)


def days_off_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Holidays (national, joint leave and local) from start to end inclusive, in one query."""
    national = (NationalHoliday.objects.filter(date__gte=start, date__lte=end)
                .values_list("date", "name", Value("national", output_field=CharField())))
    local = (LocalHoliday.objects.filter(date__gte=start, date__lte=end)
             .values_list("date", "name", Value("local", output_field=CharField())))
    return {day: name for day, name, _ in national.union(local, all=True)}


def is_working(day: dt.date, off: Container[dt.date]) -> bool:
    """Monday to Friday and not among the days `off` (from `days_off_between`)."""
    return day.weekday() < 5 and day not in off


def working_days_counted(off: Container[dt.date], a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b`, given the days `off` in that span (no query):
    the one loop behind SLAs, pauses, complaint answers and the dashboards' decision times."""
    count, day = 0, a
    while day < b:
        day += ONE_DAY
        if is_working(day, off):
            count += 1
    return count


def _span(n: int) -> dt.timedelta:
    # Generous: n working days rarely need more than 1.4n calendar days plus the longest joint leave.
    return dt.timedelta(days=int(n * 1.6) + 21)


def working_days_add(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start` (start itself not counted); n=0 gives start."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return start
    span_end = start + _span(n)
    off = days_off_between(start, span_end)
    day, left = start, n
    while left:
        day += ONE_DAY
        if day > span_end:  # an unusually long run of days off: read the next span (still one query per span)
            span_end = day + _span(left)
            off.update(days_off_between(day, span_end))
        if is_working(day, off):
            left -= 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (so working_days_between(a, working_days_add(a, n)) == n)."""
    if b <= a:
        return 0
    return working_days_counted(days_off_between(a + ONE_DAY, b), a, b)


def is_working_day(day: dt.date) -> bool:
    return is_working(day, {}) and is_working(day, days_off_between(day, day))  # no query on a weekend


def sla_due_at(*, started_at: dt.datetime, working_days: int) -> dt.datetime:
    """The due moment of an SLA: the end of the n-th working day after the start, in the regency's zone."""
    zone = regency_zone()
    start_day = started_at.astimezone(zone).date()
    due_day = working_days_add(start_day, working_days)
    return dt.datetime.combine(due_day, dt.time(23, 59, 59), tzinfo=zone)
