"""Publish the national starter catalog templates and the holiday calendar (idempotent)."""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection

from pintu.national.catalog_templates import STARTER_TEMPLATES
from pintu.national.services import catalog_template_publish, national_holidays_seed


class Command(BaseCommand):
    help = "Menerbitkan templat katalog nasional awal dan kalender libur nasional (aman dijalankan berulang)."

    def add_arguments(self, parser):
        parser.add_argument("--no-holidays", action="store_true", help="Jangan isi kalender libur nasional.")

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        for item in STARTER_TEMPLATES:
            template = catalog_template_publish(code=item["code"], name=item["name"], summary=item["summary"],
                                                data=item["data"])
            self.stdout.write(f"  templat {template.code:<22} v{template.version}")
        if not options["no_holidays"]:
            import datetime as dt

            year = dt.date.today().year
            created = national_holidays_seed(years=[year, year + 1])
            self.stdout.write(f"  kalender libur nasional {year}-{year + 1}: {created} hari baru")
