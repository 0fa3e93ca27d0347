"""Through the real broker and a real Celery worker: one message per chosen channel per event, exactly
once even when the worker is killed in the middle of sending; the sweeper sends what was never queued."""
from __future__ import annotations

import os
import signal
import time
import uuid

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from permits.models.applications import StepTask
from permits.services.catalog import permit_type_update
from pintu.notify.models import OutboxMessage
from pintu.notify.services import gateway_save, preference_set
from pintu.notify.tasks import outbox_send_task, outbox_sweep_all
from tests.factories import UserFactory, office_build, submitted_application, upload
from tests.notify.helpers import GatewayServer, issue
from tests.services import celery_worker, sleep_until

pytestmark = pytest.mark.slow


@pytest.fixture
def committed(django_db_setup, django_db_blocker, database_restored):
    """The worker is another process: it must see committed rows."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def queue(settings):
    name = f"test-notify-{uuid.uuid4().hex[:8]}"
    settings.NOTIFY_QUEUE = name
    return name


def _office():
    office = office_build()
    # Committed rows stay for the session: a number format of its own keeps other tests' numbers free.
    permit_type_update(permit_type=office.permit_type,
                       number_format="503/{seq:04d}/N" + uuid.uuid4().hex[:5].upper() + "/DPM-PTSP/{year}")
    return office


def _texting_applicant():
    person = UserFactory(phone="081298765432", email=f"pemohon-{uuid.uuid4().hex[:6]}@contoh.id")
    preference_set(user=person, wants_sms=True, wants_whatsapp=False)
    return person


def _wait(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def _mail_messages(mail_dir) -> list[str]:
    if not mail_dir.exists():
        return []
    text = "\n".join(p.read_text() for p in sorted(mail_dir.iterdir()))
    return [chunk for chunk in text.split("-" * 79) if "X-Pintu-Message:" in chunk]


def _message_meters() -> dict[str, int]:
    from billing_free.models import UsageMeter
    from billing_free.services.metering import month_of
    from tenants.models import Regency

    regency = Regency.objects.get(schema_name="trenggalek")
    values = dict(UsageMeter.objects.filter(regency=regency, month=month_of(regency)).values_list("metric", "value"))
    return {metric: values.get(metric, 0) for metric in ("emails", "sms")}


def test_each_event_sends_one_message_per_chosen_channel(committed, shared_worker):
    from permits.services.applications import application_document_upload, application_resubmit
    from permits.services.issuance import permit_revoke
    from permits.services.processing import application_return, document_review

    mail_dir = shared_worker.mail_dir
    meters_before = _message_meters()
    with GatewayServer() as sms:
        with schema_context("trenggalek"):
            gateway_save(channel="sms", url=sms.url, token="tok", actor=None)
            office, person = _office(), _texting_applicant()
            application = submitted_application(office, person)
            [check] = StepTask.objects.filter(application=application, status="open")
            document_review(document=application.documents.get(requirement=office.requirements[0]),
                            officer=office.front_office, accepted=False, reason="KTP buram")
            application_return(task=check, officer=office.front_office)
            application_document_upload(application=application, requirement=office.requirements[0],
                                        file=upload(), actor=person)
            application_resubmit(application=application, actor=person)
            permit = issue(office, application)
            permit_revoke(permit=permit, actor=office.signer, reason="Dicabut atas permintaan pemegang.")
            rows = OutboxMessage.objects.filter(application_id=application.pk)
            _wait(lambda: rows.count() == 10 and not rows.exclude(status="sent").exists())
            assert sorted(rows.values_list("event", "channel")) == sorted(
                (e, c) for e in ("submitted", "returned", "review_scheduled", "issued", "revoked")
                for c in ("email", "sms"))
            assert set(rows.values_list("attempts", flat=True)) == {1}
            keys = set(rows.filter(channel="sms").values_list("key", flat=True))
    assert sorted(m["_key"] for m in sms.received) == sorted(keys)  # one SMS per event, none twice
    assert all(m["to"] == "081298765432" for m in sms.received)
    emails = [m for m in _mail_messages(mail_dir) if person.email in m]
    assert len(emails) == 5
    issued = next(m for m in emails if "Izin Anda terbit" in m)
    assert permit.number in issued and f"/permohonan/{application.pk}/izin.pdf" in issued
    # The regency's fair-use meter counted each message the worker sent, once (issue #7).
    after = _message_meters()
    assert {metric: after[metric] - meters_before[metric] for metric in after} == {"emails": 5, "sms": 5}


def test_worker_killed_mid_send_and_restarted_delivers_exactly_once(committed, queue, tmp_path):
    mail_dir = tmp_path / "mail"
    env = dict(CELERY_TASK_DEFAULT_QUEUE=queue, NOTIFY_SEND_LEASE_SECONDS="3",
               EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(mail_dir))
    with GatewayServer(delay=6) as sms:
        with schema_context("trenggalek"):
            gateway_save(channel="sms", url=sms.url, actor=None)
            office, person = _office(), _texting_applicant()
        with celery_worker(queue=queue, log_path=tmp_path / "worker1.log", **env) as worker:
            with schema_context("trenggalek"):
                application = submitted_application(office, person)
            assert sms.first_request.wait(60), "the SMS never reached the gateway"
            os.kill(worker.pid, signal.SIGKILL)  # in the middle of the provider's answer
            worker.wait(10)
        with schema_context("trenggalek"):
            row = OutboxMessage.objects.get(application_id=application.pk, channel="sms")
            assert row.status == "sending"
        sleep_until(row.lease_until)  # the dead sender's lease runs out
        with celery_worker(queue=queue, log_path=tmp_path / "worker2.log", **env):
            with schema_context("trenggalek"):
                # The task is retried (as the broker redelivers it) and the sweeper runs: neither sends again.
                assert outbox_send_task.apply_async(args=[row.pk], queue=queue).get(timeout=60) == "uncertain"
                assert outbox_send_task.apply_async(args=[row.pk], queue=queue).get(timeout=60) == "uncertain"
                outbox_sweep_all.apply_async(queue=queue).get(timeout=60)
                time.sleep(2)
                row.refresh_from_db()
                email = OutboxMessage.objects.get(application_id=application.pk, channel="email")
                _wait(lambda: OutboxMessage.objects.get(pk=email.pk).status == "sent")
        # (the second worker has stopped, after finishing what it ran: nothing can reach the gateway now)
    assert [m["_key"] for m in sms.received] == [row.key]  # delivered exactly once
    assert row.status == "uncertain" and row.attempts == 1 and "Tidak dikirim ulang" in row.last_error
    assert len([m for m in _mail_messages(mail_dir) if person.email in m]) == 1


def test_messages_never_queued_are_sent_by_the_sweeper(committed, shared_worker):
    """A broker outage at commit time: the row exists, no task was queued; the periodic sweep sends it."""
    mail_dir, queue = shared_worker.mail_dir, shared_worker.queue
    recipient = f"tertunda-{uuid.uuid4().hex[:6]}@contoh.id"  # the worker's mail folder is the module's
    with schema_context("trenggalek"):
        row = OutboxMessage.objects.create(
            key=f"manual-{uuid.uuid4().hex}:email", event="submitted", channel="email",
            recipient=recipient, subject="Pesan tertunda", body="Tidak masuk antrean saat dibuat.",
            next_attempt_at=timezone.now(), created_at=timezone.now())
    assert outbox_sweep_all.apply_async(queue=queue).get(timeout=60) >= 2
    with schema_context("trenggalek"):
        _wait(lambda: OutboxMessage.objects.get(pk=row.pk).status == "sent")
    assert len([m for m in _mail_messages(mail_dir) if recipient in m]) == 1
