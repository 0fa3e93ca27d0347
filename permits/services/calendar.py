"""Writes to the regency's own calendar (local holidays; national ones are the ministry's)."""
from __future__ import annotations

from django.db import transaction

from pintu.audit.services import audit_record
from permits.models import LocalHoliday
from permits.services._common import Errors, apply_fields, full_clean_into


@transaction.atomic
def local_holiday_create(*, actor=None, **values) -> LocalHoliday:
    """Add a regional day off (e.g. the regency's anniversary) that SLA clocks skip."""
    holiday = LocalHoliday()
    apply_fields(holiday, values, {"date", "name"})
    errors = Errors()
    full_clean_into(holiday, errors)
    errors.raise_if_any()
    holiday.save()
    audit_record(actor=actor, action="local_holiday.create", target=holiday,
                 detail={"date": holiday.date, "name": holiday.name})
    return holiday


@transaction.atomic
def local_holiday_update(*, holiday: LocalHoliday, actor=None, **values) -> LocalHoliday:
    apply_fields(holiday, values, {"date", "name"})
    errors = Errors()
    full_clean_into(holiday, errors)
    errors.raise_if_any()
    holiday.save()
    audit_record(actor=actor, action="local_holiday.update", target=holiday,
                 detail={"date": holiday.date, "name": holiday.name})
    return holiday


@transaction.atomic
def local_holiday_delete(*, holiday: LocalHoliday, actor=None) -> None:
    audit_record(actor=actor, action="local_holiday.delete", target=holiday, detail={"date": holiday.date})
    holiday.delete()
