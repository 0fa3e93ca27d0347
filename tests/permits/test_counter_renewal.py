"""Issue #14.3: a counter-only permit type is renewed at the counter, never offered online only to be
refused; a renewal (online or at the counter) carries the earlier application's documents."""
from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from permits.models.applications import Application, Permit
from permits.regency import regency_today
from permits.services.catalog import permit_type_update
from permits.services.renewal import (
    PermitNotRenewable,
    expiry_reminders_send,
    permit_counter_renew_start,
    permit_renew_start,
)
from pintu.audit.models import AuditEntry
from pintu.notify.models import OutboxMessage
from pintu.notify.services import expiry_lead_days_set
from tests.factories import submitted_application
from tests.notify.helpers import issue

NIK = "3503011505900001"


def _ending_in(permit, days: int) -> Permit:
    Permit.objects.filter(pk=permit.pk).update(valid_until=regency_today() + dt.timedelta(days=days))
    permit.refresh_from_db()
    return permit


@pytest.fixture
def holder(applicant):
    applicant.nik = NIK
    applicant.save(update_fields=["nik"])
    return applicant


@pytest.fixture
def counter_only_permit(office, holder):
    """A permit of a type that is then made counter-only (like Trenggalek's reklame), 20 days left."""
    permit = issue(office, submitted_application(office, holder))
    permit_type_update(permit_type=office.permit_type, is_online=False)
    return _ending_in(permit, 20)


def test_a_counter_only_type_is_not_renewed_online_and_says_where_to_go(office, holder, counter_only_permit):
    with pytest.raises(PermitNotRenewable) as exc:
        permit_renew_start(permit=counter_only_permit, applicant=holder)
    assert "dilayani di loket" in exc.value.message and counter_only_permit.number in exc.value.message
    assert not Application.objects.filter(renewal_of=counter_only_permit).exists()


def test_the_permit_page_offers_the_counter_not_the_online_button(office, holder, counter_only_permit,
                                                                   client_for, trenggalek):
    page = client_for(trenggalek, holder).get(f"/permohonan/{counter_only_permit.application_id}/").content.decode()
    assert "Perpanjang izin" not in page and "/perpanjang/" not in page
    assert 'id="renew-at-counter"' in page and "dilayani di loket" in page
    # an online type inside its window still gets the button (the hint is not shown everywhere)
    permit_type_update(permit_type=office.permit_type, is_online=True)
    page = client_for(trenggalek, holder).get(f"/permohonan/{counter_only_permit.application_id}/").content.decode()
    assert "Perpanjang izin" in page and 'id="renew-at-counter"' not in page


def test_the_expiry_reminder_of_a_counter_only_type_sends_the_holder_to_the_counter(office, holder,
                                                                                   counter_only_permit):
    expiry_lead_days_set(days=[60, 14], actor=None)
    assert expiry_reminders_send() == 1
    message = OutboxMessage.objects.get(application_id=counter_only_permit.application_id, event="expiring",
                                        channel="email")
    assert "di loket" in message.body and counter_only_permit.number in message.body
    assert "halaman izin Anda" not in message.body and "{cara_perpanjang}" not in message.body


def test_an_online_types_reminder_still_links_to_the_permit_page(office, holder):
    permit = _ending_in(issue(office, submitted_application(office, holder)), 14)
    expiry_reminders_send()
    body = OutboxMessage.objects.get(application_id=permit.application_id, event="expiring", channel="email").body
    assert "Ajukan perpanjangan dari halaman izin Anda: " in body and f"/permohonan/{permit.application_id}/" in body


def test_counter_renewal_carries_the_form_the_old_permit_and_the_earlier_documents(office, holder,
                                                                                   counter_only_permit):
    renewal = permit_counter_renew_start(permit=counter_only_permit, actor=office.front_office)
    assert (renewal.channel, renewal.kind, renewal.status) == ("counter", "renewal", "draft")
    assert renewal.renewal_of_id == counter_only_permit.pk and renewal.applicant_id == holder.pk
    assert renewal.applicant_nik == NIK and renewal.created_by_id == office.front_office.pk
    assert renewal.form_data == counter_only_permit.application.form_data
    earlier = {d.requirement.name: d for d in counter_only_permit.application.documents.filter(is_current=True)}
    carried = {d.requirement.name: d for d in renewal.documents.filter(is_current=True)}
    assert set(carried) == {"KTP", "STR Fisioterapis", "Izin lama"}
    assert carried["Izin lama"].key == counter_only_permit.pdf_key and carried["Izin lama"].review == "accepted"
    for name in ("KTP", "STR Fisioterapis"):
        assert (carried[name].key, carried[name].sha256, carried[name].size) == \
            (earlier[name].key, earlier[name].sha256, earlier[name].size)
        assert carried[name].review == "pending"  # checked again by the verifier
    entry = AuditEntry.objects.get(action="permit.renew_start", target_id=str(renewal.pk))
    assert entry.actor_id == office.front_office.pk and entry.detail["by"] == "counter"
    # starting twice returns the same draft
    assert permit_counter_renew_start(permit=counter_only_permit, actor=office.front_office).pk == renewal.pk


