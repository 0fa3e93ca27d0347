"""inqueryNIB fills a form from a NIB; getDataReferensi keeps OSS's code tables current."""
from __future__ import annotations

import pytest

from permits.oss.hub.models import OssReference
from tests.factories import UserFactory
from tests.oss.conftest import oss_office

KD = "033000000101"


def test_a_typed_nib_fills_the_form_from_oss(simulator, client_for, trenggalek):
    office = oss_office(trenggalek, KD)
    person = UserFactory()
    response = client_for(trenggalek, person).get(
        "/oss/nib/", {"nib": "9120000023757", "jenis": office.permit_type.code})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["answers"]["nib"] == "9120000023757"
    assert body["answers"]["nama_usaha"] == body["business"]["nama_perseroan"] != ""


def test_unknown_nib_bad_nib_and_oss_down_answer_clearly(simulator, client_for, trenggalek):
    office = oss_office(trenggalek, KD)
    client = client_for(trenggalek, UserFactory())
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
