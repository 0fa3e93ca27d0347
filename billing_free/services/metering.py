"""Fair use of the shared platform: per-regency monthly meters, quotas and their warnings.

How the application flow meters what it does (always naming the regency, in the same
transaction as the regency's own rows, with a key that makes a retried task count once):

- an application submitted:   meter_add(regency=r, metric="applications", idempotency_key=f"application:{pk}:submit")
- a document stored:          meter_add(regency=r, metric="stored_bytes", amount=size, idempotency_key=f"document:{key}")
- a message sent by a task:   meter_add(regency=r, metric="emails"|"sms"|"whatsapp", idempotency_key=f"message:{id}")
- API calls:                  counted in Redis by `ApiCallMeterMiddleware`, added by the `meters_flush` task
- officers:                   the number of active memberships, recorded by `meters_flush`

A quota never stops an applicant: at 80 % the regency's administrators are warned once per
metric and month; at 100 % the state is shown, SMS/WhatsApp fall back to e-mail
(`sms_allowed`) and uploads are still accepted while the ministry is alerted.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from billing_free.errors import MetricUnknown, MinistryAdministratorRequired, QuotaInvalid
from billing_free.models import (
    LEVEL_METRICS,
    MeterIdempotencyKey,
    Metric,
    MinistryLogEntry,
    Quota,
    QuotaAlert,
    UsageMeter,
)
from pintu.access.roles import MINISTRY_ADMIN_ROLES
from pintu.access.selectors import ministry_role_holds

if TYPE_CHECKING:
    from pintu.identity.models import User
    from tenants.models import Regency


log = logging.getLogger(__name__)

GIB = 1024 ** 3
# Generous defaults, per regency and month; ministry administrators override them
# (a Quota row without a regency changes the default, one with a regency overrides it there).
DEFAULT_QUOTAS: dict[str, int] = {
    Metric.APPLICATIONS: 20_000,
    Metric.STORED_BYTES: 200 * GIB,
    Metric.OFFICERS: 300,
    Metric.API_CALLS: 2_000_000,
    Metric.EMAILS: 50_000,
    Metric.SMS: 10_000,
    Metric.WHATSAPP: 10_000,
}
WARNING_PERCENT = 80
OVER_PERCENT = 100

# (regency id, month, metric, level) already alerted, so metering past 80 % costs no extra query.
_alerted: set[tuple[int, dt.date, str, str]] = set()


def metric_check(metric: str) -> Metric:
    try:
        return Metric(metric)
    except ValueError:
        raise MetricUnknown(metric=str(metric)) from None


def quota_defaults() -> dict[str, int]:
    return {**DEFAULT_QUOTAS, **getattr(settings, "FAIR_USE_QUOTA_DEFAULTS", {})}


def month_of(regency: Regency, on: dt.date | dt.datetime | None = None) -> dt.date:
    """The first day of the month `on` falls in, in the regency's own time zone."""
    if on is None:
        on = timezone.now()
    if isinstance(on, dt.datetime):
        if timezone.is_aware(on):
            on = on.astimezone(ZoneInfo(regency.time_zone or settings.TIME_ZONE))
        on = on.date()
    return on.replace(day=1)


def _level_before(*, regency: Regency, metric: str, month: dt.date) -> int:
    """A level metric (storage, officers) starts a month where the previous one ended."""
    if metric not in LEVEL_METRICS:
        return 0
    value = (UsageMeter.objects.filter(regency=regency, metric=metric, month__lt=month)
             .order_by("-month").values_list("value", flat=True).first())
    return value or 0


def _key_claim(*, regency: Regency, key: str, metric: str, amount: int) -> bool:
    """Record the event's key; False when it was already counted (a retried task)."""
    table = connection.ops.quote_name(MeterIdempotencyKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (regency_id, key, metric, amount, created_at) VALUES (%s, %s, %s, %s, now()) "
            "ON CONFLICT (regency_id, key) DO NOTHING RETURNING id",
            [regency.pk, key[:200], metric, amount],
        )
        return cursor.fetchone() is not None


@transaction.atomic
def meter_add(*, regency: Regency, metric: str, amount: int = 1, on: dt.date | dt.datetime | None = None,
              idempotency_key: str | None = None) -> bool:
    """Add `amount` to the regency's meter for the month of `on`; False when the key was already counted."""
    metric = metric_check(metric)
    amount = int(amount)
    if regency is None or getattr(regency, "is_public", False):
        raise ValueError("meter_add needs a regency")
    month = month_of(regency, on)
    if idempotency_key and not _key_claim(regency=regency, key=idempotency_key, metric=metric, amount=amount):
        return False
    if amount == 0:
        return True
    meters = UsageMeter.objects.filter(regency=regency, month=month, metric=metric)
    if not meters.update(value=F("value") + amount, updated_at=timezone.now()):
        start = _level_before(regency=regency, metric=metric, month=month)
        try:
            with transaction.atomic():
                UsageMeter.objects.create(regency=regency, month=month, metric=metric, value=start + amount)
        except IntegrityError:  # created meanwhile by a concurrent transaction
            meters.update(value=F("value") + amount, updated_at=timezone.now())
    if amount > 0:
        quota_check(regency=regency, month=month, metric=metric)
    return True


