"""Issue #14.2: walk-ins with only a phone: the counter is warned when no SMS gateway would reach them,
and the SMS links to public tracking with the tracking code, not to an account page."""
import pytest
from django_tenants.utils import schema_context

from permits.models.applications import Application
from pintu.notify.models import OutboxMessage
from pintu.notify.services import gateway_save, outbox_send
from tests.factories import UserFactory
from tests.notify.helpers import GatewayServer
from tests.permits.views.test_counter_pages import NIK, built, scan_in_and_submit, start  # noqa: F401 - fixture


def _walk_in_submitted(client, built, *, applicant_email: str = "") -> tuple[str, Application]:  # noqa: F811
    """Pak Darmo started, scanned in and submitted at the counter: his counter page and his application."""
    url = start(client, built, applicant_email=applicant_email)["Location"]
    scan_in_and_submit(client, built, url)
    with schema_context("trenggalek"):
        return url, Application.objects.get(applicant_name="Pak Darmo")


def test_the_counter_is_warned_when_no_sms_gateway_reaches_a_phone_only_walk_in(built, trenggalek,  # noqa: F811
                                                                                client_for):
    client = client_for(trenggalek, built.front_office)
    url = start(client, built, applicant_email="")["Location"]
    assert 'id="no-sms-gateway"' in client.get(url).content.decode()
    with_email = start(client, built, applicant_name="Bu Sri", applicant_email="sri@contoh.id")["Location"]
    assert 'id="no-sms-gateway"' not in client.get(with_email).content.decode()
    with schema_context("trenggalek"):
        gateway_save(channel="sms", url="http://127.0.0.1:9/send", token="t", actor=None)
    assert 'id="no-sms-gateway"' not in client.get(url).content.decode()


def test_the_sms_links_to_public_tracking_with_the_tracking_code(built, trenggalek, client_for):  # noqa: F811
    with schema_context("trenggalek"):
        gateway_save(channel="sms", url="http://127.0.0.1:9/send", token="t", actor=None)
    client = client_for(trenggalek, built.front_office)
    _url, application = _walk_in_submitted(client, built)
    with schema_context("trenggalek"):
        sms = OutboxMessage.objects.get(application_id=application.pk, event="submitted", channel="sms")
    assert sms.recipient == "081234567890"
    assert f"/lacak/?nomor={application.registration_number}&kode={application.tracking_code}" in sms.body
    assert f"/permohonan/{application.pk}/" not in sms.body
    # the link works without an account
    tracked = client_for(trenggalek).get("/lacak/", {"nomor": application.registration_number,
                                                     "kode": application.tracking_code})
    assert tracked.status_code == 200 and application.registration_number in tracked.content.decode()


# --- what happens to the SMS without a gateway, and when the gateway fails (real HTTP server) -----------


def _sms_spent(application, *, now=None) -> OutboxMessage:
    """Send the walk-in's 'submitted' SMS until the outbox gives up (NOTIFY_MAX_ATTEMPTS)."""
    sms = OutboxMessage.objects.get(application_id=application.pk, event="submitted", channel="sms")
    result = ""
    while result != "failed":
        sms.refresh_from_db()
        result = outbox_send(message_id=sms.pk, now=sms.next_attempt_at)
        assert result in ("retry", "failed")
    sms.refresh_from_db()
    return sms


def test_without_a_gateway_the_sms_is_still_recorded_and_waits_in_the_outbox(built, trenggalek,  # noqa: F811
                                                                            client_for):
    client = client_for(trenggalek, built.front_office)
    _url, application = _walk_in_submitted(client, built)
    with schema_context("trenggalek"):
        sms = OutboxMessage.objects.get(application_id=application.pk, event="submitted")
        assert (sms.channel, sms.recipient, sms.status) == ("sms", "081234567890", "pending")
        assert f"kode={application.tracking_code}" in sms.body
        assert outbox_send(message_id=sms.pk) == "retry"
        sms.refresh_from_db()
        assert "Tidak ada gateway SMS yang aktif" in sms.last_error
        # once a gateway is configured the administrator's resend delivers it
        with GatewayServer() as server:
            gateway_save(channel="sms", url=server.url, token="t", actor=None)
            from pintu.notify.services import outbox_retry

            outbox_retry(message=sms, actor=None)
            assert outbox_send(message_id=sms.pk) == "sent"
        assert server.received[0]["to"] == "081234567890" and application.tracking_code in server.received[0]["message"]


