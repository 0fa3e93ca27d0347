"""Celery tasks of notifications; each runs in the regency schema it was queued from."""
from __future__ import annotations

from django_tenants.utils import schema_context

from pintu.celery import shared_task
from pintu.notify import services


@shared_task(name="notify.outbox_send", acks_late=True)
def outbox_send_task(message_id: int) -> str:
    """Send one message (at most once); a failed attempt is queued again after its backoff."""
    from django.db import connection

    result = services.outbox_send(message_id=message_id)
    if result == "retry":
        from django.utils import timezone

        from pintu.notify.models import OutboxMessage

        row = OutboxMessage.objects.get(pk=message_id)
        delay = max(int((row.next_attempt_at - timezone.now()).total_seconds()), 1)
        services.outbox_queue(schema=connection.schema_name, ids=[message_id], countdown=delay)
    return result


@shared_task(name="notify.outbox_sweep_regency")
def outbox_sweep_regency() -> int:
    return services.outbox_sweep()


@shared_task(name="notify.outbox_sweep")
def outbox_sweep_all() -> int:
    """Fan out: one sweep per regency, each queued from its own schema."""
    from django.apps import apps
    from django.conf import settings

    Regency = apps.get_model("tenants", "Regency")
    count = 0
    schemas = Regency.objects.exclude(schema_name__in=[settings.PUBLIC_SCHEMA_NAME, settings.TENANT_BASE_SCHEMA]) \
        .values_list("schema_name", flat=True)
    for schema in schemas:
        with schema_context(schema):
            outbox_sweep_regency.delay()
        count += 1
    return count
