"""Background work of the ministry console (tenant-schemas-celery carries each task's schema)."""
from __future__ import annotations

from django_tenants.utils import schema_context

from pintu.celery import shared_task
from pintu.console import services
from tenants.selectors import regency_list


@shared_task(name="console.provisioning_job_run")
def provisioning_job_run_task(job_id: int) -> dict:
    """Provision the regencies of one job (public schema), recording progress as it goes."""
    job = services.provisioning_job_run(job_id=job_id)
    return {"job": job.pk, "done": job.done, "failed": job.failed}


@shared_task(name="console.regency_snapshot_take")
def regency_snapshot_take() -> dict:
    """One regency's figures, counted in the schema this task was queued from."""
    snapshot = services.regency_snapshot_take()
    return {"regency": snapshot.regency_id, "officers": snapshot.officers, "permit_types": snapshot.permit_types,
            "applications": snapshot.applications, "stored_bytes": snapshot.stored_bytes}


@shared_task(name="console.regency_snapshots_refresh")
def regency_snapshots_refresh() -> int:
    """Fan out one snapshot task per regency on the platform, each queued from its own schema."""
    count = 0
    for regency in regency_list().only("pk", "schema_name"):
        with schema_context(regency.schema_name):
            regency_snapshot_take.delay()
        count += 1
    return count
