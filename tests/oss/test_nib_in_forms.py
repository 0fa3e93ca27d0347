"""inqueryNIB in the forms: the counter's start form and the application page (counter and online) fill the
business fields from OSS (the simulator) by a typed NIB; unknown NIB, OSS away or someone else's NIB say so
in Indonesian and keep everything typed."""
from __future__ import annotations

from deploy.oss_simulator.generator import receive_nib_payload
from tests.factories import UserFactory, in_schema, oss_office

KD = "033000000101"
NIB = "9120000023757"


def oss_business(nib: str = NIB) -> dict:
    """What the simulator's inqueryNIB answers for this NIB (its seed is the NIB's last three digits)."""
    return receive_nib_payload(int(nib) % 1000, checklist=[])["dataNIB"]


def _start(client, office, **extra):
    data = {"permit_type": office.permit_type.pk, "applicant_name": "Budi Santoso", "applicant_nik": "3503011204850009",
            "applicant_phone": "081234567001", **extra}
    return client.post("/loket/baru/", data)


def _applications(regency, office):
    from permits.models import Application

    with in_schema(regency):
        return Application.objects.filter(permit_type=office.permit_type).count()


def test_the_counter_start_form_fills_the_business_fields_from_a_nib(simulator, client_for, trenggalek, officer):
    from permits.models import Application

    office = oss_office(trenggalek, KD)
    client = client_for(trenggalek, officer(trenggalek, "front_office"))
    assert 'name="nib"' in client.get("/loket/baru/").content.decode()
    response = _start(client, office, nib=NIB)
    assert response.status_code == 302, response.content.decode()[-3000:]
    with in_schema(trenggalek):
        application = Application.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        assert application.form_data["nib"] == NIB
        assert application.form_data["nama_usaha"] == oss_business()["nama_perseroan"] != ""
        assert application.applicant_name == "Budi Santoso"  # the walk-in stays who they said they are
    page = client.get(response["Location"]).content.decode()
    assert "data usaha diisi dari OSS" in page and 'id="oss-fill"' in page


def test_the_counter_start_form_keeps_what_was_typed_when_the_nib_is_unknown_or_oss_is_away(
        simulator, client_for, trenggalek, officer):
    office = oss_office(trenggalek, KD)
    client = client_for(trenggalek, officer(trenggalek, "front_office"))
    before = _applications(trenggalek, office)
    unknown = _start(client, office, nib="0120000023757")
    page = unknown.content.decode()
    assert unknown.status_code == 200 and "NIB tidak ditemukan di OSS" in page
    assert 'value="Budi Santoso"' in page and 'value="3503011204850009"' in page and 'value="0120000023757"' in page
    bad = _start(client, office, nib="12345").content.decode()
    assert "NIB harus 13 angka." in bad and 'value="Budi Santoso"' in bad
    simulator.stop()
    away = _start(client, office, nib=NIB).content.decode()
    assert "tidak dapat diambil dari OSS" in away and "isi manual" in away and 'value="081234567001"' in away
    assert _applications(trenggalek, office) == before  # nothing half-created
    # without a NIB the walk-in's file is started as before, OSS or not
    assert _start(client, office).status_code == 302


def test_the_business_person_in_charge_fills_their_online_form_and_what_they_typed_stays(
        simulator, client_for, trenggalek):
    from permits.services.applications import application_draft_create

    office = oss_office(trenggalek, KD)
    holder = UserFactory(nik=oss_business()["penanggung_jwb"][0]["no_identitas_penanggung_jwb"])
    with in_schema(trenggalek):
        application = application_draft_create(permit_type=office.permit_type, applicant=holder)
    client = client_for(trenggalek, holder)
    page = client.get(f"/permohonan/{application.pk}/").content.decode()
    assert 'id="oss-fill"' in page and "Punya NIB?" in page
    typed = {"alamat_praktik": "Jl. Panglima Sudirman No. 9, Trenggalek", "nama_usaha": ""}
    response = client.post(f"/permohonan/{application.pk}/", {**typed, "oss_fill": "1", "oss_nib": NIB})
    assert response.status_code == 302, response.content.decode()[-2000:]
    with in_schema(trenggalek):
        application.refresh_from_db()
        assert application.form_data["alamat_praktik"] == typed["alamat_praktik"]
        assert application.form_data["nama_usaha"] == oss_business()["nama_perseroan"]
        assert application.form_data["nib"] == NIB
    after = client.get(f"/permohonan/{application.pk}/").content.decode()
    assert "Data usaha diisi dari OSS" in after and f'value="{NIB}"' in after


