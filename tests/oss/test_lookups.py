"""inqueryNIB fills a form from a NIB; getDataReferensi keeps OSS's code tables current."""
from __future__ import annotations

import pytest

from permits.oss.hub.models import OssReference
from tests.factories import UserFactory, oss_office

KD = "033000000101"


def test_a_typed_nib_fills_the_form_from_oss(simulator, client_for, trenggalek, officer):
    office = oss_office(trenggalek, KD)
    person = officer(trenggalek, "front_office")
    response = client_for(trenggalek, person).get(
        "/oss/nib/", {"nib": "9120000023757", "jenis": office.permit_type.code})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["answers"]["nib"] == "9120000023757"
    assert body["answers"]["nama_usaha"] == body["business"]["nama_perseroan"] != ""


def test_only_this_regencys_counter_looks_up_a_nib(simulator, client_for, trenggalek, blitar, officer):
    """The answers name the person in charge with their NIK: no plain account, and no other regency's
    counter, may read them by typing someone's NIB."""
    office = oss_office(trenggalek, KD)
    query = {"nib": "9120000023757", "jenis": office.permit_type.code}
    for person in (UserFactory(), officer(blitar, "front_office"), officer(trenggalek, "verifier")):
        response = client_for(trenggalek, person).get("/oss/nib/", query)
        assert response.status_code == 403, response.content
        assert "penanggung" not in response.content.decode() and "answers" not in response.json()


def test_unknown_nib_bad_nib_and_oss_down_answer_clearly(simulator, client_for, trenggalek, officer):
    office = oss_office(trenggalek, KD)
    client = client_for(trenggalek, officer(trenggalek, "front_office"))
    unknown = client.get("/oss/nib/", {"nib": "0120000023757", "jenis": office.permit_type.code})
    assert unknown.status_code == 404 and "tidak ditemukan" in unknown.json()["message"]
    bad = client.get("/oss/nib/", {"nib": "12345", "jenis": office.permit_type.code})
    assert bad.status_code == 400 and bad.json()["message"] == "NIB harus 13 angka."
    simulator.stop()
    down = client.get("/oss/nib/", {"nib": "9120000023757", "jenis": office.permit_type.code})
    assert down.status_code == 502 and "isi manual" in down.json()["message"]
    assert client_for(trenggalek).get("/oss/nib/", {"nib": "9120000023757"}).status_code == 401


@pytest.mark.django_db
def test_reference_tables_are_refreshed_and_kept_when_oss_is_away(simulator):
    from permits.oss.lookups import oss_references_refresh

    assert oss_references_refresh() > 10
    assert OssReference.objects.get(table="10", code="41").description == "Konfirmasi Persyaratan"
    simulator.stop()
    assert oss_references_refresh() == 0
    assert OssReference.objects.filter(table="31").count() == 4


def test_the_daily_task_refreshes_the_tables_and_statuses_carry_oss_s_current_names(
        simulator, apex, keys, trenggalek):
    from permits.oss.tasks import oss_references_refresh_task
    from tests.oss.test_receive_nib import payload
    from tests.oss.test_reporting_end_to_end import drain
    from tests.services import post_nib

    assert oss_references_refresh_task.apply().get() > 10  # what beat runs daily (oss.references_refresh)
    OssReference.objects.filter(table="10", code="11").update(description="Dokumen Belum Lengkap (nama baru OSS)")
    oss_office(trenggalek, KD)
    body = payload(seed=64, daerah=("3503000000",))
    assert post_nib(apex, body, keys["3503"]).status_code == 200
    drain(trenggalek)
    [sent] = [r["body"]["IZINSTATUS"] for r in simulator.received("receiveLicenseStatus")
              if r["body"]["IZINSTATUS"]["id_izin"] == body["dataNIB"]["data_checklist"][0]["id_izin"]]
    assert sent["kd_status"] == "11" and sent["nama_status"] == "Dokumen Belum Lengkap (nama baru OSS)"
