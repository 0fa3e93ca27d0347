"""The broker (a Redis of the test's own) down while an applicant submits through the real web
server: the submission is kept, its notifications wait in the outbox, and once the broker is back
a real worker sends each of them exactly once."""
from __future__ import annotations

import socket
import subprocess
import time
import uuid

import pytest
import requests
from celery import Celery
from django.test import Client
from django_tenants.utils import schema_context

from tests.services import FAULTS, celery_worker, free_port, stop, wait_for, web_server

pytestmark = pytest.mark.slow


# --- the broker down at submission time ------------------------------------------------------------------


def _redis_binary() -> str:
    from pintu.embedded import redis_server_binary

    return redis_server_binary()


def _redis_start(port: int, folder) -> subprocess.Popen:
    folder.mkdir(exist_ok=True)
    process = subprocess.Popen([_redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    wait_for(lambda: _listening(port), 20, "redis")
    return process


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


def _signed_in_session(host: str, port: int, user) -> requests.Session:
    client = Client(HTTP_HOST=host)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value, domain=host)
    return session


def test_broker_down_at_submission_the_submission_is_kept_and_notified_once_it_returns(committed, tmp_path):
    from permits.models.applications import Application
    from permits.services.applications import application_document_upload, application_draft_create
    from permits.services.catalog import permit_type_update
    from pintu.notify.models import OutboxMessage
    from tests.factories import UserFactory, office_build, upload
    broker_port, web_port = free_port(), free_port()
    broker = f"redis://127.0.0.1:{broker_port}/0"
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    env = dict(CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker, CELERY_TASK_DEFAULT_QUEUE=queue,
               EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
               EMAIL_FILE_PATH=str(tmp_path / "mail"))
    person = UserFactory(email=f"broker-{uuid.uuid4().hex[:6]}@contoh.id")
    with schema_context("trenggalek"):
        office = office_build()
        permit_type_update(permit_type=office.permit_type,
                           number_format="503/{seq:04d}/F" + uuid.uuid4().hex[:5].upper() + "/DPM-PTSP/{year}")
        application = application_draft_create(permit_type=office.permit_type, applicant=person)
        from permits.services.applications import application_form_save

        application_form_save(application=application, data=office.form, actor=person)
        for requirement in office.requirements[:2]:
            application_document_upload(application=application, requirement=requirement, file=upload(),
                                        actor=person)

    redis = _redis_start(broker_port, tmp_path / "redis")
    try:
        with web_server(port=web_port, log_path=tmp_path / "web.log", **env):
            stop(redis)  # the broker goes away before the applicant presses "Ajukan"
            FAULTS["injected"] += 1
            host = "trenggalek.localhost"
            session = _signed_in_session(host, web_port, person)
            url = f"http://127.0.0.1:{web_port}/permohonan/{application.pk}/"
            page = session.get(url, headers={"Host": host}, timeout=60)
            assert page.status_code == 200
            token = session.cookies.get("csrftoken")
            started = time.monotonic()
            submitted = session.post(url, headers={"Host": host, "X-CSRFToken": token,
                                                   "Origin": f"http://{host}:{web_port}"},
                                     data={"submit": "1", **office.form, "csrfmiddlewaretoken": token},
                                     timeout=120)
            assert submitted.status_code == 200, submitted.text[-2000:]
            assert time.monotonic() - started < 30, "the submission waited on the missing broker"
            assert "Permohonan diajukan" in submitted.text
            with schema_context("trenggalek"):
                application.refresh_from_db()
                assert application.status == Application.Status.IN_PROCESS and application.registration_number
                rows = OutboxMessage.objects.filter(application_id=application.pk)
                assert rows.count() >= 1 and not rows.filter(status="sent").exists()
                waiting = set(rows.values_list("pk", flat=True))

        redis = _redis_start(broker_port, tmp_path / "redis")  # the broker is back
        with celery_worker(queue=queue, log_path=tmp_path / "worker.log", **env):
            # What beat does every two minutes, now: the sweeper queues what never reached the broker.
            sender = Celery(broker=broker, set_as_current=False)  # else shared tasks of later tests use it
            sender.send_task("notify.outbox_sweep", queue=queue)
            sender.close()
            with schema_context("trenggalek"):
                wait_for(lambda: not OutboxMessage.objects.filter(pk__in=waiting).exclude(status="sent").exists(),
                      90, "the outbox to be sent")
            time.sleep(1)
    finally:
        stop(redis)
    mail_dir = tmp_path / "mail"
    mails = "\n".join(p.read_text() for p in mail_dir.iterdir()) if mail_dir.exists() else ""
    with schema_context("trenggalek"):
        emails = OutboxMessage.objects.filter(pk__in=waiting, channel="email")
        for row in emails:
            assert mails.count(f"X-Pintu-Message: {row.key}") == 1 or mails.count(row.key) == 1, row.key
        assert emails.exists() and all(row.attempts == 1 for row in OutboxMessage.objects.filter(pk__in=waiting))
    FAULTS["survived"] += 1
