"""Positions, delegation rules, acting officials and "who may sign?" pages."""
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from permits.models import ActingOfficial, Delegation, Position
from permits.services.catalog import permit_type_create
from permits.services.delegation import delegation_create, position_create
from pintu.access.models import Role
from tests.factories import pdf_bytes


@pytest.fixture
def admin_client(client_for, trenggalek, officer):
    return client_for(trenggalek, officer(trenggalek, Role.REGENCY_ADMIN))


@pytest.fixture
def setup(trenggalek, officer):
    bupati = officer(trenggalek, Role.SIGNING_OFFICIAL, full_name="Mochamad Bupati")
    kadis = officer(trenggalek, Role.SIGNING_OFFICIAL, full_name="Ibu Kepala Dinas")
    with schema_context("trenggalek"):
        sip = permit_type_create(code="sip-bidan", name="SIP Bidan", sla_working_days=5)
        reklame = permit_type_create(code="reklame", name="Reklame", sla_working_days=5)
        head = position_create(code="bupati", name="Bupati Trenggalek", kind="regional_head", holder=bupati)
        office = position_create(code="kepala-dpmptsp", name="Kepala DPMPTSP", kind="office_head", holder=kadis)
    return type("S", (), {"sip": sip, "reklame": reklame, "head": head, "office": office, "bupati": bupati,
                          "kadis": kadis})


def rule(setup, **extra):
    data = {"from_position": setup.head.pk, "to_position": setup.office.pk, "permit_types": [setup.sip.pk],
            "legal_basis_number": "Perbup 12/2024", "legal_basis_date": "2024-01-02", "valid_from": "2024-02-01"}
    data.update(extra)
    return data


def test_positions_holder_is_chosen_among_the_regencys_officers(admin_client, trenggalek, blitar, officer,
                                                                django_assert_max_num_queries):
    mine = officer(trenggalek, Role.SIGNING_OFFICIAL, full_name="Pak Kabid Trenggalek")
    stranger = officer(blitar, Role.SIGNING_OFFICIAL, full_name="Pejabat Blitar")
    page = admin_client.get("/pengaturan/jabatan/").content.decode()
    assert "Pak Kabid Trenggalek" in page and "Pejabat Blitar" not in page
    response = admin_client.post("/pengaturan/jabatan/", {"code": "kabid", "name": "Kepala Bidang Perizinan",
                                                          "kind": "division_head", "holder": stranger.pk})
    assert "Pilihan tidak valid: pilih salah satu dari daftar." in response.content.decode()  # someone from another regency: refused
    assert admin_client.post("/pengaturan/jabatan/", {"code": "kabid", "name": "Kepala Bidang Perizinan",
                                                      "kind": "division_head", "holder": mine.pk}).status_code == 302
    for i in range(4):
        admin_client.post("/pengaturan/jabatan/", {"code": f"lain-{i}", "name": f"Jabatan {i}", "kind": "other"})
    with django_assert_max_num_queries(12):
        page = admin_client.get("/pengaturan/jabatan/").content.decode()
    assert "Kepala Bidang Perizinan" in page and "Pak Kabid Trenggalek" in page
    with schema_context("trenggalek"):
        assert Position.objects.get(code="kabid").holder_id == mine.pk


def test_second_regional_head_refused_with_a_plain_message(admin_client, setup):
    response = admin_client.post("/pengaturan/jabatan/", {"code": "bupati-2", "name": "Bupati lagi",
                                                          "kind": "regional_head"})
    assert "sudah ada" in response.content.decode() and "Bupati/Walikota" in response.content.decode()
    with schema_context("trenggalek"):
        assert Position.objects.count() == 2


def test_delegation_with_scanned_regulation_then_overlap_refused(admin_client, setup,
                                                                 django_assert_max_num_queries):
    scan = SimpleUploadedFile("perbup.pdf", pdf_bytes(), content_type="application/pdf")
    response = admin_client.post("/pengaturan/pelimpahan/", rule(setup, legal_basis_upload=scan))
    assert response.status_code == 302
    with schema_context("trenggalek"):
        delegation = Delegation.objects.get()
        assert delegation.legal_basis_file.name.startswith("trenggalek/delegation/")
        assert [p.code for p in delegation.permit_types.all()] == ["sip-bidan"]
    download = admin_client.get(f"/pengaturan/pelimpahan/{delegation.pk}/dasar-hukum/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    overlap = admin_client.post("/pengaturan/pelimpahan/", rule(setup, legal_basis_number="Perbup 40/2024",
                                                                valid_from="2024-06-01"))
    text = overlap.content.decode()
    assert "Bertumpang tindih dengan pelimpahan Perbup 12/2024" in text
    valid_from_block = text.split('for="id_valid_from"')[1].split('class="field')[0]
    assert "Bertumpang tindih" in valid_from_block
    with schema_context("trenggalek"):
        assert Delegation.objects.count() == 1
    with django_assert_max_num_queries(14):
        page = admin_client.get("/pengaturan/pelimpahan/").content.decode()
    assert "Perbup 12/2024" in page and "SIP Bidan" in page and "salinan peraturan" in page