def test_someone_else_cannot_read_a_business_by_its_nib_and_an_outage_loses_nothing(
        simulator, client_for, trenggalek):
    from permits.services.applications import application_draft_create

    office = oss_office(trenggalek, KD)
    stranger = UserFactory(nik="3503015506900077")
    with in_schema(trenggalek):
        application = application_draft_create(permit_type=office.permit_type, applicant=stranger)
    client = client_for(trenggalek, stranger)
    typed = {"alamat_praktik": "Jl. Ahmad Yani No. 3, Trenggalek"}
    refused = client.post(f"/permohonan/{application.pk}/", {**typed, "oss_fill": "1", "oss_nib": NIB})
    page = refused.content.decode()
    assert refused.status_code == 200 and "hanya dapat diambil oleh penanggung jawab usaha" in page
    business = oss_business()
    assert business["nama_perseroan"] not in page and business["penanggung_jwb"][0]["nama_penanggung_jwb"] not in page
    assert typed["alamat_praktik"] in page and f'value="{NIB}"' in page  # still on the screen
    with in_schema(trenggalek):
        application.refresh_from_db()
        assert "nama_usaha" not in application.form_data
    simulator.stop()
    holder = UserFactory(nik=business["penanggung_jwb"][0]["no_identitas_penanggung_jwb"])
    with in_schema(trenggalek):
        own = application_draft_create(permit_type=office.permit_type, applicant=holder)
    away = client_for(trenggalek, holder).post(f"/permohonan/{own.pk}/", {**typed, "oss_fill": "1", "oss_nib": NIB})
    assert away.status_code == 200
    assert "tidak dapat diambil dari OSS" in away.content.decode() and typed["alamat_praktik"] in away.content.decode()


def test_the_box_is_offered_only_for_business_permits_with_oss_connected(simulator, client_for, trenggalek, settings):
    from permits.services.applications import application_draft_create
    from tests.factories import office_build

    person = UserFactory(nik="3503015506900078")
    with in_schema(trenggalek):
        plain = office_build()  # no NIB field, no OSS code mapped to it
        application = application_draft_create(permit_type=plain.permit_type, applicant=person)
    client = client_for(trenggalek, person)
    assert 'id="oss-fill"' not in client.get(f"/permohonan/{application.pk}/").content.decode()
    refused = client.post(f"/permohonan/{application.pk}/", {"oss_fill": "1", "oss_nib": NIB})
    assert "tidak memakai data usaha dari OSS" in refused.content.decode()
    office = oss_office(trenggalek, KD)
    with in_schema(trenggalek):
        business = application_draft_create(permit_type=office.permit_type, applicant=person)
    assert 'id="oss-fill"' in client.get(f"/permohonan/{business.pk}/").content.decode()
    settings.OSS_BASE_URL = ""  # a deployment not connected to OSS offers nothing to press
    assert 'id="oss-fill"' not in client.get(f"/permohonan/{business.pk}/").content.decode()


def test_an_account_may_look_up_only_so_many_nibs_an_hour(simulator, client_for, trenggalek, settings):
    from permits.services.applications import application_draft_create

    settings.OSS_NIB_LOOKUPS_PER_HOUR = 2
    office = oss_office(trenggalek, KD)
    person = UserFactory(nik="3503015506900079")
    with in_schema(trenggalek):
        application = application_draft_create(permit_type=office.permit_type, applicant=person)
    client = client_for(trenggalek, person)
    for nib in ("9120000023001", "9120000023002"):
        page = client.post(f"/permohonan/{application.pk}/", {"oss_fill": "1", "oss_nib": nib}).content.decode()
        assert "hanya dapat diambil oleh penanggung jawab" in page
    page = client.post(f"/permohonan/{application.pk}/", {"oss_fill": "1", "oss_nib": NIB}).content.decode()
    assert "Terlalu banyak pencarian NIB" in page
