"""Services stopped under a running application: the applicant is told clearly, nothing is lost.

- The S3 server stopped while an applicant uploads: a clear Indonesian message, no document row
  pointing at a missing file, and the same upload succeeds once S3 is back (same server, same data).
- The broker (a Redis of the test's own) down while an applicant submits through the real web
  server: the submission is kept, its notifications wait in the outbox, and once the broker is
  back a real worker sends each of them exactly once.
"""
from __future__ import annotations

import re
import socket
import subprocess
import time
import uuid

import pytest
import requests
from celery import Celery
from django.test import Client
from django_tenants.utils import schema_context

from tests.faults.conftest import FAULTS
from tests.s3 import s3_server_start, s3_server_stop
from tests.services import celery_worker, free_port, stop, web_server

pytestmark = pytest.mark.slow


def _wait(predicate, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


# --- S3 stopped during a submission ---------------------------------------------------------------------


def _restart(server):
    """The same weed command again: same ports, credentials and data folder."""
    log = open(server.log_path, "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(server.process.args, stdout=log, stderr=subprocess.STDOUT,
                               cwd=server.log_path.parent, start_new_session=True)
    object.__setattr__(server, "process", process)
    client = server.client()
    _wait(lambda: _bucket_ok(client, server.bucket), 60, "S3 back")


def _bucket_ok(client, bucket) -> bool:
    try:
        client.head_bucket(Bucket=bucket)
        client.put_object(Bucket=bucket, Key="probe", Body=b"x")
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


@pytest.fixture
def own_s3(tmp_path, settings):
    server = s3_server_start(tmp_path / "s3")
    settings.STORAGES = {**settings.STORAGES, "default": server.storage_config()}
    try:
        yield server
    finally:
        s3_server_stop(server)


def test_s3_stopped_during_an_upload_clear_message_no_dangling_row_retry_succeeds(own_s3, trenggalek, applicant,
                                                                                   client_for):
    from permits.models.applications import ApplicationDocument
    from permits.services.applications import application_draft_create
    from pintu.storage.services import document_exists
    from tests.permits.flow.conftest import office_build, upload

    with schema_context("trenggalek"):
        office = office_build()
        application = application_draft_create(permit_type=office.permit_type, applicant=applicant)
    client = client_for(trenggalek, applicant)
    requirement = office.requirements[0]
    path = f"/permohonan/{application.pk}/unggah/{requirement.pk}/"

    s3_server_stop(own_s3)
    FAULTS["injected"] += 1
    started = time.monotonic()
    down = client.post(path, {"file": upload("ktp.pdf")}, follow=True)
    assert time.monotonic() - started < 60, "the applicant waited too long for an answer"
    assert down.status_code == 200
    text = down.content.decode()
    assert re.search(r"penyimpanan berkas sedang tidak dapat dihubungi|coba (lagi|beberapa saat)", text, re.I), text[-2000:]
    with schema_context("trenggalek"):
        assert not ApplicationDocument.objects.filter(application=application).exists()

    _restart(own_s3)
    again = client.post(path, {"file": upload("ktp.pdf")}, follow=True)
    assert "KTP terunggah" in again.content.decode()
    with schema_context("trenggalek"):
        documents = list(ApplicationDocument.objects.filter(application=application))
        assert len(documents) == 1 and all(document_exists(d.key) for d in documents)
    FAULTS["survived"] += 1


# --- the broker down at submission time ------------------------------------------------------------------


def _redis_binary() -> str:
    from pintu.embedded import redis_server_binary

    return redis_server_binary()


def _redis_start(port: int, folder) -> subprocess.Popen:
    folder.mkdir(exist_ok=True)
    process = subprocess.Popen([_redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    _wait(lambda: _listening(port), 20, "redis")
    return process


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """The web server and the worker are other processes: they must see committed rows."""
    with django_db_blocker.unblock():
        yield


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
    from tests.factories import UserFactory
    from tests.permits.flow.conftest import office_build, upload

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
            sender = Celery(broker=broker)
            sender.send_task("notify.outbox_sweep", queue=queue)
            sender.close()
            with schema_context("trenggalek"):
                _wait(lambda: not OutboxMessage.objects.filter(pk__in=waiting).exclude(status="sent").exists(),
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


# --- PostgreSQL restarted under load ---------------------------------------------------------------------


@pytest.fixture
def own_postgres(committed):
    """A PostgreSQL of the test's own (pgserver), loaded with a copy of the test database."""
    import os
    import shutil
    import tempfile
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver
    from pgserver._commands import POSTGRES_BIN_PATH

    from tests.services import test_database_url

    folder = tempfile.mkdtemp(prefix="pintu-fault-pg-")
    os.chmod(folder, 0o755)  # pgserver runs postgres as its own user when we are root
    server = pgserver.get_server(f"{folder}/data", cleanup_mode="delete")
    try:
        server.psql("CREATE DATABASE pintu_fault;")
        dump = subprocess.Popen([str(POSTGRES_BIN_PATH / "pg_dump"), "--no-owner", "--no-acl", test_database_url()],
                                stdout=subprocess.PIPE)
        # Keep what a stock PostgreSQL understands (the machine's server may add column options of its own).
        sql = subprocess.Popen(["grep", "-v", "SET (pg_attver="], stdin=dump.stdout, stdout=subprocess.PIPE)
        load = subprocess.run([str(POSTGRES_BIN_PATH / "psql"), "-q", "-v", "ON_ERROR_STOP=1",
                               server.get_uri("pintu_fault")], stdin=sql.stdout, capture_output=True, text=True,
                              timeout=120)
        dump.wait(60)
        assert load.returncode == 0, load.stderr[-2000:]
        yield server
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _pg_ctl(server, *args: str) -> None:
    from pgserver._commands import pg_ctl

    pg_ctl(["-w", *args], pgdata=server.pgdata, user=server.system_user, timeout=60)


def test_postgresql_restarted_while_requests_run_fail_cleanly_and_the_app_recovers(own_postgres, tmp_path):
    import threading

    from tests.services import web_server

    server = own_postgres
    port, host = free_port(), "trenggalek.localhost"
    paths = ["/izin/", "/api/v1/catalog/permit-types/", "/lacak/?nomor=3503-2026-000001&kode=AAAAAAAA"]
    results: list[tuple[float, str, int, str]] = []
    stop_at = [0.0]

    def load(index: int):
        session = requests.Session()
        while time.monotonic() < stop_at[0]:
            path = paths[index % len(paths)]
            try:
                response = session.get(f"http://127.0.0.1:{port}{path}", headers={"Host": host}, timeout=30)
                results.append((time.monotonic(), path, response.status_code, response.text[:3000]))
            except requests.RequestException as exc:
                results.append((time.monotonic(), path, 0, repr(exc)))
            index += 1
            time.sleep(0.05)

    socket_dir = str(server.pgdata)
    with web_server(port=port, log_path=tmp_path / "web.log", DATABASE_URL=server.get_uri("pintu_fault"),
                    DEBUG="0", CONN_MAX_AGE="600") as web:
        warm = requests.get(f"http://127.0.0.1:{port}/izin/", headers={"Host": host}, timeout=60)
        assert warm.status_code == 200
        stop_at[0] = time.monotonic() + 600
        threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        _pg_ctl(server, "-m", "fast", "stop")  # every open connection is cut
        FAULTS["injected"] += 1
        down_from = time.monotonic()
        time.sleep(3)
        _pg_ctl(server, "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(server.log), "start")
        back_at = time.monotonic()
        time.sleep(4)
        stop_at[0] = 0
        for thread in threads:
            thread.join(60)
        assert web.poll() is None, "the web server died"
        after = [requests.get(f"http://127.0.0.1:{port}{path}", headers={"Host": host}, timeout=30) for path in paths]

    during = [r for r in results if down_from <= r[0] <= back_at]
    statuses = sorted({r[2] for r in results})
    assert during, "no request ran while PostgreSQL was down"
    failures = [r for r in results if r[2] not in (200, 503)]
    assert not failures, [(p, s, t[:300]) for _, p, s, t in failures[:5]]
    unavailable = [r for r in results if r[2] == 503]
    assert unavailable, f"no request met the outage (statuses {statuses})"
    for _, path, _, text in unavailable:
        assert "Traceback" not in text and "basis data" in text, text[:500]
        if path.startswith("/api/"):
            assert '"code": "service_unavailable"' in text or '"code":"service_unavailable"' in text
    late = [r for r in results if r[0] > back_at + 2]
    assert late and all(r[2] == 200 for r in late), sorted({r[2] for r in late})
    assert [r.status_code for r in after] == [200, 200, 200]  # recovered without a restart of its own
    FAULTS["survived"] += 1
