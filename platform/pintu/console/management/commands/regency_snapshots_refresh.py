"""python manage.py regency_snapshots_refresh [--wait]: refresh the console's per-regency figures."""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from pintu.console.services import regency_snapshot_take
from pintu.console.tasks import regency_snapshots_refresh
from tenants.selectors import regency_list


class Command(BaseCommand):
    help = "Memperbarui ringkasan setiap daerah (petugas, jenis izin, permohonan, penyimpanan) untuk konsol kementerian."

    def add_arguments(self, parser):
        parser.add_argument("--here", action="store_true",
                            help="Hitung langsung di proses ini, tanpa antrean Celery")

    def handle(self, *args, here, **options):
        if not here:
            regency_snapshots_refresh.delay()
            self.stdout.write("Pembaruan ringkasan daerah diantrekan.")
            return
        count = 0
        for regency in regency_list():
            with schema_context(regency.schema_name):
                regency_snapshot_take()
            count += 1
        self.stdout.write(f"Ringkasan {count} daerah diperbarui.")
