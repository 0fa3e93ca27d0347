"""Messages on the regency's fair-use meter (issue #7): each send counted once on its channel, a failed
attempt not at all; at 100 % of the SMS quota the message goes by e-mail, and administrators see it."""
from __future__ import annotations

import pytest
from django.core import mail

from billing_free.models import QuotaAlert, UsageMeter
from billing_free.services.metering import month_of, quota_set, sms_allowed
from pintu.access.models import Role
from pintu.notify.models import OutboxMessage
from pintu.notify.services import _announce_sent, gateway_save, notify, outbox_send
from tests.factories import submitted_application
from tests.notify.helpers import GatewayServer


@pytest.fixture(autouse=True)
def _fresh_meter_state(db):
    """Meters start empty (inside the test's transaction: browser and worker tests commit sends)."""
    from billing_free.services import metering

    UsageMeter.objects.all().delete()
    QuotaAlert.objects.all().delete()
    metering._alerted.clear()
    metering._limits.clear()
    yield
    metering._alerted.clear()
    metering._limits.clear()


def meters(regency) -> dict[str, int]:
    return dict(UsageMeter.objects.filter(regency=regency, month=month_of(regency), metric__in=["emails", "sms",
                                                                                                 "whatsapp"])
                .values_list("metric", "value"))


def send_all(application) -> list[str]:
    return [outbox_send(message_id=pk) for pk in OutboxMessage.objects.filter(application_id=application.pk)
            .order_by("channel").values_list("pk", flat=True)]


def test_each_sent_message_counts_once_on_its_channels_meter(office, texting_applicant, trenggalek, blitar):
    with GatewayServer() as server:
        gateway_save(channel="sms", url=server.url, actor=None)
        first = submitted_application(office, texting_applicant)
        assert meters(trenggalek) == {}  # written, not yet sent: nothing counted
        assert send_all(first) == ["sent", "sent"]
        assert meters(trenggalek) == {"emails": 1, "sms": 1}
        # The task redelivered, or the sent message announced again: counted once all the same.
        assert send_all(first) == ["already-sent", "already-sent"]
        for row in OutboxMessage.objects.filter(application_id=first.pk):
            _announce_sent(row)
        second = submitted_application(office, texting_applicant)
        send_all(second)
    assert len(server.received) == 2 and len(mail.outbox) == 2
    assert meters(trenggalek) == {"emails": 2, "sms": 2}
    assert meters(blitar) == {}


def test_a_failed_attempt_is_not_counted_its_successful_retry_is_once(office, texting_applicant, trenggalek,
                                                                      settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    with GatewayServer(status=503) as down:
        gateway_save(channel="sms", url=down.url, actor=None)
        application = submitted_application(office, texting_applicant)
        sms = OutboxMessage.objects.get(application_id=application.pk, channel="sms")
        assert outbox_send(message_id=sms.pk) == "retry"
    assert len(down.received) == 1 and "sms" not in meters(trenggalek)
    with GatewayServer() as up:
        gateway_save(channel="sms", url=up.url, actor=None)
        assert outbox_send(message_id=sms.pk) == "sent"
        assert outbox_send(message_id=sms.pk) == "already-sent"
    assert meters(trenggalek)["sms"] == 1


def test_at_100_percent_of_the_sms_quota_the_applicant_is_told_by_email_and_admins_see_it(
        office, texting_applicant, trenggalek, blitar, ministry_admin, client_for, officer):
    quota_set(actor=ministry_admin, regency=trenggalek, metric="sms", limit=2)
    with GatewayServer() as server:
        gateway_save(channel="sms", url=server.url, actor=None)
        for _ in range(2):
            send_all(submitted_application(office, texting_applicant))
        assert meters(trenggalek) == {"emails": 2, "sms": 2} and not sms_allowed(trenggalek)
        third = submitted_application(office, texting_applicant)
        [row] = OutboxMessage.objects.filter(application_id=third.pk)
        assert (row.channel, row.recipient, row.fallback_from) == ("email", texting_applicant.email, "sms")
        assert send_all(third) == ["sent"]
        # Someone with no e-mail address (a counter applicant) still gets the SMS: nobody is left uninformed.
        [walk_in] = notify(key="counter:1:submitted", event="submitted", values={"nama": "Pak Darto"},
                           phone="085700001111", name="Pak Darto")
        assert (walk_in.channel, walk_in.fallback_from) == ("sms", "")
        assert outbox_send(message_id=walk_in.pk) == "sent"
    assert len(server.received) == 3 and server.received[-1]["to"] == "085700001111"
    assert meters(trenggalek) == {"emails": 3, "sms": 3}
    assert sms_allowed(blitar)  # another regency's quota is its own

    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    settings_page = client_for(trenggalek, admin).get("/pengaturan/notifikasi/").content.decode()
    assert 'id="text-held"' in settings_page and "Kuota bulan ini habis untuk SMS." in settings_page
    outbox = client_for(trenggalek, admin).get("/pengaturan/notifikasi/pesan/?tampil=semua").content.decode()
    assert "pengganti SMS (kuota habis)" in outbox
    statement = client_for(trenggalek, admin).get("/pemakaian/").content.decode()
    assert "Melampaui kuota — dialihkan ke email" in statement.split('data-metric="sms"')[1].split("</tr>")[0]
    overview = client_for(None, ministry_admin).get("/kementerian/pemakaian/").content.decode()
    row = overview.split(f'data-regency="{trenggalek.code}"')[1].split("</tr>")[0]
    assert "SMS terkirim (150,0%, dialihkan ke email)" in row
    with_quota_left = client_for(blitar, officer(blitar, Role.REGENCY_ADMIN)).get("/pengaturan/notifikasi/")
    assert 'id="text-held"' not in with_quota_left.content.decode()


def test_sms_quota_warning_at_80_percent_comes_once(office, texting_applicant, trenggalek, ministry_admin,
                                                   eager_celery, django_capture_on_commit_callbacks):
    quota_set(actor=ministry_admin, regency=trenggalek, metric="sms", limit=5)
    with GatewayServer() as server:
        gateway_save(channel="sms", url=server.url, actor=None)
        for _ in range(5):
            application = submitted_application(office, texting_applicant)
            sms = OutboxMessage.objects.get(application_id=application.pk, channel="sms")
            with django_capture_on_commit_callbacks(execute=True):
                assert outbox_send(message_id=sms.pk) == "sent"
    assert len(server.received) == 5
    alerts = QuotaAlert.objects.filter(regency=trenggalek, metric="sms").order_by("pk")
    assert [(a.level, a.used) for a in alerts] == [("warning", 4), ("over", 5)]
    warnings = [m for m in mail.outbox if "80% kuota" in m.subject]
    assert len(warnings) == 1 and warnings[0].to == ["admin@trenggalek.localhost"]
    assert "SMS terkirim" in warnings[0].subject and "4 dari kuota 5" in warnings[0].body
