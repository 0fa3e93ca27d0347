"""receiveNIB: a checklist routed by kd_daerah into each regency's schema, refusals in OSS's shape."""
from __future__ import annotations

import json

import pytest

from deploy.oss_simulator.generator import receive_nib_payload
from permits.oss.hub.models import OssInbound
from tests.factories import UserFactory, in_schema, oss_office
from tests.services import post_nib

KD = "033000000101"


def counts(regency):
    from permits.models import Application
    from permits.oss.models import OssFile

    with in_schema(regency):
        return Application.objects.count(), OssFile.objects.count()


@pytest.fixture
def offices(trenggalek, blitar):
    return {"3503": oss_office(trenggalek, KD), "3572": oss_office(blitar, KD)}


def payload(seed=1, *, daerah=("3503000000", "3572000000"), kd=KD, pj_nik=""):
    return receive_nib_payload(seed, checklist=[{"kd_daerah": d, "kd_izin": kd, "nama_izin": "Izin praktik"}
                                                for d in daerah], pj_nik=pj_nik)


def test_each_regency_key_creates_only_its_own_item_and_the_form_is_filled(apex, keys, offices, trenggalek, blitar):
    from permits.models import Application
    from permits.oss.models import OssFile, OssSend

    person = UserFactory(nik="3503011204850001")
    body = payload(pj_nik=person.nik)
    before_blitar = counts(blitar)
    response = post_nib(apex, body, keys["3503"])
    assert response.status_code == 200
    assert response.json()["responreceiveNIB"]["status"] == "1"
    assert counts(blitar) == before_blitar  # Trenggalek's key placed nothing in Blitar
    with in_schema(trenggalek):
        file = OssFile.objects.select_related("application").get(id_izin=body["dataNIB"]["data_checklist"][0]["id_izin"])
        application = file.application
        assert application.applicant_id == person.pk and application.applicant_nik == person.nik
        assert application.form_data["nib"] == body["dataNIB"]["nib"]
        assert application.form_data["nama_usaha"] == body["dataNIB"]["nama_perseroan"]
        assert file.business["proyek"]["kbli"] == body["dataNIB"]["data_proyek"][0]["kbli"]
        assert application.status == Application.Status.DRAFT  # requirements still to upload
        assert list(OssSend.objects.filter(file=file).values_list("kd_status", flat=True)) == ["11"]
    response = post_nib(apex, body, keys["3572"])
    assert response.status_code == 200
    with in_schema(blitar):
        assert OssFile.objects.filter(id_izin=body["dataNIB"]["data_checklist"][1]["id_izin"]).exists()
        assert not OssFile.objects.filter(id_izin=body["dataNIB"]["data_checklist"][0]["id_izin"]).exists()


def test_person_in_charge_sees_the_file_on_my_applications(apex, client_for, keys, offices, trenggalek):
    person = UserFactory(nik="3503011204850002")
    body = payload(seed=2, daerah=("3503000000",), pj_nik=person.nik)
    assert post_nib(apex, body, keys["3503"]).status_code == 200
    page = client_for(trenggalek, person).get("/permohonan/")
    assert page.status_code == 200
    assert "Surat Izin Praktik Fisioterapis" in page.content.decode()


def test_the_same_id_izin_twice_changes_nothing(apex, keys, offices, trenggalek):
    body = payload(seed=3, daerah=("3503000000",))
    assert post_nib(apex, body, keys["3503"]).status_code == 200
    before = counts(trenggalek)
    again = post_nib(apex, body, keys["3503"])
    assert again.status_code == 200 and "sebelumnya" in again.json()["responreceiveNIB"]["keterangan"]
    assert counts(trenggalek) == before


def _refused(response, status, field_part):
    assert response.status_code == status
    answer = response.json()["responreceiveNIB"]
    assert answer["status"] == "2"
    assert any(field_part in e["field"] for e in answer.get("detail", [])), answer
    return answer


def test_missing_fields_are_refused_with_field_and_reason_and_stored(apex, keys, offices, trenggalek):
    body = payload(seed=4)
    del body["dataNIB"]["nama_perseroan"]
    body["dataNIB"]["data_checklist"][0]["id_izin"] = ""
    before = counts(trenggalek)
    answer = _refused(post_nib(apex, body, keys["3503"]), 400, "dataNIB.nama_perseroan")
    assert any(e["field"] == "dataNIB.data_checklist[0].id_izin" and e["reason"] == "wajib diisi"
               for e in answer["detail"])
    assert counts(trenggalek) == before
    stored = OssInbound.objects.filter(regency=trenggalek, http_status=400).first()
    assert stored is not None and any(e["field"] == "dataNIB.nama_perseroan" for e in stored.errors)


def test_fields_over_their_pia_length_are_refused(apex, keys, offices, trenggalek):
    body = payload(seed=5)
    body["dataNIB"]["nib"] = "91200000000001"  # 14 > string(13)
    body["dataNIB"]["data_checklist"][0]["kd_daerah"] = "35030000001"  # 11 > string(10)
    before = counts(trenggalek)
    answer = _refused(post_nib(apex, body, keys["3503"]), 400, "dataNIB.nib")
    assert any("paling panjang 10" in e["reason"] for e in answer["detail"])
    assert counts(trenggalek) == before


