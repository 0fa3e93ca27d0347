"""Export a regency's configuration and import it elsewhere: identical, atomic, with a dry run."""
import copy
import datetime as dt

import pytest
import yaml
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from permits.errors import ConfigImportInvalid
from permits.models import Delegation, PermitType, Position, Sop
from permits.services.config_io import config_export, config_export_yaml, config_import
from permits.services.delegation import acting_official_create
from permits.services.demo import demo_catalog_seed
from permits.services.workflow import sop_step_remove
from pintu.audit.models import AuditEntry
from tests.factories import UserFactory


def _config(data):
    data = copy.deepcopy(data)
    data.pop("exported_from"), data.pop("exported_at")
    return data


@pytest.fixture
def configured_trenggalek(trenggalek):
    call_command("seed_national_templates", "--no-holidays")
    demo_catalog_seed(trenggalek)
    with schema_context(trenggalek.schema_name):
        kepala = Position.objects.get(code="kepala-dpmptsp")
        if kepala.holder is None:
            kepala.holder = UserFactory(full_name="Kepala")
            kepala.save()
        acting_official_create(position=kepala, user=UserFactory(email="plh@contoh.id"), kind="plh",
                               valid_from=dt.date(2026, 5, 4), valid_until=dt.date(2026, 5, 8))
        # a pending draft too: v2 of the billboard SOP without its survey step
        sop_step_remove(sop=Sop.objects.get(permit_type__code="reklame", status="published"), order=5)
    return trenggalek


@pytest.fixture
def holders_in_mataram(configured_trenggalek, mataram):
    """The officials the export names are officers of Mataram too: an import resolves a holder or an
    acting official only among the importing regency's own active officers (security item 3)."""
    from pintu.access.services import membership_grant

    with schema_context(configured_trenggalek.schema_name):
        from permits.models import ActingOfficial

        people = [p.holder for p in Position.objects.exclude(holder=None)]
        people += [a.user for a in ActingOfficial.objects.all()]
    with schema_context(mataram.schema_name):
        for person in people:
            membership_grant(user=person, role="signing_official")
    return mataram


def test_round_trip_into_a_fresh_regency_gives_an_identical_configuration(configured_trenggalek, holders_in_mataram,
                                                                          tmp_path):
    path = tmp_path / "trenggalek.yaml"
    call_command("config_export", "trenggalek", str(path))
    exported = yaml.safe_load(path.read_text())
    assert len(exported["permit_types"]) == 7 and "sop_draft" in next(
        e for e in exported["permit_types"] if e["permit_type"]["code"] == "reklame")

    call_command("config_import", "kota_mataram", str(path))
    with schema_context("kota_mataram"):
        assert _config(config_export()) == _config(exported)
        assert PermitType.objects.get(code="reklame").is_online is False
    # importing again changes nothing
    with schema_context("kota_mataram"):
        assert config_import(source=path.read_text()).changes == []


def test_dry_run_lists_changes_and_stores_nothing(configured_trenggalek, holders_in_mataram, capsys):
    with schema_context("trenggalek"):
        text = config_export_yaml()
    with schema_context("kota_mataram"):
        audit_before = AuditEntry.objects.count()
        report = config_import(source=text, dry_run=True)
        assert "+ jenis izin pbg (Persetujuan Bangunan Gedung (PBG))" in report.changes
        assert any(line.startswith("+ pelimpahan bupati -> kepala-dpmptsp") for line in report.changes)
        assert not PermitType.objects.exists() and not Position.objects.exists()
        assert AuditEntry.objects.count() == audit_before


def test_a_bad_entry_changes_nothing_and_is_named(configured_trenggalek, holders_in_mataram, tmp_path):
    with schema_context("trenggalek"):
        data = config_export()
    pbg = next(i for i, e in enumerate(data["permit_types"]) if e["permit_type"]["code"] == "pbg")
    data["permit_types"][pbg]["requirements"][3]["allowed_types"] = ["exe"]
    with schema_context("kota_mataram"):
        with pytest.raises(ConfigImportInvalid) as exc:
            config_import(source=data)
        assert exc.value.message.startswith(f"permit_types[{pbg}] (pbg).requirements[3] (Gambar arsitektur):")
        assert "PDF, JPG atau PNG" in exc.value.message
        # the entries before the bad one were rolled back too
        assert not PermitType.objects.exists() and not Position.objects.exists()
        assert not Delegation.objects.exists()
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(CommandError) as cmd:
        call_command("config_import", "kota_mataram", str(path))
    assert "tidak ada yang diubah" in str(cmd.value)


def test_unreadable_or_foreign_files_are_refused(mataram):
    with schema_context("kota_mataram"):
        with pytest.raises(ConfigImportInvalid) as exc:
            config_import(source="format: pintu-config\nversion: 1\npermit_types: [\n")
        assert "YAML" in exc.value.message
        with pytest.raises(ConfigImportInvalid):
            config_import(source="hello: world")
        data = {"format": "pintu-config", "version": 1, "positions": [
            {"code": "bupati", "name": "Bupati", "kind": "regional_head", "holder": "tidak.ada@contoh.id"}]}
        with pytest.raises(ConfigImportInvalid) as exc:
            config_import(source=data)
        assert "positions[0] (bupati).holder: 'tidak.ada@contoh.id' bukan petugas aktif di daerah ini" in exc.value.message
