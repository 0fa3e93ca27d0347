"""Done-when of issue #17: a NIB for Trenggalek and Blitar through to a signed permit, every status
reaching the OSS simulator in order, once - also with the simulator down for a while and with a 504."""
from __future__ import annotations

import hashlib
import json
import urllib.parse

import pytest

from permits.oss import pia
from permits.oss.hub.models import OssHealth
from tests.factories import UserFactory, in_schema, oss_office
from tests.services import post_nib

KD = "033000000101"
NIP = "197805122005011003"


def drain(regency):
    from permits.oss.reporting import oss_sweep

    with in_schema(regency):
        return oss_sweep(send=True)


def statuses(sim, id_izin):
    return [r["body"]["IZINSTATUS"]["kd_status"] for r in sim.received("receiveLicenseStatus")
            if r["body"]["IZINSTATUS"]["id_izin"] == id_izin]


def open_task(application):
    from permits.models import StepTask

    return StepTask.objects.filter(application=application, status="open").select_related("step") \
        .order_by("step__order").first()


def walk_to_permit(trenggalek, office, person, id_izin, sim, *, outage=None):
    """Trenggalek: the business completes and submits, the office returns a requirement, the business
    fixes it, both technical agencies approve, the head signs. `outage(step)` may stop the simulator."""
    from permits.models import Application
    from permits.oss.models import OssFile
    from permits.services.applications import application_document_upload, application_form_save, application_submit
    from permits.services.processing import (
        application_approve,
        application_return,
        document_review,
        recommendation_give,
        step_forward,
    )
    from tests.factories import upload

    outage = outage or (lambda step: None)
    with in_schema(trenggalek):
        application = OssFile.objects.get(id_izin=id_izin).application
        application_form_save(application=application, data=office.form, actor=person)
        for requirement, name in zip(office.requirements[:2], ("ktp.pdf", "str.pdf")):
            application_document_upload(application=application, requirement=requirement, file=upload(name),
                                        actor=person)
        application_submit(application=application, actor=person)
    drain(trenggalek)
    outage("submitted")
    with in_schema(trenggalek):
        document = application.documents.get(requirement=office.requirements[1], is_current=True)
        document_review(document=document, officer=office.front_office, accepted=False, reason="STR sudah kedaluwarsa")
        application_return(task=open_task(application), officer=office.front_office)
    drain(trenggalek)
    outage("returned")
    with in_schema(trenggalek):
        application_document_upload(application=application, requirement=office.requirements[1],
                                    file=upload("str-baru.pdf", "STR baru"), actor=person)
        application_submit(application=application, actor=person)
        step_forward(task=open_task(application), officer=office.front_office)
        recommendation_give(task=open_task(application), officer=office.health)
    drain(trenggalek)
    outage("reviewed")
    with in_schema(trenggalek):
        recommendation_give(task=open_task(application), officer=office.police)
        application_approve(task=open_task(application), officer=office.signer)
        application.refresh_from_db()
        assert application.status == Application.Status.ISSUED
    drain(trenggalek)
    return application


EXPECTED = ["11", "10", "20", "41", "42", "45", "45", "50"]


def check_permit_reached_oss(sim, client_for, trenggalek, application, id_izin):
    licenses = [r["body"]["IZINFINAL"] for r in sim.received("receiveLicense")
                if r["body"]["IZINFINAL"]["id_izin"] == id_izin]
    assert len(licenses) == 1
    final = licenses[0]
    with in_schema(trenggalek):
        permit = application.permit
        assert final["nomor_izin"] == permit.number and final["status_izin"] == "50"
        assert final["nama_ttd"] == permit.signer_name and final["jabatan_ttd"] == "Kepala DPMPTSP"
        assert final["tgl_berlaku_izin"] == permit.valid_until.isoformat()
        assert final["nip_ttd"] == NIP  # the signing post's official, as the administrator recorded it
    # exactly the PIA's IZINFINAL fields, each within its length; the region in Kemendagri's 10 digits
    assert set(final) == set(pia.LICENSE_FIELDS)
    assert [name for name, (length, required) in pia.LICENSE_FIELDS.items()
            if len(str(final[name])) > length or (required and final[name] in ("", None))] == []
    assert final["kd_daerah"] == "3503000000" and final["jenis_perizinan"] == "02"
    # the PDF behind file_izin is the signed permit, and its signature validates
    link = urllib.parse.urlparse(final["file_izin"])
    assert link.hostname == "trenggalek.localhost"
    pdf = client_for(trenggalek).get(link.path)
    assert pdf.status_code == 200
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF") and f"SHA-256 berkas: {hashlib.sha256(data).hexdigest()}" in final["keterangan"]
    from permits.documents.signing import LocalPadesSigner

    with in_schema(trenggalek):
        result = LocalPadesSigner.for_regency(trenggalek).verify(data)
    assert (result.valid, result.intact) == (True, True)
    # every status of every send went with the key OSS gave Pintu
    assert {r["user_key"] for r in sim.received()} == {"kunci-pintu-di-oss"}


