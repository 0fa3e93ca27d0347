"""The administrator's OSS page (codes seen, mapping, key) and the ministry's OSS console with its alert."""
from __future__ import annotations

import pytest

from pintu.identity.models import MinistryRole
from pintu.identity.services import ministry_role_grant
from tests.factories import UserFactory, in_schema, oss_office
from tests.oss.test_receive_nib import payload
from tests.services import post_nib

KD = "033000000101"


@pytest.fixture
def admin_client(trenggalek, officer, client_for):
    return client_for(trenggalek, officer(trenggalek, "regency_admin"))


def test_admin_sees_unmapped_codes_maps_one_and_the_next_call_is_accepted(apex, keys, trenggalek, admin_client):
    office = oss_office(trenggalek, KD)
    body = payload(seed=31, daerah=("3503000000",), kd="044000000777")
    assert post_nib(apex, body, keys["3503"]).status_code == 400
    page = admin_client.get("/pengaturan/oss/").content.decode()
    assert "044000000777" in page and "belum dipetakan" in page
    assert "044000000777 belum dipetakan" in page  # the refused call and its reason are listed
    response = admin_client.post("/pengaturan/oss/", {"action": "map", "kd_izin": "044000000777",
                                                       "permit_type": office.permit_type.code})
    assert response.status_code == 302
    assert post_nib(apex, body, keys["3503"]).status_code == 200


def test_admin_rotates_the_key_shown_once_and_only_an_admin_may(apex, keys, trenggalek, admin_client, officer,
                                                               client_for):
    oss_office(trenggalek, KD)
    page = admin_client.post("/pengaturan/oss/", {"action": "rotate"}).content.decode()
    new_key = page.split('<code id="new-key">')[1].split("</code>")[0]
    assert post_nib(apex, payload(seed=32, daerah=("3503000000",), kd=KD), keys["3503"]).status_code == 401
    assert post_nib(apex, payload(seed=32, daerah=("3503000000",), kd=KD), new_key).status_code == 200
    assert new_key not in admin_client.get("/pengaturan/oss/").content.decode()
    verifier = client_for(trenggalek, officer(trenggalek, "verifier"))
    assert verifier.post("/pengaturan/oss/", {"action": "rotate"}).status_code == 403


def test_ministry_console_shows_figures_and_alerts_when_sends_keep_failing(simulator, apex, keys, trenggalek, blitar,
                                                                           client_for, settings):
    from permits.oss.reporting import oss_sweep

    settings.OSS_RETRY_BASE_SECONDS = 0
    settings.OSS_ALERT_CONSECUTIVE_FAILURES = 3
    oss_office(trenggalek, KD)
    assert post_nib(apex, payload(seed=33, daerah=("3503000000",)), keys["3503"]).status_code == 200
    simulator.mode("500")
    with in_schema(trenggalek):
        for _ in range(3):
            oss_sweep(send=True)
    staff = UserFactory()
    ministry_role_grant(user=staff, role=MinistryRole.Role.ADMINISTRATOR)
    console = client_for(None, staff)
    overview = console.get("/kementerian/oss/").content.decode()
    assert "Peringatan" in overview and "Trenggalek" in overview and "HTTP 500" in overview
    detail = console.get("/kementerian/oss/3503/").content.decode()
    assert '<dd id="files-received">1</dd>' in detail and '<dd id="queue">1</dd>' in detail
    assert "HTTP 500 dari OSS" in detail
    simulator.mode("ok")
    with in_schema(trenggalek):
        oss_sweep(send=True)
    overview = console.get("/kementerian/oss/").content.decode()
    assert "Peringatan" not in overview
    assert '<dd id="sent">1</dd>' in console.get("/kementerian/oss/3503/").content.decode()
    assert client_for(None, UserFactory()).get("/kementerian/oss/").status_code == 403
