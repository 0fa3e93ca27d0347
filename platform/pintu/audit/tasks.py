"""The nightly full verification of every regency's audit chain, one task per regency from its own schema."""
from __future__ import annotations

from django.conf import settings
from django_tenants.utils import get_tenant_model, schema_context

from pintu.audit.services import audit_verify_full
from pintu.celery import shared_task


@shared_task(name="audit.verify_regency")
def audit_verify_regency() -> int:
    """Verify this schema's chain from the first entry and record it for /audit/; the number of problems."""
    return len(audit_verify_full())


@shared_task(name="audit.verify_all")
def audit_verify_all() -> int:
    count = 0
    for schema in get_tenant_model().objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME) \
            .values_list("schema_name", flat=True):
        with schema_context(schema):
            audit_verify_regency.delay()
        count += 1
    return count
