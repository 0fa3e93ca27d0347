"""python manage.py regency_backup <schema|subdomain|code> <file.tar.gz>"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from pintu.errors import DomainError
from tenants.backup import regency_backup
from tenants.models import Regency


class Command(BaseCommand):
    help = "Mencadangkan SATU daerah: skema, data publiknya, dan berkas tersimpannya, ke satu arsip .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("regency", help="Nama skema, subdomain, atau kode wilayah, mis. trenggalek atau 3503")
        parser.add_argument("file", help="Berkas tujuan, mis. trenggalek.tar.gz")

    def handle(self, *args, regency, file, **options):
        key = regency.strip().lower()
        found = Regency.objects.exclude(schema_name="public").filter(
            Q(schema_name=key.replace("-", "_")) | Q(code=key) | Q(domains__domain__startswith=f"{key}.")
        ).distinct().first()
        if found is None:
            raise CommandError(f"Daerah '{regency}' tidak ditemukan.")
        try:
            manifest = regency_backup(regency=found, path=file)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(manifest.row_counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"{found.name}: {len(manifest.row_counts)} tabel, {rows} baris, {len(manifest.files)} berkas -> {file}"
        ))
