"""Local holidays beside the national calendar; configuration export and import (dry run, then confirm)."""
import datetime as dt

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.models import LocalHoliday, PermitType, Requirement
from permits.services.catalog import permit_type_create, requirement_create
from permits.services.config_io import config_export_yaml
from pintu.access.models import Role


@pytest.fixture
def admin_client(client_for, trenggalek, officer):
    return client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN))


def test_local_holidays_add_edit_delete_with_national_ones_read_only(admin_client, national_2026,
                                                                     django_assert_max_num_queries):
    response = admin_client.post("/pengaturan/hari-libur/?tahun=2026", {"date": "2026-03-31",
                                                                          "name": "Hari Jadi Trenggalek"})
    assert response.status_code == 302
    with django_assert_max_num_queries(10):
        page = admin_client.get("/pengaturan/hari-libur/?tahun=2026").content.decode()
    assert "Hari Jadi Trenggalek" in page
    assert "Cuti bersama" in page and "Tahun Baru" in page  # the nation's, shown beside
    assert "Hari libur tahun 2026" in page
    with schema_context("trenggalek"):
        holiday = LocalHoliday.objects.get()
    duplicate = admin_client.post("/pengaturan/hari-libur/", {"date": "2026-03-31", "name": "Lagi"}).content.decode()
    assert "sudah ada" in duplicate or "tanggal" in duplicate.lower()
    missing = admin_client.post("/pengaturan/hari-libur/", {"date": "", "name": ""}).content.decode()
    assert "tidak boleh kosong" in missing  # Django's Indonesian 'required' message from the model check
    assert admin_client.post(f"/pengaturan/hari-libur/{holiday.pk}/", {"date": "2026-04-01",
                                                                      "name": "Hari Jadi Kab. Trenggalek"}).status_code == 302
    with schema_context("trenggalek"):
        assert list(LocalHoliday.objects.values_list("date", "name")) == [(dt.date(2026, 4, 1),
                                                                           "Hari Jadi Kab. Trenggalek")]
    admin_client.post(f"/pengaturan/hari-libur/{holiday.pk}/hapus/")
    with schema_context("trenggalek"):
        assert not LocalHoliday.objects.exists()


def test_export_downloads_readable_yaml(admin_client):
    with schema_context("trenggalek"):
        pt = permit_type_create(code="reklame", name="Izin Reklame", sla_working_days=5)
        requirement_create(permit_type=pt, name="Desain reklame", allowed_types=["pdf"])
    response = admin_client.get("/pengaturan/ekspor/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = yaml.safe_load(response.content.decode())
    assert data["format"] == "pintu-config"
    assert data["permit_types"][0]["permit_type"]["name"] == "Izin Reklame"


def test_import_shows_dry_run_changes_then_applies_on_confirm(admin_client, blitar):
    with schema_context(blitar.schema_name):
        pt = permit_type_create(code="penelitian", name="Izin Penelitian", sla_working_days=3)
        requirement_create(permit_type=pt, name="Proposal penelitian", allowed_types=["pdf"])
        exported = config_export_yaml()
    upload = SimpleUploadedFile("blitar.yaml", exported.encode(), content_type="application/x-yaml")
    dry = admin_client.post("/pengaturan/impor/", {"file": upload})
    text = dry.content.decode()
    assert "Hasil uji coba impor" in text and "+ jenis izin penelitian (Izin Penelitian)" in text
    assert "Proposal penelitian" in text
    with schema_context("trenggalek"):
        assert not PermitType.objects.exists()  # the dry run stored nothing
    applied = admin_client.post("/pengaturan/impor/", {"content": exported}, follow=True).content.decode()
    assert "Konfigurasi diimpor" in applied
    with schema_context("trenggalek"):
        assert Requirement.objects.get().name == "Proposal penelitian"
        assert PermitType.objects.get().code == "penelitian"


def test_bad_import_file_names_the_problem_and_changes_nothing(admin_client):
    not_yaml = SimpleUploadedFile("x.yaml", b"format: [tidak ditutup", content_type="application/x-yaml")
    text = admin_client.post("/pengaturan/impor/", {"file": not_yaml}).content.decode()
    assert "Berkas tidak dapat dibaca sebagai YAML" in text
    bad = {"format": "pintu-config", "version": 1, "permit_types": [
        {"permit_type": {"code": "ok", "name": "Izin Baik", "sla_working_days": 3}},
        {"permit_type": {"code": "buruk", "name": "Izin Buruk", "sla_working_days": 3, "number_format": "{x}"}}]}
    upload = SimpleUploadedFile("x.yaml", yaml.safe_dump(bad).encode(), content_type="application/x-yaml")
    text = admin_client.post("/pengaturan/impor/", {"file": upload}).content.decode()
    assert "permit_types[1] (buruk)" in text and "tidak dikenal" in text
    forged = admin_client.post("/pengaturan/impor/", {"content": yaml.safe_dump(bad)}, follow=True).content.decode()
    assert "permit_types[1] (buruk)" in forged  # a confirm with a bad file is refused as well
    with schema_context("trenggalek"):
        assert not PermitType.objects.exists()


def test_import_and_holidays_refused_to_front_office_and_auditor_cannot_import(client_for, trenggalek, officer):
    front = client_for(trenggalek, officer(trenggalek, Role.FRONT_OFFICE))
    assert front.get("/pengaturan/hari-libur/").status_code == 403
    assert front.get("/pengaturan/ekspor/").status_code == 403
    auditor = client_for(trenggalek, officer(trenggalek, Role.AUDITOR))
    assert auditor.get("/pengaturan/ekspor/").status_code == 200
    assert auditor.post("/pengaturan/hari-libur/", {"date": "2026-03-31", "name": "X"}).status_code == 403
    with schema_context("trenggalek"):
        assert not LocalHoliday.objects.exists()