def test_unknown_kd_izin_is_refused_and_listed_for_the_administrator(apex, keys, offices, trenggalek):
    from permits.oss.models import PermitCodeMapping

    body = payload(seed=6, daerah=("3503000000",), kd="999999999999")
    before = counts(trenggalek)
    _refused(post_nib(apex, body, keys["3503"]), 400, "kd_izin")
    assert counts(trenggalek) == before
    with in_schema(trenggalek):
        seen = PermitCodeMapping.objects.get(kd_izin="999999999999")
        assert seen.permit_type_id is None and seen.times_seen == 1


def test_kd_daerah_not_on_pintu_refuses_the_whole_call(apex, keys, offices, trenggalek):
    body = payload(seed=7, daerah=("3503000000", "9471000000"))  # Kota Jayapura is not on Pintu here
    before = counts(trenggalek)
    answer = _refused(post_nib(apex, body, keys["3503"]), 400, "data_checklist[1].kd_daerah")
    assert "tidak terdaftar di Pintu" in answer["keterangan"]
    assert counts(trenggalek) == before


def test_wrong_user_key_is_refused_with_401(apex, keys, offices, trenggalek):
    before = counts(trenggalek)
    response = post_nib(apex, payload(seed=8), keys["3503"][:-1] + "x")
    assert response.status_code == 401
    assert response.json()["responreceiveNIB"] == {
        "status": "2", "keterangan": "User Akses Tidak Valid",
        "detail": [{"field": "user_key", "reason": "tidak dikenal"}]}
    assert post_nib(apex, payload(seed=8), "").status_code == 401
    assert counts(trenggalek) == before


def test_a_rotated_key_stops_working_at_once(apex, keys, offices, trenggalek):
    from permits.oss.credentials import oss_user_key_rotate

    new = oss_user_key_rotate(regency=trenggalek)
    assert post_nib(apex, payload(seed=9, daerah=("3503000000",)), keys["3503"]).status_code == 401
    assert post_nib(apex, payload(seed=9, daerah=("3503000000",)), new).status_code == 200


def test_oversized_body_is_refused_before_it_is_read(apex, keys, offices, trenggalek, settings):
    settings.OSS_MAX_BODY_BYTES = 10_000
    body = payload(seed=10)
    body["dataNIB"]["padding"] = "x" * 20_000
    before = counts(trenggalek)
    response = post_nib(apex, body, keys["3503"])
    assert response.status_code == 413
    assert response.json()["responreceiveNIB"]["status"] == "2"
    assert counts(trenggalek) == before


def test_not_json_and_wrong_method_answer_in_oss_shape(apex, keys):
    response = post_nib(apex, None, keys["3503"], raw=b"{nib: 1")
    assert response.status_code == 400 and response.json()["responreceiveNIB"]["status"] == "2"
    assert apex.get("/oss/receiveNIB").status_code == 405


def test_receive_file_ds_keeps_the_signed_file_on_the_oss_file(apex, keys, offices, trenggalek):
    from permits.oss.models import OssFile

    body = payload(seed=11, daerah=("3503000000",))
    post_nib(apex, body, keys["3503"])
    item = body["dataNIB"]["data_checklist"][0]
    ds = {"receiveFileDS": {"id_izin": item["id_izin"], "nib": body["dataNIB"]["nib"],
                            "file_izin": "https://oss.go.id/ds/izin.pdf"}}
    response = apex.post("/oss/receiveFileDS", data=json.dumps(ds), content_type="application/json",
                           HTTP_USER_KEY=keys["3503"])
    assert response.status_code == 200 and response.json()["responreceiveFileDS"]["status"] == "1"
    with in_schema(trenggalek):
        assert OssFile.objects.get(id_izin=item["id_izin"]).signed_file_url == "https://oss.go.id/ds/izin.pdf"
    ds["receiveFileDS"]["id_izin"] = "I-TIDAKADA"
    missing = apex.post("/oss/receiveFileDS", data=json.dumps(ds), content_type="application/json",
                          HTTP_USER_KEY=keys["3503"])
    assert missing.status_code == 404 and missing.json()["responreceiveFileDS"]["status"] == "2"


def test_a_file_complete_on_receipt_is_submitted_at_once_from_the_apex(apex, keys, offices, trenggalek, applicant):
    """Submitting writes the applicant's notification links (regency pages) while the call is on the apex."""
    from permits.models import Application, FormField, Requirement
    from permits.oss.models import OssFile, OssSend

    with in_schema(trenggalek):
        Requirement.objects.update(is_mandatory=False)
        FormField.objects.update(is_required=False)
    body = payload(seed=12, daerah=("3503000000",), pj_nik=applicant.nik or "")
    response = post_nib(apex, body, keys["3503"])
    assert response.status_code == 200, response.content
    with in_schema(trenggalek):
        file = OssFile.objects.select_related("application").get(id_izin=body["dataNIB"]["data_checklist"][0]["id_izin"])
        assert file.application.status == Application.Status.IN_PROCESS
        assert list(OssSend.objects.filter(file=file).values_list("kd_status", flat=True)) == ["10", "20"]
