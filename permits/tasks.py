"""Periodic work of the permits domain, fanned out per regency (tenant-schemas-celery carries the schema)."""
from __future__ import annotations

from django_tenants.utils import schema_context

from pintu.celery import shared_task
from tenants.selectors import regency_list


@shared_task(name="permits.sla_tick_regency")
def sla_tick_regency() -> dict:
    """One regency, in its own time zone: fiktif positif, step reminders, late digests, expiry reminders."""
    from permits.services.reminders import regency_tick

    return regency_tick()


@shared_task(name="permits.sla_tick")
def sla_tick() -> int:
    """Queue one tick per active regency, each from its own schema."""
    count = 0
    for regency in regency_list(include_suspended=False).only("pk", "schema_name"):
        with schema_context(regency.schema_name):
            sla_tick_regency.delay()
        count += 1
    return count


@shared_task(name="permits.register_import_run", acks_late=True)
def register_import_run(job_id: int) -> str:
    """A large register file's check or import, in the regency's schema it was queued from."""
    from permits.services.register_import_jobs import register_import_job_run

    return register_import_job_run(job_id=job_id).status
