"""Administrators' catalog pages (/pengaturan/): dashboard, permit types, requirements, form fields, preview,
national templates; who may see and change them."""
import pytest
from django_tenants.utils import schema_context

from permits.models import FormField, PermitType, Requirement
from permits.services.catalog import form_field_create, permit_type_create, requirement_create
from permits.services.workflow import sop_publish, sop_revise, sop_steps_set
from pintu.access.models import Role
from pintu.audit.models import AuditEntry
from tests.factories import sip_steps

VALID_TYPE = {
    "code": "reklame-kecil", "name": "Izin Reklame Kecil", "description": "Papan reklame sampai 2 m².",
    "legal_basis": "Perbup 5/2024", "is_active": "on", "is_online": "on", "sla_working_days": "5",
    "validity_months": "12", "is_renewable": "on", "levy_amount": "0",
    "number_format": "503/{seq:04d}/RKL/DPMPTSP/{year}", "letter_title": "IZIN REKLAME",
    "letter_body": "Diberikan kepada {applicant_name} untuk reklame di {form.lokasi}.",
}


@pytest.fixture
def admin(trenggalek, officer):
    return officer(trenggalek, Role.REGENCY_ADMIN, full_name="Bu Sri Admin")


@pytest.fixture
def admin_client(client_for, trenggalek, admin):
    return client_for(trenggalek, admin)


def count_types():
    with schema_context("trenggalek"):
        return PermitType.objects.count()


