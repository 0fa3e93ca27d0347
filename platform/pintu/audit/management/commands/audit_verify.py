"""Check the hash chain of one regency's audit log, or of every regency; exit 1 when any is broken.

    python manage.py audit_verify                 # every regency
    python manage.py audit_verify --schema trenggalek
"""
from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_tenant_model, schema_context

from pintu.audit.services import audit_verify_full


class Command(BaseCommand):
    help = "Verify the audit log's hash chain per regency; names each edited, deleted or reordered entry."

    def add_arguments(self, parser):
        parser.add_argument("--schema", action="append", default=[],
                            help="Regency schema to check (repeatable); default: every regency.")

    def handle(self, *args, schema: list[str], **options):
        regencies = get_tenant_model().objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).order_by("schema_name")
        if schema:
            regencies = regencies.filter(schema_name__in=schema)
            unknown = set(schema) - set(regencies.values_list("schema_name", flat=True))
            if unknown:
                raise CommandError(f"Skema tidak dikenal: {', '.join(sorted(unknown))}")
        broken = []
        for regency in regencies:
            with schema_context(regency.schema_name):
                problems = audit_verify_full()  # recorded: /audit/ shows when it last ran
            if problems:
                broken.append(regency.schema_name)
                self.stdout.write(f"{regency.schema_name}: RUSAK ({len(problems)} masalah)")
                for problem in problems:
                    self.stdout.write(f"  {regency.schema_name}: {problem}")
            else:
                self.stdout.write(f"{regency.schema_name}: utuh")
        if broken:
            raise CommandError(f"Rantai audit rusak di: {', '.join(broken)}")