def test_bad_scan_or_missing_scope_stores_nothing(admin_client, setup):
    fake = SimpleUploadedFile("perbup.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = admin_client.post("/pengaturan/pelimpahan/", rule(setup, legal_basis_upload=fake))
    assert response.status_code == 200
    upload_block = response.content.decode().split('for="id_legal_basis_upload"')[1].split('class="field')[0]
    assert 'class="errorlist"' in upload_block
    no_scope = admin_client.post("/pengaturan/pelimpahan/", rule(setup, permit_types=[])).content.decode()
    assert "Pilih jenis izin yang dilimpahkan, atau pilih semua jenis izin." in no_scope
    with schema_context("trenggalek"):
        assert Delegation.objects.count() == 0


def test_acting_official_plh_needs_an_end_date(admin_client, setup, trenggalek, officer):
    deputy = officer(trenggalek, Role.SIGNING_OFFICIAL, full_name="Pak Sekretaris")
    data = {"position": setup.office.pk, "kind": "plh", "user": deputy.pk, "decree_number": "800/12/2026",
            "valid_from": "2026-03-02"}
    refused = admin_client.post("/pengaturan/pelaksana/", data).content.decode()
    assert "Plh menggantikan pejabat yang berhalangan sementara: isi sampai tanggal berapa." in refused
    with schema_context("trenggalek"):
        assert not ActingOfficial.objects.exists()
    assert admin_client.post("/pengaturan/pelaksana/", dict(data, valid_until="2026-03-06")).status_code == 302
    page = admin_client.get("/pengaturan/pelaksana/").content.decode()
    assert "Pak Sekretaris" in page and "PLH" in page


def test_who_signs_follows_the_chain_and_warns_without_delegation(admin_client, setup, trenggalek, officer):
    page = admin_client.get("/pengaturan/wewenang/?permit_type=reklame&on=2026-03-03").content.decode()
    assert "Mochamad Bupati" in page
    assert "wewenang tetap pada Bupati/Walikota" in page
    with schema_context("trenggalek"):
        delegation_create(from_position=setup.head, to_position=setup.office, permit_types=[setup.sip],
                          legal_basis_number="Perbup 12/2024", legal_basis_date=dt.date(2024, 1, 2),
                          valid_from=dt.date(2024, 2, 1))
    page = admin_client.get("/pengaturan/wewenang/?permit_type=sip-bidan&on=2026-03-03").content.decode()
    assert "Ibu Kepala Dinas" in page and "Dilimpahkan kepada Kepala DPMPTSP dengan Perbup 12/2024" in page
    assert "wewenang tetap pada Bupati/Walikota" not in page
    before = admin_client.get("/pengaturan/wewenang/?permit_type=sip-bidan&on=2024-01-15").content.decode()
    assert "wewenang tetap pada Bupati/Walikota" in before  # before the rule was in force
    bad = admin_client.get("/pengaturan/wewenang/?permit_type=sip-bidan&on=kemarin").content.decode()
    assert "Masukkan tanggal yang valid" in bad  # Django's Indonesian message


def test_authority_pages_refused_to_front_office_and_other_regency(client_for, trenggalek, blitar, officer, setup):
    for user in (officer(trenggalek, Role.FRONT_OFFICE), officer(blitar, Role.REGENCY_ADMIN)):
        client = client_for(trenggalek, user)
        for url in ("/pengaturan/jabatan/", "/pengaturan/pelimpahan/", "/pengaturan/pelaksana/",
                    "/pengaturan/wewenang/"):
            assert client.get(url).status_code == 403, url
        assert client.post("/pengaturan/pelimpahan/", rule(setup)).status_code == 403
    with schema_context("trenggalek"):
        assert Delegation.objects.count() == 0


def test_edit_pages_start_from_the_records_values_and_save_through_the_services(admin_client, setup):
    from permits.services.delegation import acting_official_create

    with schema_context("trenggalek"):
        delegation = delegation_create(permit_types=[setup.sip, setup.reklame], **{
            "from_position": setup.head, "to_position": setup.office, "legal_basis_number": "Perbup 12/2024",
            "legal_basis_date": dt.date(2024, 1, 2), "valid_from": dt.date(2024, 2, 1)})
        acting = acting_official_create(position=setup.office, user=setup.bupati, kind="plh", decree_number="SP 1",
                                        valid_from=dt.date(2024, 3, 1), valid_until=dt.date(2024, 3, 9))
    page = admin_client.get(f"/pengaturan/jabatan/{setup.office.pk}/").content.decode()
    assert 'value="kepala-dpmptsp"' in page and f'value="{setup.kadis.pk}" selected' in page
    page = admin_client.get(f"/pengaturan/pelimpahan/{delegation.pk}/").content.decode()
    assert 'value="Perbup 12/2024"' in page and 'value="2024-02-01"' in page
    checked = set(re.findall(r'name="permit_types" value="(\d+)"[^>]*checked', page))
    assert checked == {str(setup.sip.pk), str(setup.reklame.pk)}
    page = admin_client.get(f"/pengaturan/pelaksana/{acting.pk}/").content.decode()
    assert 'value="SP 1"' in page and 'value="2024-03-09"' in page and f'value="{setup.bupati.pk}" selected' in page

    response = admin_client.post(f"/pengaturan/jabatan/{setup.office.pk}/", {
        "code": "kepala-dpmptsp", "name": "Kepala DPMPTSP Trenggalek", "kind": "office_head", "holder": ""})
    assert response.status_code == 302
    with schema_context("trenggalek"):
        setup.office.refresh_from_db()
    assert setup.office.name == "Kepala DPMPTSP Trenggalek" and setup.office.holder_id is None
