"""Reads of national data."""
from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from pintu.national.models import CatalogTemplate, NationalHoliday


def national_holiday_list(*, year: int | None = None) -> QuerySet[NationalHoliday]:
    qs = NationalHoliday.objects.all()
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("date")


def national_holidays_between(*, start: dt.date, end: dt.date) -> QuerySet[NationalHoliday]:
    return NationalHoliday.objects.filter(date__gte=start, date__lte=end).order_by("date")


def catalog_template_list(*, published_only: bool = True) -> QuerySet[CatalogTemplate]:
    qs = CatalogTemplate.objects.all()
    if published_only:
        qs = qs.filter(is_published=True)
    return qs.order_by("name")
