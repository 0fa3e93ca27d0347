"""Seed the five regencies of the articles with demo officers (idempotent)."""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from pintu.access.models import Role
from pintu.access.services import membership_grant
from pintu.identity.models import MinistryRole, User
from pintu.identity.services import ministry_role_grant, user_ensure
from tenants.services import public_tenant_ensure, regency_provision

DEMO_PASSWORD = "pintu-demo"
DEMO_MAIL_DOMAIN = "demo.pintu.id"
# (code, subdomain): the five regencies of the source articles.
DEMO_REGENCIES = [("3503", "trenggalek"), ("3572", "kota-blitar"), ("3672", "kota-cilegon"),
                  ("5271", "kota-mataram"), ("3317", "rembang")]
# (role, agency, mailbox prefix, display name)
DEMO_OFFICERS = [
    (Role.REGENCY_ADMIN, "", "admin", "Administrator"),
    (Role.FRONT_OFFICE, "", "loket", "Petugas Loket"),
    (Role.VERIFIER, "", "verifikator", "Verifikator"),
    (Role.TECHNICAL_TEAM, "Dinas Kesehatan", "teknis", "Tim Teknis Dinas Kesehatan"),
    (Role.SURVEYOR, "", "survei", "Petugas Survei"),
    (Role.SIGNING_OFFICIAL, "", "kepala", "Kepala DPMPTSP"),
    (Role.HEAD, "", "kepala", "Kepala DPMPTSP"),
    (Role.AUDITOR, "", "auditor", "Auditor"),
]


def demo_email(prefix: str, subdomain: str | None = None) -> str:
    return f"{prefix}.{subdomain}@{DEMO_MAIL_DOMAIN}" if subdomain else f"{prefix}@{DEMO_MAIL_DOMAIN}"


class Command(BaseCommand):
    help = "Mengisi data demo: lima daerah dari artikel, petugas untuk setiap peran, akun kementerian dan pemohon."

    def handle(self, *args, **options):
        public_tenant_ensure()
        ministry, _ = user_ensure(email=demo_email("kementerian"), full_name="Admin Kementerian", password=DEMO_PASSWORD)
        ministry_role_grant(user=ministry, role=MinistryRole.Role.ADMINISTRATOR)
        inspector, _ = user_ensure(email=demo_email("inspektur"), full_name="Inspektur Kementerian", password=DEMO_PASSWORD)
        ministry_role_grant(user=inspector, role=MinistryRole.Role.INSPECTOR)
        user_ensure(email=demo_email("pemohon"), full_name="Sari Pemohon", password=DEMO_PASSWORD)
        # National catalog templates and holiday calendar; each regency adopts the templates below.
        from django.core.management import call_command

        call_command("seed_national_templates", stdout=self.stdout)

        for code, subdomain in DEMO_REGENCIES:
            result = regency_provision(code=code, subdomain=subdomain, admin_email=demo_email("admin", subdomain),
                                       admin_password=DEMO_PASSWORD)
            with schema_context(result.regency.schema_name):
                for role, agency, prefix, name in DEMO_OFFICERS:
                    user, _ = user_ensure(email=demo_email(prefix, subdomain),
                                          full_name=f"{name} {result.regency.name}", password=DEMO_PASSWORD)
                    membership_grant(user=user, role=role, agency=agency)
            from permits.services.demo import demo_catalog_seed

            demo_catalog_seed(result.regency)
            with schema_context(result.regency.schema_name):
                # The demo's technical-team officer reviews for every agency the adopted SOPs name.
                from permits.models import SopStep

                reviewer = User.objects.get(email=demo_email("teknis", subdomain))
                for agency in set(SopStep.objects.filter(role=Role.TECHNICAL_TEAM).values_list("agency", flat=True)):
                    membership_grant(user=reviewer, role=Role.TECHNICAL_TEAM, agency=agency)
            state = "baru" if result.created else "sudah ada"
            self.stdout.write(f"  {result.regency.name:<22} {subdomain}  ({state}, {result.seconds:.2f} s)")
        # Dashboards (issue #6): Mataram's head sets a daily online target; one rollup so figures show at once
        # (beat keeps them current afterwards).
        from pintu.dashboards.services import regency_rollup, regency_target_set
        from tenants.models import Regency

        for regency in Regency.objects.filter(code__in=[code for code, _ in DEMO_REGENCIES]):
            with schema_context(regency.schema_name):
                if regency.code == "5271" and not hasattr(regency, "service_target"):
                    head = User.objects.get(email=demo_email("kepala", "kota-mataram"))
                    regency_target_set(actor=head, regency=regency, online_daily_target=10)
                regency_rollup()
        self.stdout.write("  Rekap harian dasbor diperbarui.")
