"""python manage.py provision_regency 3503 [--subdomain trenggalek] | --province 35 | --all"""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from pintu.errors import DomainError
from tenants.regions import official_regencies
from tenants.services import regency_provision


class Command(BaseCommand):
    PROGRESS_EVERY = 10
    help = "Menyiapkan daerah (kabupaten/kota) di platform: skema, subdomain, dan administrator pertama."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Kode wilayah, mis. 3503 (Kab. Trenggalek)")
        parser.add_argument("--subdomain", help="Subdomain (hanya untuk satu kode); bawaan: dari nama daerah")
        parser.add_argument("--admin-email", help="Email administrator pertama (hanya untuk satu kode)")
        parser.add_argument("--province", help="Semua kabupaten/kota di provinsi ini, mis. 35")
        parser.add_argument("--all", action="store_true", help="Ke-514 kabupaten/kota")
        parser.add_argument("--no-welcome", action="store_true", help="Jangan kirim email sambutan")

    def handle(self, *args, codes, subdomain, admin_email, province, all, no_welcome, **options):
        if all:
            codes = list(official_regencies())
        elif province:
            codes = [c for c, r in official_regencies().items() if r.province_code == province]
            if not codes:
                raise CommandError(f"Provinsi '{province}' tidak dikenal.")
        if not codes:
            raise CommandError("Sebutkan kode wilayah, --province, atau --all.")
        if len(codes) > 1 and (subdomain or admin_email):
            raise CommandError("--subdomain dan --admin-email hanya untuk satu kode wilayah.")

        if len(codes) == 1:
            self._one(codes[0], subdomain, admin_email, not no_welcome)
            return
        created = existing = failed = 0
        # On a terminal a progress bar; into a file or a Kubernetes log (no tty) one line every
        # PROGRESS_EVERY regencies and at the end, so the log shows how far it got.
        is_tty = hasattr(self.stderr._out, "isatty") and self.stderr._out.isatty()
        bar = tqdm(codes, desc="Menyiapkan daerah", unit="daerah", file=self.stderr._out, disable=not is_tty)
        started = time.perf_counter()
        for i, code in enumerate(bar, start=1):
            try:
                result = regency_provision(code=code, welcome=not no_welcome)
            except DomainError as exc:
                failed += 1
                bar.write(f"{code}: {exc.message}")
            else:
                created += result.created
                existing += not result.created
                bar.set_postfix_str(result.regency.name)
            if not is_tty and (i % self.PROGRESS_EVERY == 0 or i == len(codes)):
                self.stdout.write(f"Menyiapkan daerah: {i}/{len(codes)} ({created} baru, {existing} sudah ada, "
                                  f"{failed} gagal) {time.perf_counter() - started:.1f} detik")
                self.stdout.flush()
        self.stdout.write(self.style.SUCCESS(
            f"Selesai: {created} daerah baru, {existing} sudah ada (tidak diubah), {failed} gagal."
        ))

    def _one(self, code, subdomain, admin_email, welcome):
        try:
            result = regency_provision(code=code, subdomain=subdomain, admin_email=admin_email, welcome=welcome)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        regency, domain = result.regency, result.regency.domains.first()
        if not result.created:
            self.stdout.write(f"{regency.name} ({regency.code}) sudah ada di {domain.domain}; tidak ada yang diubah.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"{regency.name} ({regency.code}) siap di {domain.domain} "
            f"[skema {regency.schema_name}, {regency.time_zone_label}] dalam {result.seconds:.2f} detik."
        ))
        admin_line = f"Administrator: {result.admin.email} (undangan untuk menetapkan kata sandi dikirim lewat email)"
        if result.admin_password:
            admin_line += f"  kata sandi awal: {result.admin_password}  (simpan sekarang; tidak ditampilkan lagi)"
        self.stdout.write(admin_line)
