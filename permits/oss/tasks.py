"""Celery tasks of the OSS integration; each runs in the regency schema it was queued from."""
from __future__ import annotations

from django_tenants.utils import schema_context

from permits.oss import reporting
from pintu.celery import shared_task


@shared_task(name="oss.send_file", acks_late=True)
def oss_send_file_task(file_id: int) -> list[str]:
    """Send one file's changes in order; after a failure the file is queued again after its back-off."""
    from django.db import connection
    from django.utils import timezone

    from permits.oss.models import OssSend

    results = reporting.oss_send_file(file_id=file_id)
    if results and results[-1] == "retry":
        row = OssSend.objects.filter(file_id=file_id, status=OssSend.Status.PENDING).order_by("seq").first()
        if row is not None:
            delay = max(int((row.next_attempt_at - timezone.now()).total_seconds()), 1)
            reporting.oss_queue(schema=connection.schema_name, file_id=file_id, countdown=delay)
    return results


@shared_task(name="oss.sweep_regency")
def oss_sweep_regency() -> int:
    return reporting.oss_sweep()


@shared_task(name="oss.sweep")
def oss_sweep_all() -> int:
    """Fan out: one sweep per regency that has an OSS key, queued from its own schema."""
    from permits.oss.hub.models import OssCredential

    count = 0
    for schema in OssCredential.objects.values_list("regency__schema_name", flat=True):
        with schema_context(schema):
            oss_sweep_regency.delay()
        count += 1
    return count


@shared_task(name="oss.references_refresh")
def oss_references_refresh_task() -> int:
    from permits.oss.lookups import oss_references_refresh

    return oss_references_refresh()
