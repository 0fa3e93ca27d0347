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
from pintu.identity.models import User
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

    # the people the file names are officers of Mataram too (an import names no one else); local
    # holidays stay in Trenggalek
    from pintu.access.services import membership_grant

    people = [p["holder"] for p in exported["positions"] if p["holder"]] + [
        a["user"] for a in exported["acting_officials"]]
    with schema_context("kota_mataram"):
        for email in people:
            membership_grant(user=User.objects.get(email=email), role="signing_official")
    call_command("config_import", "kota_mataram", str(path))
    with schema_context("kota_mataram"):
        assert exported["local_holidays"] and config_export()["local_holidays"] == []
        assert _config(config_export()) == dict(_config(exported), local_holidays=[])
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
        # an unknown e-mail gets the same answer as another regency's official: the holder is left empty
        report = config_import(source=data, dry_run=True)
        assert report.notes == ["! jabatan bupati: pemegang dibiarkan kosong ('tidak.ada@contoh.id' bukan petugas "
                                "aktif di daerah ini; pemegangnya ditetapkan oleh administrator daerah ini)"]


def _trenggalek_head(configured_trenggalek, officer):
    """Trenggalek's own signing official holds kepala-dpmptsp there (as in the demo)."""
    head = officer(configured_trenggalek, "signing_official", email="kepala.trenggalek@contoh.id")
    with schema_context("trenggalek"):
        Position.objects.filter(code="kepala-dpmptsp").update(holder=head)
        return head, config_export_yaml()


def test_an_import_from_another_regency_never_makes_its_head_sign_here(configured_trenggalek, mataram, officer,
                                                                       client_for):
    """Issue #14.9: Trenggalek's YAML into a regency with its own head: the head stays, no foreign holiday."""
    from permits.models import ActingOfficial, LocalHoliday

    trenggalek_head, text = _trenggalek_head(configured_trenggalek, officer)
    own_head = officer(mataram, "signing_official", email="kepala.mataram@contoh.id")
    admin = officer(mataram, "regency_admin")
    with schema_context("kota_mataram"):  # as the demo has it: its own Walikota and office head
        Position.objects.create(code="walikota", name="Walikota Mataram", kind="regional_head")
        Position.objects.create(code="kepala-dpmptsp", name="Kepala DPMPTSP", kind="office_head", holder=own_head)
        assert Position.objects.get(code="kepala-dpmptsp").holder == own_head
        preview = config_import(source=text, dry_run=True)
        # the preview says exactly what happens to the holder, and that the holiday stays behind
        assert not any("holder" in line or "pemegang" in line for line in preview.changes)
        assert ("! jabatan kepala-dpmptsp: pemegang tetap kepala.mataram@contoh.id ('kepala.trenggalek@contoh.id'"
                " bukan petugas aktif di daerah ini; pemegangnya ditetapkan oleh administrator daerah ini)"
                ) in preview.notes
        assert any("hari libur daerah dari Kab. Trenggalek tidak diimpor" in n for n in preview.notes)
        assert not any("hari libur" in line for line in preview.changes)
        assert any(n.startswith("! PLH kepala-dpmptsp: 'plh@contoh.id' bukan petugas aktif") for n in preview.notes)

        report = config_import(source=text)
        assert report.changes == preview.changes
        assert Position.objects.get(code="kepala-dpmptsp").holder == own_head
        assert not LocalHoliday.objects.filter(name__icontains="Trenggalek").exists()
        assert not ActingOfficial.objects.exists()
        # a re-import of the same file changes nothing and says so
        again = config_import(source=text)
        assert again.changes == [] and again.notes == report.notes

    answer = client_for(mataram, admin).get("/api/v1/authority/", {"permit_type": "reklame"}).json()
    assert trenggalek_head.email not in str(answer)


def test_an_import_into_a_regency_without_the_position_leaves_its_holder_empty(configured_trenggalek, mataram,
                                                                              officer, client_for):
    trenggalek_head, text = _trenggalek_head(configured_trenggalek, officer)
    admin = officer(mataram, "regency_admin")
    with schema_context("kota_mataram"):
        report = config_import(source=text)
        assert "+ jabatan kepala-dpmptsp (Kepala DPMPTSP)" in report.changes
        assert Position.objects.get(code="kepala-dpmptsp").holder is None
        assert any(n.startswith("! jabatan kepala-dpmptsp: pemegang dibiarkan kosong") for n in report.notes)
    answer = client_for(mataram, admin).get("/api/v1/authority/", {"permit_type": "reklame"}).json()
    assert trenggalek_head.email not in str(answer) and not answer.get("can_sign")


def test_the_dry_run_names_the_holder_before_and_after(configured_trenggalek, officer):
    """A holder change inside one regency (its own file) is shown with both accounts, not 'holder diubah'."""
    old, _ = _trenggalek_head(configured_trenggalek, officer)
    new = officer(configured_trenggalek, "signing_official", email="kepala.baru@contoh.id")
    with schema_context("trenggalek"):
        data = config_export()
        next(p for p in data["positions"] if p["code"] == "kepala-dpmptsp")["holder"] = new.email
        report = config_import(source=data, dry_run=True)
        assert (f"~ jabatan kepala-dpmptsp: pemegang {old.email} -> {new.email}") in report.changes
        # the regency's own file brings its own local holidays back
        assert not any("hari libur" in n for n in report.notes)
