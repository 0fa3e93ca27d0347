"""Writes to the regency's own calendar (local holidays; national ones are the ministry's)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from permits.models import LocalHoliday
from permits.services._common import record_delete, record_save

if TYPE_CHECKING:
    from pintu.identity.models import User

HOLIDAY_FIELDS = {"date", "name"}


def _detail(holiday: LocalHoliday) -> dict:
    return {"date": holiday.date, "name": holiday.name}


@transaction.atomic
def local_holiday_create(*, actor: User | None = None, **values: Any) -> LocalHoliday:
    """Add a regional day off (e.g. the regency's anniversary) that SLA clocks skip."""
    return record_save(LocalHoliday(), values, HOLIDAY_FIELDS, actor=actor, action="local_holiday.create",
                       detail=_detail)


@transaction.atomic
def local_holiday_update(*, holiday: LocalHoliday, actor: User | None = None, **values: Any) -> LocalHoliday:
    return record_save(holiday, values, HOLIDAY_FIELDS, actor=actor, action="local_holiday.update", detail=_detail)


@transaction.atomic
def local_holiday_delete(*, holiday: LocalHoliday, actor: User | None = None) -> None:
    record_delete(holiday, actor=actor, action="local_holiday.delete", detail={"date": holiday.date})
