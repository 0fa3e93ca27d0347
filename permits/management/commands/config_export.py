"""Write a regency's whole configuration to a YAML file (or standard output)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context, schema_exists

from permits.services.config_io import config_export_yaml


class Command(BaseCommand):
    help = "Mengekspor konfigurasi daerah (katalog, formulir, SOP, jabatan, pelimpahan, hari libur) ke YAML."

    def add_arguments(self, parser):
        parser.add_argument("schema", help="Skema daerah, mis. trenggalek")
        parser.add_argument("file", nargs="?", help="Berkas tujuan; kosong: tampilkan di layar")

    def handle(self, *args, schema, file=None, **options):
        if not schema_exists(schema) or schema in ("public", "regency_template"):
            raise CommandError(f"Daerah dengan skema '{schema}' tidak ada.")
        with schema_context(schema):
            text = config_export_yaml()
        if file:
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stdout.write(f"Konfigurasi {schema} ditulis ke {file}.")
        else:
            self.stdout.write(text)
