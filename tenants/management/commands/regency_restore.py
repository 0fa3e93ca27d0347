"""python manage.py regency_restore <file.tar.gz> [--subdomain new] [--copy]"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pintu.errors import DomainError
from tenants.backup import regency_restore


class Command(BaseCommand):
    help = ("Memulihkan SATU daerah dari arsip regency_backup ke basis data ini (baru atau yang sama), "
            "dengan subdomain yang sama atau baru.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Arsip dari regency_backup")
        parser.add_argument("--subdomain", help="Subdomain baru (skema ikut berganti nama); bawaan: seperti di arsip")
        parser.add_argument("--copy", action="store_true",
                            help="Pulihkan sebagai salinan tanpa kode wilayah (bila daerah aslinya masih ada di sini)")

    def handle(self, *args, file, subdomain, copy, **options):
        try:
            result = regency_restore(path=file, subdomain=subdomain, copy=copy)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        domain = result.regency.domains.get(is_primary=True).domain
        self.stdout.write(self.style.SUCCESS(
            f"{result.regency.name} dipulihkan di {domain} (skema {result.regency.schema_name}): "
            f"{sum(result.row_counts.values())} baris, {sum(result.public_rows.values())} baris publik, "
            f"{result.files} berkas, "
            f"{result.users_created} akun dibuat, {result.users_remapped} akun dipetakan ulang."
        ))
