"""The outbox: one message per chosen channel per event, at most once, retried with backoff, listed."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from permits.models.applications import StepTask
from permits.services.processing import application_reject, application_return, document_review
from pintu.access.models import Role
from pintu.notify.inbox.models import InboxMessage
from pintu.notify.models import OutboxMessage
from pintu.notify.services import gateway_save, outbox_send, outbox_sweep, template_save
from tests.factories import submitted_application
from tests.notify.helpers import GatewayServer, issue


def test_submission_writes_one_email_and_an_inbox_entry_in_its_own_regency(office, applicant, trenggalek, blitar):
    application = submitted_application(office, applicant)
    [row] = OutboxMessage.objects.filter(application_id=application.pk)
    assert (row.event, row.channel, row.recipient, row.status) == ("submitted", "email", applicant.email, "pending")
    assert row.key == f"app{application.pk}:submitted:{application.events.get(kind='submitted').pk}:email"
    assert application.registration_number in row.subject and application.tracking_code in row.body
    assert f"http://trenggalek.localhost:8000/permohonan/{application.pk}/" in row.body
    [entry] = InboxMessage.objects.filter(user=applicant)
    assert entry.regency_id == trenggalek.pk and entry.subject == row.subject
    with schema_context(blitar.schema_name):
        assert not OutboxMessage.objects.exists()


def test_sms_only_when_chosen_and_a_gateway_is_configured(office, texting_applicant, trenggalek):
    application = submitted_application(office, texting_applicant)
    assert [r.channel for r in OutboxMessage.objects.filter(application_id=application.pk)] == ["email"]
    gateway_save(channel="sms", url="http://127.0.0.1:9/send", token="t", actor=None)
    application = submitted_application(office, texting_applicant)
    rows = OutboxMessage.objects.filter(application_id=application.pk).order_by("channel")
    assert [(r.channel, r.recipient) for r in rows] == [("email", texting_applicant.email), ("sms", "081234567890")]


def test_every_event_of_a_life_cycle_writes_exactly_one_message_per_channel(office, applicant):
    from permits.services.applications import application_document_upload, application_resubmit
    from permits.services.issuance import permit_revoke
    from tests.factories import upload
    application = submitted_application(office, applicant)
    [check] = StepTask.objects.filter(application=application, status="open")
    ktp = application.documents.get(requirement=office.requirements[0])
    document_review(document=ktp, officer=office.front_office, accepted=False, reason="KTP buram")
    application_return(task=check, officer=office.front_office, note="Unggah KTP yang terbaca.")
    application_document_upload(application=application, requirement=office.requirements[0], file=upload(),
                                actor=applicant)
    application_resubmit(application=application, actor=applicant)
    permit = issue(office, application)
    permit_revoke(permit=permit, actor=office.signer, reason="Tempat praktik ditutup.")
    events = list(OutboxMessage.objects.filter(application_id=application.pk).order_by("pk")
                  .values_list("event", "channel"))
    assert events == [("submitted", "email"), ("returned", "email"), ("review_scheduled", "email"),
                      ("issued", "email"), ("revoked", "email")]
    returned = OutboxMessage.objects.get(application_id=application.pk, event="returned")
    assert "KTP: KTP buram" in returned.body and "Unggah KTP yang terbaca." in returned.body
    review = OutboxMessage.objects.get(application_id=application.pk, event="review_scheduled")
    assert "Kajian Dinas Kesehatan; Kajian Satpol PP" in review.body
    issued = OutboxMessage.objects.get(application_id=application.pk, event="issued")
    assert permit.number in issued.body
    assert f"http://trenggalek.localhost:8000/permohonan/{application.pk}/izin.pdf" in issued.body
    assert "Biaya: Gratis — tidak dipungut biaya." in issued.body
    assert "Tempat praktik ditutup." in OutboxMessage.objects.get(application_id=application.pk, event="revoked").body


def test_rejection_is_told_with_its_reason(office, applicant):
    from tests.notify.helpers import to_signing

    application = submitted_application(office, applicant)
    application_reject(task=to_signing(office, application), officer=office.signer,
             reason="Lokasi tidak sesuai tata ruang.")
    row = OutboxMessage.objects.get(application_id=application.pk, event="decided")
    assert "ditolak" in row.body and "Lokasi tidak sesuai tata ruang." in row.body


def test_send_delivers_once_and_a_retried_task_does_nothing(office, texting_applicant):
    with GatewayServer() as server:
        gateway_save(channel="sms", url=server.url, token="rahasia", sender="DPMPTSP", actor=None)
        application = submitted_application(office, texting_applicant)
        rows = OutboxMessage.objects.filter(application_id=application.pk).order_by("channel")
        assert [outbox_send(message_id=r.pk) for r in rows] == ["sent", "sent"]
        assert [outbox_send(message_id=r.pk) for r in rows] == ["already-sent", "already-sent"]
    assert len(server.received) == 1
    sms = server.received[0]
    assert sms["to"] == "081234567890" and sms["_auth"] == "Bearer rahasia" and sms["sender"] == "DPMPTSP"
    assert sms["_key"] == rows.get(channel="sms").key and application.registration_number in sms["message"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [texting_applicant.email]
    assert OutboxMessage.objects.get(pk=rows.get(channel="sms").pk).provider_reference == "msg-1"


def test_failed_sends_back_off_then_fail_and_are_listed_for_the_administrator(
        office, texting_applicant, officer, trenggalek, client_for, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    with GatewayServer(status=503) as server:
        gateway_save(channel="sms", url=server.url, actor=None)
        application = submitted_application(office, texting_applicant)
        row = OutboxMessage.objects.get(application_id=application.pk, channel="sms")
        now = timezone.now()
        assert outbox_send(message_id=row.pk, now=now) == "retry"
        row.refresh_from_db()
        assert row.status == "pending" and row.attempts == 1 and "HTTP 503" in row.last_error
        first_wait = row.next_attempt_at - now
        assert outbox_send(message_id=row.pk, now=now) == "not-due"
        assert outbox_send(message_id=row.pk, now=row.next_attempt_at) == "retry"
        row.refresh_from_db()
        assert row.next_attempt_at - now > first_wait * 1.9  # exponential: the second wait is twice the first
        assert outbox_send(message_id=row.pk, now=row.next_attempt_at) == "failed"
    assert len(server.received) == 3
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    page = client_for(trenggalek, admin).get("/pengaturan/notifikasi/pesan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "081234567890" in html and "HTTP 503" in html and "Gagal (batas percobaan habis)" in html
    assert client_for(trenggalek, texting_applicant).get("/pengaturan/notifikasi/pesan/").status_code == 403
    # The administrator sends it again once the provider is back.
    with GatewayServer() as server:
        gateway_save(channel="sms", url=server.url, actor=None)
        response = client_for(trenggalek, admin).post(f"/pengaturan/notifikasi/pesan/{row.pk}/kirim-ulang/")
        assert response.status_code == 302
        assert outbox_send(message_id=row.pk) == "sent"
    assert len(server.received) == 1


def test_a_sender_that_died_mid_send_is_not_repeated_but_shown_as_uncertain(office, texting_applicant):
    application = submitted_application(office, texting_applicant)
    row = OutboxMessage.objects.get(application_id=application.pk, channel="email")
    OutboxMessage.objects.filter(pk=row.pk).update(status="sending", attempts=1, claim_token="dead",
                                                   lease_until=timezone.now() + dt.timedelta(seconds=60))
    assert outbox_send(message_id=row.pk) == "in-flight"
    assert outbox_sweep() == 0
    assert outbox_send(message_id=row.pk, now=timezone.now() + dt.timedelta(seconds=61)) == "uncertain"
    row.refresh_from_db()
    assert row.status == "uncertain" and "Tidak dikirim ulang otomatis" in row.last_error
    assert len(mail.outbox) == 0


def test_regency_template_overrides_the_default_and_previews_with_sample_data(
        office, applicant, officer, trenggalek, client_for):
    from pintu.notify.errors import TemplateInvalid

    with pytest.raises(TemplateInvalid) as exc:
        template_save(event="submitted", channel="email", subject="x", body="Halo {nama_ibu}", actor=None)
    assert exc.value.detail["fields"]["body"][0]["code"] == "unknown_placeholder"
    admin = officer(trenggalek, Role.REGENCY_ADMIN)
    client = client_for(trenggalek, admin)
    url = "/pengaturan/notifikasi/templat/submitted/email/"
    preview = client.post(url, {"subject": "Terima kasih, {nama}", "body": "No. {nomor_registrasi}", "preview": "1"})
    assert "Terima kasih, Sari Pemohon" in preview.content.decode() and "No. 3503-2026-000123" in preview.content.decode()
    assert client.post(url, {"subject": "Terima kasih, {nama}", "body": "Nomor Anda {nomor_registrasi}.",
                             "save": "1"}).status_code == 302
    assert "milik daerah" in client.get("/pengaturan/notifikasi/").content.decode()
    application = submitted_application(office, applicant)
    row = OutboxMessage.objects.get(application_id=application.pk)
    assert row.subject == f"Terima kasih, {applicant.full_name}"
    assert row.body == f"Nomor Anda {application.registration_number}."


def test_inbox_lists_this_regencys_messages_and_saves_channels(office, applicant, trenggalek, blitar, client_for):
    application = submitted_application(office, applicant)
    client = client_for(trenggalek, applicant)
    page = client.get("/kotak-masuk/").content.decode()
    assert application.registration_number in page
    assert application.registration_number not in client_for(blitar, applicant).get("/kotak-masuk/").content.decode()
    client.post("/kotak-masuk/", {"wants_sms": "1"})
    applicant.notify_preference.refresh_from_db()
    assert applicant.notify_preference.wants_sms and not applicant.notify_preference.wants_whatsapp