@transaction.atomic
def meter_set(*, regency: Regency, metric: str, value: int, on: dt.date | dt.datetime | None = None) -> None:
    """Record the level of a level metric (e.g. active officers counted by `meters_flush`)."""
    metric = metric_check(metric)
    month = month_of(regency, on)
    row, created = UsageMeter.objects.get_or_create(regency=regency, month=month, metric=metric,
                                                    defaults={"value": int(value)})
    if not created and row.value != int(value):
        UsageMeter.objects.filter(pk=row.pk).update(value=int(value), updated_at=timezone.now())
    quota_check(regency=regency, month=month, metric=metric)


# Limits per regency, trusted for a minute in each process (metering runs on every submission).
LIMITS_SECONDS = 60
_limits: dict[int, tuple[float, dict[str, int]]] = {}


def quota_limits(*, regency: Regency) -> dict[str, int]:
    """The limit of every metric for `regency`: its override, else the ministry's default row, else code."""
    cached = _limits.get(regency.pk)
    if cached and cached[0] > time.monotonic():
        return dict(cached[1])
    limits = quota_defaults()
    overrides = {}
    for row in Quota.objects.filter(Q(regency=regency) | Q(regency__isnull=True)).values("regency_id", "metric", "limit"):
        if row["regency_id"] is None:
            limits[row["metric"]] = row["limit"]
        else:
            overrides[row["metric"]] = row["limit"]
    limits.update(overrides)
    _limits[regency.pk] = (time.monotonic() + LIMITS_SECONDS, limits)
    return dict(limits)


def quota_check(*, regency: Regency, month: dt.date, metric: str) -> QuotaAlert | None:
    """Raise the 80 % warning or the 100 % alert for this metric and month, each only once."""
    used = UsageMeter.objects.filter(regency=regency, month=month, metric=metric).values_list("value", flat=True).first()
    if not used:
        return None
    limit = quota_limits(regency=regency)[metric]
    percent = used * 100 / limit
    alert = None
    for level, threshold in ((QuotaAlert.Level.WARNING, WARNING_PERCENT), (QuotaAlert.Level.OVER, OVER_PERCENT)):
        if percent < threshold or (regency.pk, month, metric, level) in _alerted:
            continue
        created = _alert_claim(regency=regency, month=month, metric=metric, level=level, used=used, limit=limit)
        if created is not None:
            alert = created
            transaction.on_commit(lambda pk=created.pk: _alert_queue(pk))
        else:
            _alerted.add((regency.pk, month, metric, level))
    return alert


def _alert_claim(*, regency: Regency, month: dt.date, metric: str, level: int, used: int, limit: int) -> QuotaAlert | None:
    try:
        with transaction.atomic():
            return QuotaAlert.objects.create(regency=regency, month=month, metric=metric, level=level,
                                             used=used, limit=limit)
    except IntegrityError:
        return None


def _alert_queue(alert_pk: int) -> None:
    from billing_free.tasks import quota_alert_send

    try:
        quota_alert_send.delay(alert_pk)
    except Exception:  # the broker being away must not undo metering; meters_flush resends unsent alerts
        log.warning("quota alert %s not queued", alert_pk, exc_info=True)


def sms_allowed(regency: Regency, *, channel: str = Metric.SMS, on: dt.date | dt.datetime | None = None) -> bool:
    """May a text message (SMS or WhatsApp) go out? Past the quota the notifier falls back to e-mail."""
    metric = metric_check(channel)
    month = month_of(regency, on)
    used = UsageMeter.objects.filter(regency=regency, month=month, metric=metric).values_list("value", flat=True).first()
    return (used or 0) < quota_limits(regency=regency)[metric]


def upload_accepted(*, regency: Regency, size: int, idempotency_key: str | None = None) -> bool:
    """Meter a stored upload. Always accepted: over the storage quota the ministry is alerted instead."""
    meter_add(regency=regency, metric=Metric.STORED_BYTES, amount=size, idempotency_key=idempotency_key)
    return True


@transaction.atomic
def quota_set(*, actor: User, metric: str, limit: int, regency: Regency | None = None) -> Quota:
    """A ministry administrator sets the default (no regency) or one regency's override."""
    if not ministry_role_holds(user=actor, roles=MINISTRY_ADMIN_ROLES):
        raise MinistryAdministratorRequired()
    metric = metric_check(metric)
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        raise QuotaInvalid() from None
    if limit <= 0:
        raise QuotaInvalid()
    quota, _ = Quota.objects.update_or_create(regency=regency, metric=metric,
                                              defaults={"limit": limit, "set_by": actor})
    MinistryLogEntry.objects.create(actor=actor, action="quota.set", target_type="tenants.regency" if regency else "",
                                    target_id=str(regency.pk) if regency else "",
                                    detail={"metric": metric, "limit": limit,
                                            "regency": regency.code if regency else None})
    _alerted.clear()
    _limits.clear()
    if regency is not None:
        quota_check(regency=regency, month=month_of(regency), metric=metric)
    return quota


@transaction.atomic
def quota_reset(*, actor: User, metric: str, regency: Regency) -> None:
    """Remove a regency's override: the default applies again."""
    if not ministry_role_holds(user=actor, roles=MINISTRY_ADMIN_ROLES):
        raise MinistryAdministratorRequired()
    metric = metric_check(metric)
    deleted, _ = Quota.objects.filter(regency=regency, metric=metric).delete()
    _limits.clear()
    if deleted:
        MinistryLogEntry.objects.create(actor=actor, action="quota.reset", target_type="tenants.regency",
                                        target_id=str(regency.pk), detail={"metric": metric, "regency": regency.code})
