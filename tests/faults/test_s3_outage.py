"""The S3 server stopped while an applicant uploads: a clear Indonesian message, no document row
pointing at a missing file, and the same upload succeeds once S3 is back (same server, same data)."""
from __future__ import annotations

import re
import signal
import subprocess
import time

import pytest
from django_tenants.utils import schema_context

from tests.s3 import s3_server_kill, s3_server_start
from tests.services import FAULTS, wait_for

pytestmark = pytest.mark.slow


# --- S3 stopped during a submission ---------------------------------------------------------------------


def _restart(server):
    """The same weed command again: same ports, credentials and data folder."""
    log = open(server.log_path, "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(server.process.args, stdout=log, stderr=subprocess.STDOUT,
                               cwd=server.log_path.parent, start_new_session=True)
    object.__setattr__(server, "process", process)
    client = server.client()
    wait_for(lambda: _bucket_ok(client, server.bucket), 60, "S3 back")


def _bucket_ok(client, bucket) -> bool:
    try:
        client.head_bucket(Bucket=bucket)
        client.put_object(Bucket=bucket, Key="probe", Body=b"x")
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


# A hung server is waited out by the client's read timeout, attempt after attempt. The test waits a shorter
# one than production's (pintu.storage.config: 5 s) and scales what it measured up to production's before
# comparing it with the bound an applicant may wait: the same proof, without waiting the full timeouts.
TEST_READ_TIMEOUT = 2


def _production_wait(waited: float) -> float:
    """An upper bound of what production's timeouts would have made the applicant wait (every second of the
    measured wait scaled, the request's own work too)."""
    from pintu.storage.config import _client_config

    return waited * _client_config().read_timeout / TEST_READ_TIMEOUT


@pytest.fixture
def own_s3(tmp_path, settings):
    from botocore.config import Config

    server = s3_server_start(tmp_path / "s3")
    storage = server.storage_config()
    production = storage["OPTIONS"]["client_config"]
    assert production.read_timeout > TEST_READ_TIMEOUT
    storage["OPTIONS"]["client_config"] = production.merge(Config(read_timeout=TEST_READ_TIMEOUT))
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    try:
        yield server
    finally:
        s3_server_kill(server)


def test_s3_stopped_during_an_upload_clear_message_no_dangling_row_retry_succeeds(own_s3, trenggalek, applicant,
                                                                                   client_for):
    from permits.models.applications import ApplicationDocument
    from permits.services.applications import application_draft_create
    from pintu.storage.services import document_exists
    from tests.factories import office_build, upload
    with schema_context("trenggalek"):
        office = office_build()
        application = application_draft_create(permit_type=office.permit_type, applicant=applicant)
    client = client_for(trenggalek, applicant)
    requirement = office.requirements[0]
    path = f"/permohonan/{application.pk}/unggah/{requirement.pk}/"

    s3_server_kill(own_s3)
    FAULTS["injected"] += 1
    started = time.monotonic()
    down = client.post(path, {"file": upload("ktp.pdf")}, follow=True)
    waited = time.monotonic() - started
    print(f"S3 down: the applicant waited {waited:.1f} s for the answer")
    assert waited < 60, "the applicant waited too long for an answer"
    assert down.status_code == 200
    text = down.content.decode()
    assert re.search(r"penyimpanan berkas sedang tidak dapat dihubungi|coba (lagi|beberapa saat)", text, re.I), text[-2000:]
    with schema_context("trenggalek"):
        assert not ApplicationDocument.objects.filter(application=application).exists()

    # A server that hangs instead of refusing: the answer still comes in bounded time.
    _restart(own_s3)
    own_s3.process.send_signal(signal.SIGSTOP)
    FAULTS["injected"] += 1
    try:
        started = time.monotonic()
        hung = client.post(path, {"file": upload("ktp.pdf")}, follow=True)
        waited = time.monotonic() - started
    finally:
        own_s3.process.send_signal(signal.SIGCONT)
    print(f"S3 hung: the applicant waited {waited:.1f} s for the answer (with production's timeouts at most "
          f"{_production_wait(waited):.1f} s)")
    assert _production_wait(waited) < 25 and re.search(r"penyimpanan berkas sedang tidak dapat dihubungi", hung.content.decode(), re.I)
    with schema_context("trenggalek"):
        assert not ApplicationDocument.objects.filter(application=application).exists()
    FAULTS["survived"] += 1

    again = client.post(path, {"file": upload("ktp.pdf")}, follow=True)
    assert "KTP terunggah" in again.content.decode()
    with schema_context("trenggalek"):
        documents = list(ApplicationDocument.objects.filter(application=application))
        assert len(documents) == 1 and all(document_exists(d.key) for d in documents)
    FAULTS["survived"] += 1
