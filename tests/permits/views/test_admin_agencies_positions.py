"""Agencies (OPD) picked instead of free text, renamed while in use; officials without an account; the
Plh/Plt form's own checks (issue #15)."""
from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from permits.models import ActingOfficial, SopStep, StepTask
from permits.services.processing import recommendation_give, step_forward
from pintu.access.models import Agency, Membership, Role
from tests.factories import office_build, submitted_application


@pytest.fixture
def admin(trenggalek, officer):
    return officer(trenggalek, Role.REGENCY_ADMIN)


def test_free_text_agencies_become_records_and_forms_pick_from_them(trenggalek, admin, client_for):
    with schema_context(trenggalek.schema_name):
        office = office_build()
        names = set(Agency.objects.values_list("name", flat=True))
    assert {"Dinas Kesehatan", "Satpol PP"} <= names
    page = client_for(trenggalek, admin)
    page.post(f"/pengaturan/jenis-izin/{office.permit_type.code}/sop/draf/")
    html = page.get(f"/pengaturan/jenis-izin/{office.permit_type.code}/sop/langkah/baru/").content.decode()
    assert '<select name="agency"' in html and '<option value="Satpol PP">' in html
    html = page.get("/pengaturan/petugas/").content.decode()
    assert "Dinas Kesehatan" in html and 'name="agencies"' in html


def test_agency_renamed_while_steps_and_open_tasks_use_it_keeps_the_file_moving(
        trenggalek, admin, client_for, applicant):
    with schema_context(trenggalek.schema_name):
        office = office_build()
        application = submitted_application(office, applicant)
        [check] = StepTask.objects.filter(application=application, status="open")
        step_forward(task=check, officer=office.front_office)
        agency = Agency.objects.get(name="Dinas Kesehatan")
    page = client_for(trenggalek, admin)
    response = page.post(f"/pengaturan/instansi/{agency.pk}/", {"code": "dinkes",
                                                                "name": "Dinas Kesehatan dan KB"})
    assert response.status_code == 302
    with schema_context(trenggalek.schema_name):
        assert set(SopStep.objects.filter(agency__startswith="Dinas Kesehatan").values_list("agency", flat=True)) \
            == {"Dinas Kesehatan dan KB"}
        assert Membership.objects.get(user_id=office.health.pk).agency == "Dinas Kesehatan dan KB"
        review = StepTask.objects.get(application=application, status="open", agency="Dinas Kesehatan dan KB")
        recommendation_give(task=review, officer=office.health)  # the same officer still acts on it
        review.refresh_from_db()
        assert review.status != "open"
    worklist = client_for(trenggalek, office.police).get("/kantor/").content.decode()
    assert "Satpol PP" in worklist
    # A second agency cannot take the same name, and one in use cannot be deleted.
    html = page.post("/pengaturan/instansi/", {"code": "dinkes2", "name": "dinas kesehatan dan kb"}).content.decode()
    assert "sudah ada" in html
    html = page.post(f"/pengaturan/instansi/{agency.pk}/hapus/", follow=True).content.decode()
    assert "masih dipakai" in html


def test_position_names_an_official_without_an_account_in_the_chain(trenggalek, admin, client_for):
    with schema_context(trenggalek.schema_name):  # a regional head another test committed (rolled back after)
        from permits.models import Position
        Position.objects.filter(kind="regional_head").update(kind="division_head")
    page = client_for(trenggalek, admin)
    response = page.post("/pengaturan/jabatan/", {"name": "Walikota Trenggalek", "code": "walikota",
                                                  "kind": "regional_head", "official_name": "Drs. H. Benyamin",
                                                  "official_nip": "123"})
    assert "NIP terdiri dari 18 angka" in response.content.decode()
    response = page.post("/pengaturan/jabatan/", {"name": "Walikota Trenggalek", "code": "walikota",
                                                  "kind": "regional_head", "official_name": "Drs. H. Benyamin",
                                                  "official_nip": "196801011990031001"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    listing = page.get("/pengaturan/jabatan/").content.decode()
    assert "Drs. H. Benyamin" in listing and "196801011990031001" in listing
    with schema_context(trenggalek.schema_name):
        from permits.services.catalog import permit_type_create
        permit_type_create(code="reklame", name="Reklame", sla_working_days=5)
    chain = page.get("/pengaturan/wewenang/?permit_type=reklame&on=2026-03-03").content.decode()
    assert "Walikota Trenggalek: Drs. H. Benyamin" in chain


def test_plh_form_says_what_is_missing_and_can_give_the_signing_role(trenggalek, admin, officer, client_for):
    head = officer(trenggalek, Role.SIGNING_OFFICIAL, full_name="Ibu Kepala")
    deputy = officer(trenggalek, Role.VERIFIER, full_name="Pak Sekretaris")
    with schema_context(trenggalek.schema_name):
        from permits.services.delegation import position_create
        post = position_create(code="kepala-dpmptsp", name="Kepala DPMPTSP", kind="office_head", holder=head)
    page = client_for(trenggalek, admin)
    html = page.post("/pengaturan/pelaksana/", {"kind": "plh"}).content.decode()
    assert "Pilih jabatan pejabat yang digantikan." in html and "Isi tanggal mulai." in html
    assert "Pilih pelaksana (Plh/Plt)" in html
    data = {"position": post.pk, "kind": "plh", "user": deputy.pk, "valid_from": "2026-03-02",
            "valid_until": "2026-03-06"}
    html = page.post("/pengaturan/pelaksana/", data).content.decode()
    assert "belum memegang peran pejabat penandatangan" in html
    with schema_context(trenggalek.schema_name):
        assert not ActingOfficial.objects.exists()
    assert page.post("/pengaturan/pelaksana/", dict(data, grant_signing_role="on")).status_code == 302
    with schema_context(trenggalek.schema_name):
        assert ActingOfficial.objects.get().user_id == deputy.pk
        assert Membership.objects.filter(user_id=deputy.pk, role=Role.SIGNING_OFFICIAL, is_active=True).exists()
