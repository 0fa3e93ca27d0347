"""How dates and money read on Indonesian documents."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import dates, translation

ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def local_date(value: dt.date | dt.datetime, time_zone: str) -> dt.date:
    """The calendar day a regency sees: an aware datetime is read in the regency's zone."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: give an aware one (or a date)")
        return value.astimezone(ZoneInfo(time_zone)).date()
    return value


def month_name(month: int) -> str:
    """'Januari' for 1: Django's own Indonesian month names (documents, surveys and usage reports
    read in Indonesian whatever language the page is in)."""
    with translation.override("id"):
        return str(dates.MONTHS[month])


def weekday_name(day: dt.date) -> str:
    """'Senin' for a Monday: Django's own Indonesian day names, as month_name."""
    with translation.override("id"):
        return str(dates.WEEKDAYS[day.weekday()])


def date_id(value: dt.date | dt.datetime, time_zone: str = "Asia/Jakarta") -> str:
    """'5 Januari 2025' whatever the page's language: `date_read` in Indonesian."""
    with translation.override("id"):
        return date_read(value, time_zone)


def date_read(value: dt.date | dt.datetime, time_zone: str = "Asia/Jakarta") -> str:
    """A date on a page, in the reader's language: '5 Januari 2025', or '5 January 2025' for a person
    who picked English (documents, messages sent and stored records keep `date_id`)."""
    day = local_date(value, time_zone)
    return f"{day.day} {dates.MONTHS[day.month]} {day.year}"


def datetime_read(value: dt.datetime, time_zone: str) -> str:
    """'5 Januari 2025 pukul 14.30 WITA' on a page ('5 January 2025 at 14.30 WITA' in English)."""
    local = value.astimezone(ZoneInfo(time_zone))
    return translation.gettext("%(day)s pukul %(time)s %(zone)s") % {
        "day": date_read(local.date()), "time": f"{local:%H.%M}", "zone": ZONE_LABELS.get(time_zone, time_zone)}


def datetime_id(value: dt.datetime, time_zone: str) -> str:
    """'5 Januari 2025 pukul 14.30 WITA' in the regency's own zone, whatever the page's language."""
    with translation.override("id"):
        return datetime_read(value, time_zone)

