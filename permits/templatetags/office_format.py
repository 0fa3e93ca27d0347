"""How dates read on the pages: always in the regency's own time zone, in the reader's language."""
from __future__ import annotations

import datetime as dt

from django import template

from permits.documents.text import date_read, datetime_read
from permits.regency import regency_zone

register = template.Library()


@register.filter
def regency_datetime(value):
    """'5 Januari 2025 pukul 14.30 WIB' in the regency's zone; '' for nothing."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        return datetime_read(value, regency_zone().key)
    return date_read(value)


@register.filter
def regency_date(value):
    """'5 Januari 2025' as the regency's calendar reads it."""
    if not value:
        return ""
    return date_read(value, regency_zone().key)