def test_counter_renewal_refused_outside_the_window_or_after_an_online_start(office, holder):
    permit = issue(office, submitted_application(office, holder))
    with pytest.raises(PermitNotRenewable) as exc:
        permit_counter_renew_start(permit=permit, actor=office.front_office)  # five years left
    assert "mulai" in exc.value.message
    _ending_in(permit, -1)
    with pytest.raises(PermitNotRenewable) as exc:
        permit_counter_renew_start(permit=permit, actor=office.front_office)
    assert "permohonan izin baru" in exc.value.message
    _ending_in(permit, 10)
    online = permit_renew_start(permit=permit, applicant=holder)  # the holder already started online
    with pytest.raises(PermitNotRenewable) as exc:
        permit_counter_renew_start(permit=permit, actor=office.front_office)
    assert exc.value.code == "renewal_started_online"
    assert list(Application.objects.filter(renewal_of=permit)) == [online]


def test_counter_renewal_end_to_end_on_the_counters_pages(office, holder, counter_only_permit, client_for,
                                                          trenggalek, django_assert_max_num_queries):
    client = client_for(trenggalek, office.front_office)
    assert "/loket/perpanjang/" in client.get("/loket/").content.decode()
    # found by number and by NIK; a partial number or another NIK finds nothing
    with django_assert_max_num_queries(12):
        by_number = client.get("/loket/perpanjang/", {"q": counter_only_permit.number}).content.decode()
    assert counter_only_permit.number in by_number and "Mulai perpanjangan" in by_number
    assert counter_only_permit.number in client.get("/loket/perpanjang/", {"q": NIK}).content.decode()
    for miss in (counter_only_permit.number[:6], "3503014505920002"):
        page = client.get("/loket/perpanjang/", {"q": miss}).content.decode()
        assert "Tidak ada izin" in page and "Mulai perpanjangan" not in page

    response = client.post(f"/loket/perpanjang/{counter_only_permit.pk}/")
    renewal = Application.objects.get(renewal_of=counter_only_permit)
    assert response.status_code == 302 and response["Location"] == f"/loket/{renewal.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Perpanjangan dari izin" in page and counter_only_permit.number in page
    assert f"Izin {counter_only_permit.number}.pdf" in page
    # nothing to scan again: the form is pre-filled and every requirement is carried
    done = client.post(f"/loket/{renewal.pk}/", {"submit": "1", **office.form}, follow=True).content.decode()
    renewal.refresh_from_db()
    assert renewal.status == "in_process" and renewal.registration_number in done
    # the search now shows the renewal in process instead of a second start
    again = client.get("/loket/perpanjang/", {"q": counter_only_permit.number}).content.decode()
    assert "Perpanjangan sudah dimulai" in again and "Mulai perpanjangan" not in again
    new_permit = issue(office, renewal)
    assert new_permit.number != counter_only_permit.number and new_permit.application.renewal_of_id == \
        counter_only_permit.pk


def test_the_counter_renewal_pages_are_the_front_offices_only(office, holder, counter_only_permit, client_for,
                                                            trenggalek):
    stranger = client_for(trenggalek, holder)
    assert stranger.get("/loket/perpanjang/", {"q": NIK}).status_code in (302, 403)
    assert stranger.post(f"/loket/perpanjang/{counter_only_permit.pk}/").status_code in (302, 403)
    assert not Application.objects.filter(renewal_of=counter_only_permit).exists()


def test_counter_renewal_asks_the_nik_when_the_earlier_file_has_none(office, applicant, client_for, trenggalek):
    permit = _ending_in(issue(office, submitted_application(office, applicant)), 10)  # account without NIK
    client = client_for(trenggalek, office.front_office)
    assert 'name="applicant_nik"' in client.get("/loket/perpanjang/", {"q": permit.number}).content.decode()
    refused = client.post(f"/loket/perpanjang/{permit.pk}/", follow=True).content.decode()
    assert "NIK" in refused and not Application.objects.filter(renewal_of=permit).exists()
    client.post(f"/loket/perpanjang/{permit.pk}/", {"applicant_nik": NIK})
    assert Application.objects.get(renewal_of=permit).applicant_nik == NIK


def test_another_regencys_permit_is_not_found_at_this_counter(office, holder, counter_only_permit, client_for,
                                                              mataram):
    from pintu.access.models import Role
    from pintu.access.services import membership_grant
    from tests.factories import UserFactory

    clerk = UserFactory()
    with schema_context(mataram.schema_name):
        membership_grant(user=clerk, role=Role.FRONT_OFFICE)
    page = client_for(mataram, clerk).get("/loket/perpanjang/", {"q": counter_only_permit.number}).content.decode()
    assert "Tidak ada izin" in page and "Mulai perpanjangan" not in page and "Sari Pemohon" not in page
    assert client_for(mataram, clerk).post(f"/loket/perpanjang/{counter_only_permit.pk}/").status_code == 404

