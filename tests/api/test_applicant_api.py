"""The applicant's API: my files and permits in every regency and my profile on the apex; on a regency,
renewal of my permit and my notification inbox. Nobody reaches another person's rows or another host's."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.factories import UserFactory


@pytest.fixture
def issued(trenggalek, trenggalek_office, applicant):
    """An issued permit of `applicant` in Trenggalek, ending in 30 days (inside the renewal window)."""
    from permits.models.applications import Permit
    from permits.regency import regency_today
    from tests.factories import submitted_application
    from tests.notify.helpers import issue
    with schema_context(trenggalek.schema_name):
        office = trenggalek_office
        permit = issue(office, submitted_application(office, applicant))
        Permit.objects.filter(pk=permit.pk).update(valid_until=regency_today() + dt.timedelta(days=30))
        permit.refresh_from_db()
    return permit


def test_my_applications_and_permits_are_mine_only_and_on_the_apex_only(api, applicant, issued, trenggalek):
    mine = api(None, applicant).get("/api/v1/me/applications/")
    assert mine.status_code == 200
    [entry] = mine.json()
    assert entry["regency"] == "3503" and entry["application_id"] == issued.application_id
    assert entry["url"].endswith(f"/permohonan/{issued.application_id}/") and "trenggalek." in entry["url"]
    [permit] = api(None, applicant).get("/api/v1/me/permits/").json()
    assert permit["verification_code"] == issued.verification_code and permit["permit_number"]
    # Another person sees nothing of it; nobody signed in is refused; a regency host has no such route.
    assert api(None, UserFactory()).get("/api/v1/me/applications/").json() == []
    assert api(None, UserFactory()).get("/api/v1/me/permits/").json() == []
    assert api(None).get("/api/v1/me/applications/").status_code in (401, 403)
    assert api(trenggalek, applicant).get("/api/v1/me/applications/").status_code == 404


def test_my_profile_is_read_and_changed_through_the_portal_service(api, applicant, trenggalek):
    client = api(None, applicant)
    assert client.get("/api/v1/me/profile/").json()["email"] == applicant.email
    bad = client.patch("/api/v1/me/profile/", {"nik": "1234"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] and bad.json()["message"]
    changed = client.patch("/api/v1/me/profile/", {"nib": "1234567890123", "phone": "081234567890"},
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["nib"] == "1234567890123"
    assert client.get("/api/v1/me/profile/").json()["phone"] == "081234567890"
    assert api(None).patch("/api/v1/me/profile/", {}, content_type="application/json").status_code in (401, 403)
    assert api(trenggalek, applicant).get("/api/v1/me/profile/").status_code == 404


def test_the_holder_renews_a_permit_on_its_regency_and_nobody_else_can(api, applicant, issued, trenggalek, blitar):
    path = f"/api/v1/applications/{issued.application_id}/renew/"
    assert api(trenggalek, UserFactory()).post(path).status_code == 404
    assert api(trenggalek).post(path).status_code in (401, 403)
    assert api(blitar, applicant).post(path).status_code == 404  # Blitar has no such permit
    response = api(trenggalek, applicant).post(path)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft" and body["kind"] == "renewal"
    assert api(trenggalek, applicant).post(path).json()["id"] == body["id"]  # starting twice: the same draft
    assert api(None, applicant).post(path).status_code == 404  # not on the apex


def test_a_permit_outside_its_window_answers_the_renewal_rule(api, applicant, issued, trenggalek):
    from permits.models.applications import Permit

    with schema_context(trenggalek.schema_name):
        Permit.objects.filter(pk=issued.pk).update(valid_until=issued.valid_until + dt.timedelta(days=3650))
    response = api(trenggalek, applicant).post(f"/api/v1/applications/{issued.application_id}/renew/")
    assert response.status_code >= 400 and response.status_code < 500
    assert response.json()["code"] == "permit_not_renewable"


def _message(regency, user, key: str):
    from pintu.notify.inbox.models import InboxMessage

    return InboxMessage.objects.create(regency=regency, user=user, key=key, event="submitted", subject=f"S {key}",
                                       body="Isi", created_at=timezone.now())


def test_the_inbox_lists_my_messages_of_this_regency_and_marks_them_read(api, applicant, trenggalek, blitar):
    first, second = _message(trenggalek, applicant, "a"), _message(trenggalek, applicant, "b")
    _message(blitar, applicant, "c")
    stranger_message = _message(trenggalek, UserFactory(), "d")
    client = api(trenggalek, applicant)
    listed = client.get("/api/v1/inbox/").json()
    assert listed["count"] == 2 and {m["id"] for m in listed["results"]} == {first.pk, second.pk}
    # Someone else's id is silently not mine: nothing of theirs changes.
    marked = client.post("/api/v1/inbox/read/", {"ids": [first.pk, stranger_message.pk]},
                         content_type="application/json").json()
    assert marked == {"marked": 1, "unread": 1}
    stranger_message.refresh_from_db()
    assert stranger_message.read_at is None
    assert [m["id"] for m in client.get("/api/v1/inbox/", {"unread": 1}).json()["results"]] == [second.pk]
    assert client.post("/api/v1/inbox/read/", {}, content_type="application/json").json() == {"marked": 1, "unread": 0}
    assert api(blitar, applicant).get("/api/v1/inbox/").json()["count"] == 1
    assert api(trenggalek).get("/api/v1/inbox/").status_code in (401, 403)
    assert api(None, applicant).get("/api/v1/inbox/").status_code == 404
    bad = client.post("/api/v1/inbox/read/", {"ids": ["x"]}, content_type="application/json")
    assert bad.status_code == 400
