"""The regency whose schema is in use, and its clock (every date a regency sees is in its own zone)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from tenants.selectors import current_regency

_zones: dict[str, tuple[str, str]] = {}


def _zone_and_code() -> tuple[str, str]:
    tenant = getattr(connection, "tenant", None)
    zone = getattr(tenant, "time_zone", None)
    code = getattr(tenant, "code", None)
    if zone and code:
        return zone, code
    schema = connection.schema_name
    if schema not in _zones:
        regency = current_regency()
        if regency is None or not regency.code:
            return settings.TIME_ZONE, ""
        _zones[schema] = (regency.time_zone, regency.code)
    return _zones[schema]


def regency_zone() -> ZoneInfo:
    return ZoneInfo(_zone_and_code()[0])


def regency_code() -> str:
    return _zone_and_code()[1]


def regency_now(*, at: dt.datetime | None = None) -> dt.datetime:
    """Now (or `at`) as an aware datetime in the regency's time zone."""
    return (at or timezone.now()).astimezone(regency_zone())


def regency_today(*, at: dt.datetime | None = None) -> dt.date:
    """Today's date in the regency (WITA's day starts an hour before WIB's)."""
    return regency_now(at=at).date()
