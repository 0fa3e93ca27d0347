"""Writes of the dashboards: the daily rollup (upsert, safe to re-run) and the head's online target."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from permits.regency import current_regency, regency_now
from permits.selectors.stats import day_figures
from pintu.audit.services import audit_record
from pintu.dashboards.errors import TargetInvalid
from pintu.dashboards.models import RegencyDailyStats, RegencyTarget

if TYPE_CHECKING:
    from pintu.identity.models import User
    from tenants.models import Regency


@transaction.atomic
def regency_day_rollup(*, day: dt.date | None = None) -> RegencyDailyStats:
    """Compute one day of the regency in use (its today by default) and upsert its public row."""
    regency = current_regency()
    day = day or regency_now().date()
    figures = day_figures(day)
    row, _ = RegencyDailyStats.objects.update_or_create(regency=regency, day=day, defaults=figures.as_defaults())
    return row


def regency_rollup(*, day: dt.date | None = None) -> list[RegencyDailyStats]:
    """The rollup one regency's task runs: the given day, or its today and yesterday (late decisions settle)."""
    if day is not None:
        return [regency_day_rollup(day=day)]
    today = regency_now().date()
    return [regency_day_rollup(day=today - dt.timedelta(days=1)), regency_day_rollup(day=today)]


@transaction.atomic
def regency_target_set(*, actor: User, regency: Regency, online_daily_target: int | str | None) -> RegencyTarget:
    """The head sets the office's daily target of online applications (audited in the regency's log)."""
    try:
        value = int(online_daily_target)
    except (TypeError, ValueError):
        raise TargetInvalid(field="online_daily_target") from None
    if not 0 <= value <= 10_000:
        raise TargetInvalid(field="online_daily_target")
    target, _ = RegencyTarget.objects.select_for_update().get_or_create(regency=regency)
    before = target.online_daily_target
    target.online_daily_target = value
    target.updated_by = actor
    target.save()
    audit_record(actor=actor, action="dashboard.target_set", target=target,
                 detail={"online_daily_target": value, "before": before})
    return target
