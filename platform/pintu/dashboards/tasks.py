"""The daily rollup: a beat task fans out one task per regency, each queued from that regency's schema."""
from __future__ import annotations

import datetime as dt

from django_tenants.utils import schema_context

from pintu.celery import shared_task
from pintu.dashboards import services
from tenants.selectors import regency_list


@shared_task(name="dashboards.regency_rollup")
def regency_rollup_task(day: str | None = None) -> dict:
    """One regency's rollup, in the schema this task was queued from (re-running upserts the same rows)."""
    rows = services.regency_rollup(day=dt.date.fromisoformat(day) if day else None)
    return {"regency": rows[0].regency_id, "days": [row.day.isoformat() for row in rows]}


@shared_task(name="dashboards.rollup")
def dashboards_rollup(day: str | None = None) -> int:
    """Fan out the rollup to every regency on the platform; `day` (ISO date) is each regency's own date."""
    count = 0
    for regency in regency_list().only("pk", "schema_name"):
        with schema_context(regency.schema_name):
            regency_rollup_task.delay(day)
        count += 1
    return count
