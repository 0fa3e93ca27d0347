"""Migration executor: keeps the template schema that new regencies are cloned from current."""
from __future__ import annotations

from django.conf import settings
from django.db import connection
from django_tenants.migration_executors import get_executor
from django_tenants.migration_executors.standard import StandardExecutor


def template_schema_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.TENANT_BASE_SCHEMA}"')


class PintuExecutor(StandardExecutor):
    """Migrating all regencies also migrates the template schema, first."""

    codename = "pintu"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        all_regencies = not self.options.get("schema_name") and self.PUBLIC_SCHEMA_NAME not in tenants
        if all_regencies and settings.TENANT_BASE_SCHEMA not in tenants:
            template_schema_create()
            tenants.insert(0, settings.TENANT_BASE_SCHEMA)
        super().run_migrations(tenants)


def executor_for(codename=None):
    if codename in (None, "", PintuExecutor.codename):
        return PintuExecutor
    return get_executor(codename)
