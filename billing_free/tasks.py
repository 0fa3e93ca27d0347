"""Background work of billing_free. Both tasks are tenant-independent: they name regencies explicitly."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from pintu.celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="billing_free.quota_alert_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def quota_alert_send(alert_pk: int) -> str:
    from billing_free.services.alerts import quota_alert_deliver

    return quota_alert_deliver(alert_pk=alert_pk)


@shared_task(name="billing_free.meters_flush")
def meters_flush() -> dict:
    """Periodic: API-call counts into the meters, officer levels, unsent alerts, old idempotency keys."""
    from billing_free.models import MeterIdempotencyKey, QuotaAlert
    from billing_free.services.api_calls import api_calls_flush
    from billing_free.services.levels import officer_levels_record

    api_calls = api_calls_flush()
    officers = officer_levels_record()
    stale = timezone.now() - dt.timedelta(minutes=10)
    unsent = list(QuotaAlert.objects.filter(sent_at__isnull=True, created_at__lt=stale).values_list("pk", flat=True))
    for pk in unsent:
        transaction.on_commit(lambda pk=pk: quota_alert_send.delay(pk))
    purged, _ = MeterIdempotencyKey.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=120)).delete()
    result = {"api_calls": api_calls, "regencies_counted": officers, "alerts_requeued": len(unsent), "keys_purged": purged}
    log.info("meters flushed", extra={"result": result})
    return result
