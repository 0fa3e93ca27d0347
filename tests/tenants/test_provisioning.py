import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from pintu.access.models import Membership, Role
from tenants.errors import RegencyCodeUnknown, SubdomainInvalid, SubdomainTaken
from tenants.models import Regency
from tenants.regions import WIB, WIT, WITA, official_regencies, official_regency
from tenants.services import regency_provision


def test_official_list_has_all_514_regencies_and_cities():
    regencies = official_regencies()
    assert len(regencies) == 514
    assert sum(r.is_city for r in regencies.values()) == 98
    assert regencies["3503"].name == "Kab. Trenggalek"
    assert regencies["3572"].name == "Kota Blitar" and regencies["3505"].name == "Kab. Blitar"


@pytest.mark.parametrize("code, zone", [("3503", WIB), ("5271", WITA), ("6171", WIB), ("6471", WITA), ("9171", WIT), ("8171", WIT)])
def test_time_zone_follows_the_province(code, zone):
    assert official_regency(code).time_zone == zone


def test_default_subdomain_tells_kota_from_kabupaten():
    assert official_regency("3503").default_subdomain == "trenggalek"
    assert official_regency("3572").default_subdomain == "kota-blitar"
    assert official_regency("3505").default_subdomain == "blitar"


def test_provision_clones_the_template_schema_with_domain_and_admin(db):
    result = regency_provision(code="5271", welcome=False)
    regency = result.regency
    assert result.created
    assert regency.schema_name == "kota_mataram"
    assert regency.time_zone == WITA and regency.kind == Regency.Kind.KOTA
    assert regency.domains.get().domain == "kota-mataram.localhost"
    assert schema_exists("kota_mataram")
    with schema_context("kota_mataram"):
        admin = Membership.objects.get(role=Role.REGENCY_ADMIN)
        assert admin.user_id == result.admin.pk
        # the cloned schema carries the template's migration history, nothing pending
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM kota_mataram.django_migrations")
            cloned = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM regency_template.django_migrations")
            assert cloned == cursor.fetchone()[0] > 0
    # No password is made up and shown once (issue #15): the administrator is invited by e-mail.
    assert result.admin_password is None and not result.admin.has_usable_password()


def test_provisioning_twice_changes_nothing_and_says_so(db, capsys):
    call_command("provision_regency", "3317", "--no-welcome")
    first = capsys.readouterr().out
    assert "siap di rembang.localhost" in first
    before = Regency.objects.count()
    call_command("provision_regency", "3317", "--no-welcome")
    second = capsys.readouterr().out
    assert "sudah ada" in second and "tidak ada yang diubah" in second
    assert Regency.objects.count() == before


def test_unknown_code_lists_near_matches(db):
    with pytest.raises(RegencyCodeUnknown) as exc:
        regency_provision(code="3599", welcome=False)
    assert "tidak dikenal" in exc.value.message
    assert "3509" in exc.value.detail["suggestions"] or exc.value.detail["suggestions"]


def test_misspelt_name_suggests_the_regency(db):
    with pytest.raises(CommandError) as exc:
        call_command("provision_regency", "Trengalek")
    assert "3503 Kab. Trenggalek" in str(exc.value)


def test_bad_and_taken_subdomains_are_refused(db):
    with pytest.raises(SubdomainInvalid):
        regency_provision(code="3317", subdomain="Rem bang!", welcome=False)
    with pytest.raises(SubdomainInvalid):
        regency_provision(code="3317", subdomain="www", welcome=False)
    with pytest.raises(SubdomainTaken):
        regency_provision(code="3317", subdomain="trenggalek", welcome=False)
    assert not Regency.objects.filter(code="3317").exists()


def test_province_option_shows_progress_and_counts(db, capsys):
    call_command("provision_regency", "--province", "75", "--no-welcome")  # Gorontalo: 6 regencies
    captured = capsys.readouterr()
    assert "6 daerah baru" in captured.out
    assert Regency.objects.filter(province_code="75").count() == 6


def test_welcome_email_is_queued_from_the_new_regencys_schema(db, monkeypatch, django_capture_on_commit_callbacks):
    """tenant-schemas-celery sends the schema in use when the task is queued; it must be the new regency's
    (the task itself is proven through a real worker in test_tasks.py)."""
    from tenants.tasks import regency_admin_welcome

    queued = []
    monkeypatch.setattr(regency_admin_welcome, "apply_async",
                        lambda args, **kw: queued.append((connection.schema_name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        result = regency_provision(code="3317", admin_email="kepala@rembangkab.go.id")
    assert queued == [("rembang", (result.admin.pk,))]
