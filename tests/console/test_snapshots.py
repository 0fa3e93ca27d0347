"""Each regency's figures are counted in its own schema, fanned out per regency, and kept in public."""
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from permits.models import Application, ApplicationDocument, PermitType, Requirement
from pintu.access.models import Role
from pintu.console.models import RegencySnapshot
from pintu.console.tasks import regency_snapshots_refresh


def _seed_trenggalek(officer, trenggalek):
    verifier = officer(trenggalek, Role.VERIFIER)
    from pintu.access.services import membership_grant
    with schema_context("trenggalek"):
        membership_grant(user=verifier, role=Role.FRONT_OFFICE)  # two roles, one person
        permit = PermitType.objects.create(code="uji-sip", name="Izin uji", sla_working_days=5)
        PermitType.objects.create(code="uji-reklame", name="Izin reklame uji", sla_working_days=5)
        requirement = Requirement.objects.create(permit_type=permit, name="KTP", allowed_types=["pdf"])
        for status in ("submitted", "issued", "draft"):
            application = Application.objects.create(tracking_code=f"T{status[:4]}", permit_type=permit,
                                                     applicant_name="Sari", status=status)
            ApplicationDocument.objects.create(application=application, requirement=requirement, key=f"k/{status}",
                                               sha256="0" * 64, size=1_500_000, content_type="application/pdf")
    officer(trenggalek, Role.TECHNICAL_TEAM, agency="Dinas Kesehatan")


def test_refresh_counts_each_regency_in_its_own_schema(eager_celery, trenggalek, blitar, officer):
    _seed_trenggalek(officer, trenggalek)
    officer(blitar, Role.VERIFIER)
    assert regency_snapshots_refresh.apply().get() == 2
    assert connection.schema_name == "public"
    t = RegencySnapshot.objects.get(regency=trenggalek)
    b = RegencySnapshot.objects.get(regency=blitar)
    # Trenggalek: its administrator, one verifier holding two roles, one technical officer.
    assert (t.officers, t.permit_types, t.applications, t.stored_bytes) == (3, 2, 2, 4_500_000)
    # Kota Blitar's schema holds none of Trenggalek's rows.
    assert (b.officers, b.permit_types, b.applications, b.stored_bytes) == (2, 0, 0, 0)


def test_refreshing_again_updates_the_same_row(eager_celery, trenggalek, officer):
    regency_snapshots_refresh.apply()
    first = RegencySnapshot.objects.get(regency=trenggalek)
    officer(trenggalek, Role.HEAD)
    regency_snapshots_refresh.apply()
    again = RegencySnapshot.objects.get(regency=trenggalek)
    assert again.pk == first.pk and again.officers == first.officers + 1 and again.taken_at > first.taken_at


def test_the_command_refreshes_in_process(trenggalek, blitar, capsys):
    RegencySnapshot.objects.all().delete()
    call_command("regency_snapshots_refresh", "--here")
    assert "Ringkasan 2 daerah diperbarui." in capsys.readouterr().out
    assert RegencySnapshot.objects.filter(regency__in=[trenggalek, blitar]).count() == 2


def test_the_console_shows_the_refreshed_figures(eager_celery, ministry_admin, apex, trenggalek, officer):
    _seed_trenggalek(officer, trenggalek)
    response = apex(ministry_admin).post("/kementerian/daerah/perbarui-angka/")
    assert response.status_code == 302
    html = apex(ministry_admin).get("/kementerian/daerah/3503/").content.decode()
    assert "Petugas: 3 · Jenis izin: 2 · Permohonan: 2 · Penyimpanan: 4,3\xa0MB" in html
