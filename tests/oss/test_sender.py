"""The OSS sender's edges: a worker killed mid-call, a revoked permit (updateLicense), ordering."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.factories import in_schema, oss_office
from tests.oss.test_receive_nib import payload
from tests.oss.test_reporting_end_to_end import drain, statuses
from tests.services import post_nib

KD = "033000000101"


def test_a_send_left_in_flight_by_a_killed_worker_is_checked_with_oss_not_sent_twice(
        simulator, apex, keys, trenggalek, settings):
    from permits.oss.models import OssSend
    from permits.oss.reporting import oss_send_next

    oss_office(trenggalek, KD)
    body = payload(seed=41, daerah=("3503000000",))
    assert post_nib(apex, body, keys["3503"]).status_code == 200
    id_izin = body["dataNIB"]["data_checklist"][0]["id_izin"]
    drain(trenggalek)
    assert statuses(simulator, id_izin) == ["11"]
    with in_schema(trenggalek):
        row = OssSend.objects.get(file__id_izin=id_izin, seq=1)
        # what a worker killed after OSS received the call but before it wrote "sent" leaves behind
        OssSend.objects.filter(pk=row.pk).update(status="sending", sent_at=None, claim_token="dead",
                                                 lease_until=timezone.now() - dt.timedelta(seconds=1))
        assert oss_send_next(file_id=row.file_id) == "sent"
        row.refresh_from_db()
        assert row.status == "sent" and row.response == {"reconciled": "checkLicenseStatus"}
    assert statuses(simulator, id_izin) == ["11"]  # OSS already had it: not sent again
    with in_schema(trenggalek):  # a row that never reached OSS is sent after the same check
        OssSend.objects.filter(pk=row.pk).update(status="sending", claim_token="dead",
                                                 lease_until=timezone.now() - dt.timedelta(seconds=1))
    simulator.stop()
    simulator.state.write_text("")  # OSS never got it
    simulator.start()
    with in_schema(trenggalek):
        assert oss_send_next(file_id=row.file_id) == "sent"
    assert statuses(simulator, id_izin) == ["11"]


def test_within_its_lease_a_send_is_left_to_its_worker(simulator, apex, keys, trenggalek):
    from permits.oss.models import OssSend
    from permits.oss.reporting import oss_send_next

    oss_office(trenggalek, KD)
    body = payload(seed=42, daerah=("3503000000",))
    post_nib(apex, body, keys["3503"])
    with in_schema(trenggalek):
        row = OssSend.objects.get(file__id_izin=body["dataNIB"]["data_checklist"][0]["id_izin"])
        OssSend.objects.filter(pk=row.pk).update(status="sending", lease_until=timezone.now() + dt.timedelta(minutes=1))
        assert oss_send_next(file_id=row.file_id) == "in-flight"
    assert simulator.received() == []


def test_a_revoked_permit_is_sent_with_update_license(simulator, apex, keys, trenggalek, client_for):
    from permits.oss.models import OssSend
    from permits.services.issuance import permit_revoke
    from tests.factories import UserFactory
    from tests.oss.test_reporting_end_to_end import walk_to_permit

    settings_office = oss_office(trenggalek, KD)
    person = UserFactory(nik="3503015506900044")
    body = payload(seed=43, daerah=("3503000000",), pj_nik=person.nik)
    post_nib(apex, body, keys["3503"])
    id_izin = body["dataNIB"]["data_checklist"][0]["id_izin"]
    application = walk_to_permit(trenggalek, settings_office, person, id_izin, simulator)
    with in_schema(trenggalek):
        application.refresh_from_db()
        permit_revoke(permit=application.permit, actor=settings_office.signer, reason="Lokasi tidak sesuai")
    drain(trenggalek)
    updates = [r["body"]["IZINFINAL"] for r in simulator.received("updateLicense")]
    assert len(updates) == 1 and updates[0]["id_izin"] == id_izin and updates[0]["status_izin"] == "90"
    assert "Lokasi tidak sesuai" in updates[0]["keterangan"]
    with in_schema(trenggalek):
        assert list(OssSend.objects.filter(file__id_izin=id_izin).values_list("method", flat=True))[-2:] == [
            "receiveLicense", "updateLicense"]
