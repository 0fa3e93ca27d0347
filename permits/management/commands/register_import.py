"""python manage.py register_import <schema> register.xlsx [--dry-run]: a regency's past permits, with progress."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from permits.services.register_import import register_import, register_rows_read
from pintu.errors import DomainError


class Command(BaseCommand):
    help = "Mengimpor register izin lama daerah (CSV/XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("schema", help="Skema daerah, mis. trenggalek")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, jangan simpan")

    def handle(self, *args, schema, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ada.")

        def progress(stage: str, done: int, total: int) -> None:
            self.stdout.write(f"  {'diperiksa' if stage == 'check' else 'disimpan'} {done}/{total} baris")
            self.stdout.flush()

        with schema_context(schema):
            try:
                rows = register_rows_read(content=path.read_bytes(), filename=path.name)
                report = register_import(rows=rows, actor=None, dry_run=dry_run, progress=progress)
            except DomainError as exc:
                for error in exc.detail.get("errors", [])[:200]:
                    self.stderr.write(f"baris {error['row']}: {error['message']}")
                raise CommandError(exc.message) from exc
        for line, message in report.errors[:200]:
            self.stderr.write(f"baris {line}: {message}")
        self.stdout.write(f"{report.total} baris: {report.created} izin baru, {report.unchanged} sudah ada, "
                          f"{len(report.errors)} bermasalah{' (uji coba)' if dry_run else ''}.")
