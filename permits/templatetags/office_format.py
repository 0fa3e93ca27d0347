"""How dates read on the office and counter pages: always in the regency's own time zone."""
from __future__ import annotations

import datetime as dt

from django import template

from permits.documents.text import date_id, datetime_id
from permits.regency import regency_zone

register = template.Library()


@register.filter
def regency_datetime(value):
    """'5 Januari 2025 pukul 14.30 WIB' in the regency's zone; '' for nothing."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        return datetime_id(value, regency_zone().key)
    return date_id(value)


@register.filter
def regency_date(value):
    """'5 Januari 2025' as the regency's calendar reads it."""
    if not value:
        return ""
    return date_id(value, regency_zone().key)
