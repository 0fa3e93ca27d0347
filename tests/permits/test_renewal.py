"""Renewal from the permit, expiry reminders at the configured lead times, revocation told to the holder."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from permits.models.applications import Application, Permit
from permits.regency import regency_today
from permits.services.applications import requirements_for
from permits.services.renewal import PermitNotRenewable, expiry_reminders_send, permit_renew_start
from pintu.notify.models import OutboxMessage
from pintu.notify.services import expiry_lead_days_set
from tests.factories import submitted_application
from tests.notify.helpers import issue


def _ending_in(permit, days: int) -> Permit:
    Permit.objects.filter(pk=permit.pk).update(valid_until=regency_today() + dt.timedelta(days=days))
    permit.refresh_from_db()
    return permit


@pytest.fixture
def permit(office, applicant):
    return issue(office, submitted_application(office, applicant))


def test_renewal_carries_the_old_permit_and_the_form_and_asks_renewal_requirements(office, applicant, permit):
    _ending_in(permit, 30)
    renewal = permit_renew_start(permit=permit, applicant=applicant)
    assert renewal.kind == "renewal" and renewal.renewal_of_id == permit.pk and renewal.status == "draft"
    assert renewal.form_data == permit.application.form_data
    documents = {d.requirement.name: d for d in renewal.documents.filter(is_current=True)}
    attached = documents.pop("Izin lama")
    assert attached.key == permit.pdf_key
    assert attached.sha256 == permit.sha256 and attached.review == "accepted"
    # the earlier requirement files come along (same stored objects), to be checked again
    earlier = {d.requirement.name: d for d in permit.application.documents.filter(is_current=True)}
    assert set(documents) == {"KTP", "STR Fisioterapis"}
    assert all(documents[n].key == earlier[n].key and documents[n].review == "pending" for n in documents)
    assert {r.name for r in requirements_for(renewal)} == {"KTP", "STR Fisioterapis", "Izin lama"}
    # Starting again returns the same draft.
    assert permit_renew_start(permit=permit, applicant=applicant).pk == renewal.pk


def test_renewal_refused_outside_the_window_or_for_someone_else(office, applicant, permit):
    from tests.factories import UserFactory

    with pytest.raises(PermitNotRenewable) as exc:
        permit_renew_start(permit=permit, applicant=applicant)  # five years left
    assert "mulai" in exc.value.message
    _ending_in(permit, 30)
    with pytest.raises(PermitNotRenewable):
        permit_renew_start(permit=permit, applicant=UserFactory())
    _ending_in(permit, -1)
    with pytest.raises(PermitNotRenewable) as exc:
        permit_renew_start(permit=permit, applicant=applicant)
    assert "permohonan izin baru" in exc.value.message


def test_renew_button_on_the_applicants_page_starts_the_renewal(office, applicant, permit, client_for, trenggalek):
    client = client_for(trenggalek, applicant)
    url = f"/permohonan/{permit.application_id}/"
    assert "Perpanjang izin" not in client.get(url).content.decode()
    _ending_in(permit, 20)
    assert "Perpanjang izin" in client.get(url).content.decode()
    response = client.post(f"/permohonan/{permit.application_id}/perpanjang/")
    renewal = Application.objects.get(renewal_of=permit)
    assert response.status_code == 302 and response["Location"] == f"/permohonan/{renewal.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Izin lama" in page and f"Izin {permit.number}.pdf" in page


def test_expiry_reminders_at_each_configured_lead_time_once(office, applicant, permit):
    expiry_lead_days_set(days=[60, 14], actor=None)
    now = timezone.now()

    def expiring():
        return list(OutboxMessage.objects.filter(application_id=permit.application_id, event="expiring")
                    .order_by("pk").values_list("key", flat=True))

    _ending_in(permit, 61)
    assert expiry_reminders_send(now=now) == 0
    _ending_in(permit, 60)
    assert expiry_reminders_send(now=now) == 1
    assert expiry_reminders_send(now=now) == 0
    _ending_in(permit, 20)
    assert expiry_reminders_send(now=now) == 0
    _ending_in(permit, 14)
    expiry_reminders_send(now=now)
    expiry_reminders_send(now=now)
    assert expiring() == [f"permit{permit.pk}:expiring:60d:email", f"permit{permit.pk}:expiring:14d:email"]
    body = OutboxMessage.objects.get(key=f"permit{permit.pk}:expiring:14d:email").body
    assert permit.number in body and "14 hari lagi" in body


def test_a_permit_first_seen_late_gets_only_the_nearest_reminder(office, applicant, permit):
    expiry_lead_days_set(days=[60, 14], actor=None)
    _ending_in(permit, 10)
    assert expiry_reminders_send() == 1
    _ending_in(permit, 9)
    assert expiry_reminders_send() == 0
    assert OutboxMessage.objects.filter(application_id=permit.application_id, event="expiring").count() == 1


def test_revocation_tells_the_holder(office, applicant, permit):
    from permits.services.issuance import permit_revoke

    permit_revoke(permit=permit, actor=office.signer, reason="Izin dipindahtangankan.")
    [row] = OutboxMessage.objects.filter(application_id=permit.application_id, event="revoked")
    assert row.recipient == applicant.email and "Izin dipindahtangankan." in row.body
    assert permit.number in row.subject
