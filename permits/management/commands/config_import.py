"""Bring a configuration YAML file into a regency; --dry-run lists what would change and changes nothing."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context, schema_exists

from permits.services.config_io import config_import
from pintu.errors import DomainError


class Command(BaseCommand):
    help = "Mengimpor berkas konfigurasi YAML ke sebuah daerah (semua atau tidak sama sekali)."

    def add_arguments(self, parser):
        parser.add_argument("schema", help="Skema daerah tujuan, mis. rembang")
        parser.add_argument("file", help="Berkas YAML hasil config_export")
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan perubahan tanpa menyimpannya")

    def handle(self, *args, schema, file, dry_run=False, **options):
        if not schema_exists(schema) or schema in ("public", "regency_template"):
            raise CommandError(f"Daerah dengan skema '{schema}' tidak ada.")
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise CommandError(f"Berkas {file} tidak dapat dibaca: {exc.strerror}.") from None
        try:
            with schema_context(schema):
                report = config_import(source=text, dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(f"Impor dibatalkan, tidak ada yang diubah. {exc.message}") from None
        for line in report.changes:
            self.stdout.write(f"  {line}")
        for line in report.notes:
            self.stdout.write(f"  {line}")
        if not report.changes:
            self.stdout.write("Tidak ada perubahan: konfigurasi sudah sama.")
        elif dry_run:
            self.stdout.write(f"Uji coba: {len(report.changes)} perubahan akan dilakukan; belum ada yang disimpan.")
        else:
            self.stdout.write(f"Selesai: {len(report.changes)} perubahan disimpan di {schema}.")