@pytest.fixture
def failing_gateway(trenggalek, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    with GatewayServer(status=500) as server:
        with schema_context("trenggalek"):
            gateway_save(channel="sms", url=server.url, token="t", actor=None)
        yield server


def test_a_failing_gateway_falls_back_to_the_email_the_walk_in_has_since_and_the_office_sees_it(
        built, trenggalek, client_for, failing_gateway, mailoutbox, officer):  # noqa: F811
    from pintu.access.models import Role

    client = client_for(trenggalek, built.front_office)
    url, application = _walk_in_submitted(client, built)
    darmo = UserFactory(email="darmo@contoh.id", full_name="Pak Darmo", nik=NIK)
    client.post(f"{url}serahkan/", {"email": darmo.email})  # handed over to his account before the SMS gave up
    with schema_context("trenggalek"):
        sms = _sms_spent(application)
        assert len(failing_gateway.received) == 2  # the outbox's retries reached the real server
        assert sms.status == "failed" and "HTTP 500" in sms.last_error and "Dialihkan ke email darmo@contoh.id" \
            in sms.last_error
        email = OutboxMessage.objects.get(application_id=application.pk, event="submitted", channel="email")
        assert (email.recipient, email.fallback_from, email.fallback_reason) == ("darmo@contoh.id", "sms",
                                                                                 "gateway_failed")
        assert f"kode={application.tracking_code}" in email.body and "SMS ke 081234567890" in email.body
        mailoutbox.clear()
        assert outbox_send(message_id=email.pk) == "sent"
        # a second failure report never writes a second e-mail
        assert OutboxMessage.objects.filter(application_id=application.pk, event="submitted").count() == 2
    assert [m.to for m in mailoutbox] == [["darmo@contoh.id"]]
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    outbox = client_for(trenggalek, admin).get("/pengaturan/notifikasi/pesan/", {"tampil": "semua"}).content.decode()
    assert "pengganti SMS (gateway gagal)" in outbox and "Dialihkan ke email darmo@contoh.id" in outbox
    counter = client.get(url).content.decode()
    assert 'id="text-failed"' in counter and "HTTP 500" in counter


def test_a_failing_gateway_for_a_walk_in_with_an_email_sends_nothing_twice(built, trenggalek, client_for,  # noqa: F811
                                                                           failing_gateway):
    client = client_for(trenggalek, built.front_office)
    _url, application = _walk_in_submitted(client, built, applicant_email="darmo@contoh.id")
    with schema_context("trenggalek"):
        sms = _sms_spent(application)
        assert "Pemohon menerima pesan ini lewat email (darmo@contoh.id" in sms.last_error
        assert OutboxMessage.objects.filter(application_id=application.pk, event="submitted",
                                            channel="email").count() == 1


def test_a_gateway_that_times_out_leaves_a_phone_only_walk_in_flagged_at_the_counter(built, trenggalek,  # noqa: F811
                                                                                     client_for, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    with GatewayServer(delay=2.5) as server:
        with schema_context("trenggalek"):
            gateway_save(channel="sms", url=server.url, token="t", timeout_seconds=1, actor=None)
        client = client_for(trenggalek, built.front_office)
        url, application = _walk_in_submitted(client, built)
        with schema_context("trenggalek"):
            sms = _sms_spent(application)
    assert "tidak dapat dihubungi" in sms.last_error and "tidak memiliki email" in sms.last_error
    with schema_context("trenggalek"):
        assert not OutboxMessage.objects.filter(application_id=application.pk, channel="email").exists()
    counter = client.get(url).content.decode()
    assert 'id="text-failed"' in counter and "tidak memiliki email" in counter