def test_dashboard_lists_types_with_status_and_sop_in_force(admin_client, trenggalek,
                                                            django_assert_max_num_queries):
    with schema_context("trenggalek"):
        online = permit_type_create(code="sip-bidan", name="SIP Bidan", sla_working_days=5)
        sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=online), steps=sip_steps()))
        permit_type_create(code="imb-lama", name="IMB Lama", sla_working_days=5, is_active=False)
        for i in range(6):  # more types must not mean more queries
            counter = permit_type_create(code=f"loket-{i}", name=f"Izin Loket {i}", sla_working_days=3, is_online=False)
            requirement_create(permit_type=counter, name="KTP", allowed_types=["pdf"])
    admin_client.get("/pengaturan/")
    with django_assert_max_num_queries(14):
        response = admin_client.get("/pengaturan/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "SIP Bidan" in text and "SOP berlaku v1" in text
    assert "Tidak aktif" in text and "Hanya di loket" in text and "Daring dan loket" in text
    assert text.count("belum ada SOP") == 7
    assert 'href="/pengaturan/"' in text  # the nav link for administrators


def test_front_office_officer_and_another_regencys_admin_are_refused(client_for, trenggalek, blitar, officer):
    front = officer(trenggalek, Role.FRONT_OFFICE)
    other_admin = officer(blitar, Role.REGENCY_ADMIN)
    for user in (front, other_admin):
        client = client_for(trenggalek, user)
        assert client.get("/pengaturan/").status_code == 403
        assert client.get("/pengaturan/jenis-izin/baru/").status_code == 403
        assert client.post("/pengaturan/jenis-izin/baru/", VALID_TYPE).status_code == 403
    assert count_types() == 0
    front_page = client_for(trenggalek, front).get("/").content.decode()
    assert "/pengaturan/" not in front_page  # no "Pengaturan" link either
    assert client_for(trenggalek).get("/pengaturan/").status_code == 302  # visitors go to sign-in


def test_auditor_reads_but_cannot_change(client_for, trenggalek, officer):
    auditor = officer(trenggalek, Role.AUDITOR)
    with schema_context("trenggalek"):
        permit_type_create(code="sip-bidan", name="SIP Bidan", sla_working_days=5)
    client = client_for(trenggalek, auditor)
    page = client.get("/pengaturan/jenis-izin/sip-bidan/")
    assert page.status_code == 200
    assert "hanya administrator instansi yang dapat mengubahnya" in page.content.decode()
    assert "Simpan perubahan" not in page.content.decode()
    assert client.post("/pengaturan/jenis-izin/sip-bidan/hapus/").status_code == 403
    assert count_types() == 1


def test_create_permit_type_then_number_sample_is_shown(admin_client, admin):
    response = admin_client.post("/pengaturan/jenis-izin/baru/", VALID_TYPE)
    assert response.status_code == 302 and response["Location"] == "/pengaturan/jenis-izin/reklame-kecil/"
    with schema_context("trenggalek"):
        pt = PermitType.objects.get(code="reklame-kecil")
        assert (pt.name, pt.sla_working_days, pt.validity_months, pt.is_online) == ("Izin Reklame Kecil", 5, 12, True)
        assert AuditEntry.objects.filter(action="permit_type.create", actor_id=admin.pk).exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Izin Reklame Kecil tersimpan" in page
    assert "503/0001/RKL/DPMPTSP/20" in page  # the first number of this year, rendered by the server
    assert "{applicant_name}" in page and "nama pemohon" in page  # placeholders explained


def test_bad_permit_type_shows_indonesian_errors_next_to_fields_and_stores_nothing(admin_client):
    bad = dict(VALID_TYPE, number_format="503/{nomor}/X", levy_amount="150000", letter_body="Untuk {nama_pemohon}")
    response = admin_client.post("/pengaturan/jenis-izin/baru/", bad)
    text = response.content.decode()
    assert response.status_code == 200
    assert count_types() == 0
    assert "Format nomor memuat {nomor} yang tidak dikenal" in text
    assert "Retribusi hanya boleh dipungut berdasarkan peraturan daerah" in text
    assert "Isian {nama_pemohon} tidak dikenal" in text
    # each message sits in its field's block
    number_block = text.split('for="id_number_format"')[1].split('class="field')[0]
    assert "tidak dikenal" in number_block
    assert 'value="Izin Reklame Kecil"' in text  # what was typed stays


def test_number_preview_button_renders_sample_and_saves_nothing(admin_client):
    response = admin_client.post("/pengaturan/jenis-izin/baru/",
                                 dict(VALID_TYPE, number_format="{seq:03d}/{month_roman}/{code}/{year}", pratinjau="1"))
    text = response.content.decode()
    assert response.status_code == 200 and "Contoh nomor pertama tahun ini" in text
    assert "001/" in text and "/REKLAME-KECIL/" in text
    assert count_types() == 0
    missing_year = admin_client.post("/pengaturan/jenis-izin/baru/",
                                     dict(VALID_TYPE, number_format="{seq}/X", pratinjau="1")).content.decode()
    assert "Format nomor harus memuat tahun {year}" in missing_year


def test_edit_permit_type_and_code_taken_is_refused(admin_client):
    with schema_context("trenggalek"):
        permit_type_create(code="sip-bidan", name="SIP Bidan", sla_working_days=5)
        permit_type_create(code="reklame", name="Reklame", sla_working_days=5)
    response = admin_client.post("/pengaturan/jenis-izin/reklame/", dict(VALID_TYPE, code="sip-bidan"))
    assert "Kode jenis izin &#x27;sip-bidan&#x27; sudah dipakai" in response.content.decode()
    response = admin_client.post("/pengaturan/jenis-izin/reklame/", dict(VALID_TYPE, code="reklame", is_online=""))
    assert response.status_code == 302
    with schema_context("trenggalek"):
        assert PermitType.objects.get(code="reklame").is_online is False


def test_delete_refused_while_applications_exist(admin_client, applicant):
    from permits.models.applications import Application

    with schema_context("trenggalek"):
        used = permit_type_create(code="sip-bidan", name="SIP Bidan", sla_working_days=5)
        Application.objects.create(permit_type=used, applicant=applicant, applicant_name="Sari", tracking_code="X")
        permit_type_create(code="kosong", name="Izin Kosong", sla_working_days=5)
    response = admin_client.post("/pengaturan/jenis-izin/sip-bidan/hapus/", follow=True)
    assert "sudah dipakai oleh 1 permohonan sehingga tidak dapat dihapus" in response.content.decode()
    assert admin_client.post("/pengaturan/jenis-izin/kosong/hapus/").status_code == 302
    with schema_context("trenggalek"):
        assert list(PermitType.objects.values_list("code", flat=True)) == ["sip-bidan"]


def test_requirements_add_with_size_in_mb_edit_move_and_delete(admin_client, django_assert_max_num_queries):
    with schema_context("trenggalek"):
        permit_type_create(code="sip-bidan", name="SIP Bidan", sla_working_days=5)
    url = "/pengaturan/jenis-izin/sip-bidan/persyaratan/"
    assert admin_client.post(url, {"name": "KTP", "allowed_types": ["pdf", "jpg"], "max_size": "1,5",
                                   "max_size_unit": "MB", "is_mandatory": "on", "applies_to": "both"}).status_code == 302
    assert admin_client.post(url, {"name": "Surat sehat", "allowed_types": ["pdf"], "max_size": "500",
                                   "max_size_unit": "KB", "applies_to": "new",
                                   "is_obtainable_from_agency": "on"}).status_code == 302
    with schema_context("trenggalek"):
        ktp, health = Requirement.objects.order_by("order")
        assert (ktp.max_size_kb, ktp.allowed_types, ktp.is_mandatory) == (1536, ["pdf", "jpg"], True)
        assert (health.max_size_kb, health.is_mandatory, health.applies_to, health.is_obtainable_from_agency) == (
            500, False, "new", True)
    with django_assert_max_num_queries(10):
        page = admin_client.get(url).content.decode()
    assert "1,5 MB" in page and "500 KB" in page and "dapat diperoleh dari instansi lain" in page

    admin_client.post(f"{url}{health.pk}/geser/", {"arah": "up"})
    with schema_context("trenggalek"):
        assert list(Requirement.objects.order_by("order").values_list("name", flat=True)) == ["Surat sehat", "KTP"]
    edit = admin_client.get(f"{url}{ktp.pk}/").content.decode()
    assert 'value="1,5"' in edit
    assert admin_client.post(f"{url}{ktp.pk}/", {"name": "KTP elektronik", "allowed_types": ["png"], "max_size": "2",
                                                 "max_size_unit": "MB", "applies_to": "renewal"}).status_code == 302
    admin_client.post(f"{url}{health.pk}/hapus/")
    with schema_context("trenggalek"):
        [only] = Requirement.objects.all()
        assert (only.name, only.allowed_types, only.max_size_kb, only.applies_to) == ("KTP elektronik", ["png"], 2048,
                                                                                     "renewal")


def test_requirement_errors_are_indonesian_and_nothing_is_stored(admin_client):
    with schema_context("trenggalek"):
        permit_type_create(code="sip-bidan", name="SIP Bidan", sla_working_days=5)
    response = admin_client.post("/pengaturan/jenis-izin/sip-bidan/persyaratan/",
                                 {"name": "KTP", "max_size": "besar", "max_size_unit": "MB", "applies_to": "both"})
    text = response.content.decode()
    assert "Tulis ukuran sebagai angka lebih dari nol" in text
    response = admin_client.post("/pengaturan/jenis-izin/sip-bidan/persyaratan/",
                                 {"name": "KTP", "max_size": "30", "max_size_unit": "MB", "applies_to": "both"})
    text = response.content.decode()
    assert "Pilih minimal satu jenis berkas (PDF, JPG atau PNG)." in text
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 20480." in text  # Django's own validator, in Indonesian
    with schema_context("trenggalek"):
        assert Requirement.objects.count() == 0


def test_form_fields_choices_one_per_line_and_errors(admin_client):
    with schema_context("trenggalek"):
        permit_type_create(code="reklame", name="Reklame", sla_working_days=5)
    url = "/pengaturan/jenis-izin/reklame/formulir/"
    bad = admin_client.post(url, {"label": "Ukuran", "key": "ukuran", "kind": "choice", "choices": ""})
    assert "Isian pilihan harus punya daftar pilihan (minimal satu)." in bad.content.decode()
    assert admin_client.post(url, {"label": "Ukuran", "key": "ukuran", "kind": "choice", "is_required": "on",
                                   "choices": "Kecil\r\n\r\nBesar\r\n"}).status_code == 302
    assert admin_client.post(url, {"label": "Lokasi", "key": "lokasi", "kind": "address"}).status_code == 302
    with schema_context("trenggalek"):
        size, place = FormField.objects.order_by("order")
        assert size.choices == ["Kecil", "Besar"] and place.kind == "address" and not place.is_required
    admin_client.post(f"{url}{place.pk}/geser/", {"arah": "up"})
    taken = admin_client.post(f"{url}{place.pk}/", {"label": "Lokasi", "key": "ukuran", "kind": "address"})
    assert taken.status_code == 200
    assert "Kunci &#x27;ukuran&#x27; sudah dipakai isian lain pada formulir ini." in taken.content.decode()
    with schema_context("trenggalek"):
        assert list(FormField.objects.order_by("order").values_list("key", flat=True)) == ["lokasi", "ukuran"]


def test_preview_shows_the_applicants_form_read_only_with_requirements(admin_client):
    with schema_context("trenggalek"):
        pt = permit_type_create(code="reklame", name="Reklame", sla_working_days=5)
        form_field_create(permit_type=pt, key="ukuran", label="Ukuran reklame", kind="choice", choices=["Kecil", "Besar"])
        form_field_create(permit_type=pt, key="kecamatan", label="Kecamatan lokasi", kind="district")
        requirement_create(permit_type=pt, name="Desain reklame", allowed_types=["pdf", "png"], max_size_kb=1536)
    text = admin_client.get("/pengaturan/jenis-izin/reklame/pratinjau/").content.decode()
    assert "Ukuran reklame *" in text and "Kecil" in text
    assert "Panggul" in text  # Trenggalek's own districts in the district list
    assert "disabled" in text
    assert "Desain reklame" in text and "PDF, PNG" in text and "1,5 MB" in text and "Gratis" in text


def test_adopt_national_template_gives_an_editable_copy(admin_client):
    from pintu.national.catalog_templates import STARTER_TEMPLATES
    from pintu.national.services import catalog_template_publish

    item = STARTER_TEMPLATES[0]
    template = catalog_template_publish(code=item["code"], name=item["name"], summary=item["summary"],
                                        data=item["data"])
    page = admin_client.get("/pengaturan/templat/").content.decode()
    assert template.name in page
    response = admin_client.post(f"/pengaturan/templat/{template.code}/adopsi/",
                                 {f"{template.code}-code": "salinan-uji", f"{template.code}-is_online": ""})
    assert response.status_code == 302 and response["Location"] == "/pengaturan/jenis-izin/salinan-uji/"
    with schema_context("trenggalek"):
        copy = PermitType.objects.get(code="salinan-uji")
        assert copy.adopted_from.startswith(template.code) and copy.is_online is False
        assert copy.requirements.exists()
    again = admin_client.post(f"/pengaturan/templat/{template.code}/adopsi/",
                              {f"{template.code}-code": "salinan-uji"}, follow=True)
    assert "sudah dipakai" in again.content.decode()
