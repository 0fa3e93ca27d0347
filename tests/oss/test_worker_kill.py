"""Through the real broker and real Celery workers (tenant-schemas-celery carries each regency's
schema): a worker SIGKILLed while OSS is slow to answer, another started after it, and OSS still
receives every status of every application exactly once and in order."""
from __future__ import annotations

import os
import random
import signal
import time
import uuid

import pytest
from django_tenants.utils import schema_context

from tests.services import Simulator, celery_worker, sleep_until, wait_for

pytestmark = pytest.mark.slow

LEASE = 8  # > the simulator's delay: a dead worker's call has landed at OSS before its lease runs out
DELAY = 4


def _office(kd_izin: str):
    from permits.oss.models import PermitCodeMapping
    from permits.services.catalog import permit_type_update
    from tests.factories import office_build

    office = office_build()
    permit_type_update(permit_type=office.permit_type,
                       number_format="503/{seq:04d}/K" + uuid.uuid4().hex[:5].upper() + "/DPM-PTSP/{year}")
    PermitCodeMapping.objects.update_or_create(kd_izin=kd_izin, defaults={"permit_type": office.permit_type})
    return office


def _receive(regency, key: str, kd_izin: str, seed: int):
    """OSS delivers one business's checklist item to `regency` (the service behind /oss/receiveNIB)."""
    from deploy.oss_simulator.generator import receive_nib_payload
    from permits.oss.receiving import oss_nib_receive

    body = receive_nib_payload(seed, checklist=[{"kd_daerah": f"{regency.code}000000", "kd_izin": kd_izin,
                                                 "nama_izin": "Izin praktik"}])
    import json

    status, answer = oss_nib_receive(body=json.dumps(body).encode(), user_key=key)
    assert status == 200, answer
    return body["dataNIB"]["data_checklist"][0]["id_izin"]


def _complete_and_submit(office, application):
    """The business completes the file (10, 20); the counter returns it (41); it comes back (42)."""
    from permits.models import StepTask
    from permits.services.applications import application_document_upload, application_form_save, application_submit
    from permits.services.processing import application_return
    from tests.factories import upload

    application_form_save(application=application, data=office.form)
    for requirement in office.requirements[:2]:
        application_document_upload(application=application, requirement=requirement, file=upload())
    application_submit(application=application, actor=None)
    task = StepTask.objects.get(application=application, status="open")
    application_return(task=task, officer=office.front_office, note="Foto KTP kurang jelas.")
    application_submit(application=application, actor=None)


def _statuses(sim: Simulator, id_izin: str) -> list[str]:
    return [r["body"]["IZINSTATUS"]["kd_status"] for r in sim.received("receiveLicenseStatus")
            if r["body"]["IZINSTATUS"]["id_izin"] == id_izin]


def test_a_worker_killed_mid_send_and_another_started_oss_gets_every_status_once_in_order(
        committed, tmp_path, settings):
    from permits.oss.credentials import oss_user_key_rotate
    from permits.oss.hub.models import OssHealth
    from permits.oss.models import OssFile, OssSend
    from permits.oss.tasks import oss_sweep_all
    from tenants.models import Regency

    trenggalek, blitar = Regency.objects.get(code="3503"), Regency.objects.get(code="3572")
    queue = f"test-oss-{uuid.uuid4().hex[:8]}"
    kd_izin = "0331" + "".join(random.choices("0123456789", k=8))  # its own code: these rows stay committed
    sim = Simulator(tmp_path)
    sim.start()
    settings.OSS_BASE_URL, settings.OSS_USER_KEY, settings.OSS_QUEUE = sim.url, "kunci-pintu-di-oss", queue
    settings.OSS_SEND_EAGER = False  # every change is handed to the broker on commit, as in production
    env = dict(CELERY_TASK_DEFAULT_QUEUE=queue, OSS_BASE_URL=sim.url, OSS_USER_KEY="kunci-pintu-di-oss",
               OSS_SEND_LEASE_SECONDS=str(LEASE), OSS_TIMEOUT_SECONDS="30", OSS_RETRY_BASE_SECONDS="1")
    files: dict[str, tuple[str, int]] = {}
    health_before = {r.code: OssHealth.objects.filter(regency=r).exists() for r in (trenggalek, blitar)}
    try:
        keys = {r.code: oss_user_key_rotate(regency=r) for r in (trenggalek, blitar)}
        # Two businesses, one per regency, each file with five changes, all queued on the broker before a
        # worker runs: Trenggalek's first change is the first task any worker takes.
        for regency in (trenggalek, blitar):
            seed = random.randint(10**6, 10**7 - 1)  # its own id_izin: committed rows stay for the session
            with schema_context(regency.schema_name):
                office = _office(kd_izin)
                id_izin = _receive(regency, keys[regency.code], kd_izin, seed)
                file = OssFile.objects.select_related("application").get(id_izin=id_izin)
                _complete_and_submit(office, file.application)
                files[regency.schema_name] = (id_izin, file.pk)
        sim.mode("slow", DELAY)
        with celery_worker(queue=queue, log_path=tmp_path / "worker1.log", **env) as worker:

            def in_flight() -> bool:
                with schema_context(trenggalek.schema_name):
                    return OssSend.objects.filter(file_id=files["trenggalek"][1], status="sending").exists()

            wait_for(in_flight, 120, what="the first worker to start a call to OSS")
            time.sleep(1)  # the call is written; OSS is still working on it
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        with schema_context(trenggalek.schema_name):
            stuck = OssSend.objects.get(file_id=files["trenggalek"][1], status="sending")
            assert stuck.seq == 1 and stuck.sent_at is None  # the worker died before it heard OSS's answer
        assert _statuses(sim, files[blitar.schema_name][0]) == []
        sim.mode("ok")
        wait_for(lambda: len(_statuses(sim, files["trenggalek"][0])) == 1, 30, "OSS to finish the dead worker's call")
        sleep_until(stuck.lease_until)  # the dead worker's lease runs out (LEASE from its claim, most of it gone)
        with celery_worker(queue=queue, log_path=tmp_path / "worker2.log", **env):
            # what beat does every minute; the killed task's message is not redelivered by Redis for an hour
            assert oss_sweep_all.apply_async(queue=queue).get(timeout=60) >= 2

            def all_sent() -> bool:
                for schema, (_, file_id) in files.items():
                    with schema_context(schema):
                        if OssSend.objects.filter(file_id=file_id).exclude(status="sent").exists():
                            return False
                return True

            wait_for(all_sent, 120, what="every change to be sent")
        for schema, (id_izin, file_id) in files.items():
            with schema_context(schema):
                queued = list(OssSend.objects.filter(file_id=file_id).order_by("seq").values_list("kd_status", flat=True))
            assert queued == ["11", "10", "20", "41", "42"]
            assert _statuses(sim, id_izin) == queued, schema  # each once, in the order it happened
        with schema_context(trenggalek.schema_name):
            stuck.refresh_from_db()
            assert stuck.status == "sent" and stuck.response == {"reconciled": "checkLicenseStatus"}
            assert stuck.attempts == 2  # the killed attempt and the check; no second receiveLicenseStatus
        assert [r["body"]["IZINSTATUS"]["seq_pintu"] for r in sim.received("receiveLicenseStatus")
                if r["body"]["IZINSTATUS"]["id_izin"] == files["trenggalek"][0]] == [1, 2, 3, 4, 5]
    finally:
        sim.stop()
        # committed figures would confuse the exact counts other OSS tests assert
        for regency in (trenggalek, blitar):
            if not health_before.get(regency.code):
                OssHealth.objects.filter(regency=regency).delete()
