"""The simulator itself sends receiveNIB, over HTTP, to Pintu's web role as deployed (gunicorn with
deploy/gunicorn.conf.py, which must pass OSS's underscored `user_key` header): one NIB with a checklist
for Trenggalek and Blitar, delivered with each regency's key, lands in each regency's own schema."""
from __future__ import annotations

import random
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest
from django_tenants.utils import schema_context

from tests.services import ROOT, Simulator, child_env, free_port, stop, wait_for_port

pytestmark = pytest.mark.slow


def test_the_simulator_pushes_a_nib_to_the_deployed_web_role_and_each_regency_gets_its_own_file(
        committed, tmp_path):
    from permits.oss.credentials import oss_user_key_rotate
    from permits.oss.hub.models import OssHealth
    from permits.oss.models import OssFile, PermitCodeMapping
    from tenants.models import Regency
    from tests.factories import office_build

    regencies = [Regency.objects.get(code="3503"), Regency.objects.get(code="3572")]
    health_before = {r.code: OssHealth.objects.filter(regency=r).exists() for r in regencies}
    kd_izin = "0332" + "".join(random.choices("0123456789", k=8))  # its own code and id_izin: rows stay committed
    seed = random.randint(10**6, 10**7 - 1)
    for regency in regencies:
        with schema_context(regency.schema_name):
            office = office_build()
            PermitCodeMapping.objects.update_or_create(kd_izin=kd_izin, defaults={"permit_type": office.permit_type})
    keys = {r.code: oss_user_key_rotate(regency=r) for r in regencies}
    sim = Simulator(tmp_path)
    sim.start()
    port = free_port()
    env = child_env(PORT=str(port), WEB_CONCURRENCY="1", GUNICORN_THREADS="2", OSS_BASE_URL=sim.url,
                    OSS_USER_KEY="kunci-pintu-di-oss", CELERY_TASK_DEFAULT_QUEUE=f"test-oss-{uuid.uuid4().hex[:8]}")
    with open(tmp_path / "web.log", "w") as log:
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "pintu.wsgi", "-c", "deploy/gunicorn.conf.py",
                                "--pythonpath", str(ROOT / "platform")], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    checklist = [{"kd_daerah": f"{r.code}000000", "kd_izin": kd_izin, "nama_izin": "Izin praktik"} for r in regencies]
    url = f"http://localhost:{port}/oss/receiveNIB"
    try:
        wait_for_port(port, web, timeout=60)
        try:  # the worker's first answer (it loads every view and the PDF libraries first) may be slow here
            urllib.request.urlopen(url, timeout=120)  # noqa: S310 - GET: 405 in OSS's shape
        except urllib.error.HTTPError as exc:
            assert exc.code == 405
        wrong = sim._call("/_sim/push", {"url": url, "user_key": "bukan-kunci", "seed": seed, "checklist": checklist}, timeout=60)
        assert wrong["status"] == 401 and wrong["answer"]["responreceiveNIB"]["status"] == "2"
        for regency in regencies:  # as OSS does: the same NIB to every agency, each with its own key
            result = sim._call("/_sim/push", {"url": url, "user_key": keys[regency.code], "seed": seed,
                                              "checklist": checklist}, timeout=60)
            assert result["status"] == 200, (result, (tmp_path / "web.log").read_text()[-3000:])
            assert result["answer"]["responreceiveNIB"]["status"] == "1"
        again = sim._call("/_sim/push", {"url": url, "user_key": keys["3503"], "seed": seed, "checklist": checklist}, timeout=60)
        assert again["status"] == 200 and "sebelumnya" in again["answer"]["responreceiveNIB"]["keterangan"]
    finally:
        stop(web)
        sim.stop()
    from deploy.oss_simulator.generator import receive_nib_payload

    ids = [item["id_izin"] for item in receive_nib_payload(seed, checklist=checklist)["dataNIB"]["data_checklist"]]
    for regency, mine, theirs in ((regencies[0], ids[0], ids[1]), (regencies[1], ids[1], ids[0])):
        with schema_context(regency.schema_name):
            assert OssFile.objects.filter(id_izin=mine).count() == 1  # once, although sent twice to Trenggalek
            assert not OssFile.objects.filter(id_izin=theirs).exists()
    for regency in regencies:
        if not health_before[regency.code]:
            OssHealth.objects.filter(regency=regency).delete()