@pytest.fixture
def scene(simulator, keys, apex, trenggalek, blitar, settings):
    settings.OSS_RETRY_BASE_SECONDS = 0
    from permits.services.delegation import position_update

    office = oss_office(trenggalek, KD)
    with in_schema(trenggalek):
        position_update(position=office.head_position, official_nip=NIP)
    oss_office(blitar, KD)
    person = UserFactory(nik="3503015506900003")
    payload = simulator.nib(seed=21, checklist=[("3503000000", KD), ("3572000000", KD)], pj_nik=person.nik)
    for code in ("3503", "3572"):  # OSS delivers the NIB to each agency with the agency's own key
        response = post_nib(apex, payload, keys[code])
        assert response.status_code == 200, response.content
    ids = [item["id_izin"] for item in payload["dataNIB"]["data_checklist"]]
    return office, person, ids


def test_nib_for_two_regencies_through_to_a_signed_permit_reaches_oss_in_order(
        scene, simulator, client_for, trenggalek, blitar):
    from permits.models import Application
    from permits.oss.models import OssFile

    office, person, (id_trenggalek, id_blitar) = scene
    with in_schema(blitar):  # each regency its own application, nothing of the other's
        assert OssFile.objects.filter(id_izin=id_blitar).exists()
        assert not OssFile.objects.filter(id_izin=id_trenggalek).exists()
        assert Application.objects.filter(oss_file__id_izin=id_blitar).count() == 1
    with in_schema(trenggalek):
        assert not OssFile.objects.filter(id_izin=id_blitar).exists()
    application = walk_to_permit(trenggalek, office, person, id_trenggalek, simulator)
    assert statuses(simulator, id_trenggalek) == EXPECTED
    check_permit_reached_oss(simulator, client_for, trenggalek, application, id_trenggalek)
    # the statuses sent carry OSS's identifiers and Lampiran 10 names
    first = next(r["body"]["IZINSTATUS"] for r in simulator.received("receiveLicenseStatus")
                 if r["body"]["IZINSTATUS"]["id_izin"] == id_trenggalek)
    assert first["nama_status"] == "Dokumen Belum Lengkap" and len(first["nib"]) == 13
    drain(blitar)
    assert statuses(simulator, id_blitar) == ["11"]
    health = OssHealth.objects.get(regency=trenggalek)
    assert health.sent == len(EXPECTED) + 1 and health.queue_depth == 0 and health.consecutive_failures == 0


def test_the_same_run_with_oss_down_for_a_while_loses_nothing_and_sends_nothing_twice(
        scene, simulator, client_for, trenggalek):
    from permits.oss.models import OssSend

    office, person, (id_trenggalek, _) = scene

    def outage(step):
        if step == "submitted":
            simulator.stop()  # OSS down from here: the return and the fix are queued, not lost
        if step == "returned":
            assert drain(trenggalek) == 1  # still down: attempts fail and are retried later
            with in_schema(trenggalek):
                assert OssSend.objects.filter(status="pending", attempts__gte=1).exists()
            simulator.start()
        if step == "reviewed":
            simulator.mode("504")  # OSS takes the next change but the answer times out

    application = walk_to_permit(trenggalek, office, person, id_trenggalek, simulator, outage=outage)
    simulator.mode("ok")
    for _ in range(3):
        drain(trenggalek)
    assert statuses(simulator, id_trenggalek) == EXPECTED  # in order, each once
    check_permit_reached_oss(simulator, client_for, trenggalek, application, id_trenggalek)
    health = OssHealth.objects.get(regency=trenggalek)
    assert health.failed_attempts >= 2 and health.queue_depth == 0 and health.last_error
    with in_schema(trenggalek):
        assert not OssSend.objects.exclude(status="sent").exists()
        reconciled = [s for s in OssSend.objects.all() if s.response.get("reconciled") == "checkLicenseStatus"]
        assert reconciled  # the 504'd change was found at OSS, not sent again


def test_a_change_while_oss_answers_500_is_retried_and_later_changes_wait_behind_it(
        scene, simulator, trenggalek):
    from permits.oss.models import OssSend

    office, person, (id_trenggalek, _) = scene
    simulator.mode("500")
    drain(trenggalek)
    with in_schema(trenggalek):
        row = OssSend.objects.get(file__id_izin=id_trenggalek, seq=1)
        assert row.status == "pending" and "HTTP 500" in row.last_error
    assert statuses(simulator, id_trenggalek) == []
    simulator.mode("ok")
    drain(trenggalek)
    assert statuses(simulator, id_trenggalek) == ["11"]
    assert json.dumps(OssHealth.objects.get(regency=trenggalek).last_error).count("500") >= 1
