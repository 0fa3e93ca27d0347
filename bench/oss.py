"""Issue #17's benchmark: OSS RBA receiveNIB throughput and status-change -> OSS delay.

    python bench/oss.py                 # 10 s of receiveNIB, 20 status changes
    python bench/oss.py --seconds 5 --changes 10

1. receiveNIB calls per second that ONE web worker accepts: gunicorn with one sync worker serving
   the apex `/oss/receiveNIB` on a dedicated database, four client threads posting distinct,
   generated businesses (each call validates the payload, creates an application in the regency's
   schema, fills its form and queues status 11). Only 200 answers are counted.
2. End-to-end delay from a status change to OSS holding it: the change commits (an OSS file
   received and submitted at once: status 10 queued), the sender sends it to the OSS simulator (a real HTTP server in
   another process, deploy/oss_simulator), and the clock stops when the simulator's record of
   that change can be read back. With --worker the send goes through Celery (broker + a real
   worker process); without, the sender runs right after the commit (the worker's own part).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request

import _common

DATABASE = "pintu_bench_oss"
KD = "BENCH-OSS-01"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(port)


def office_ready(regency):
    """A permit type with no mandatory upload (so a file can be submitted at once) and a one-step SOP."""
    from django_tenants.utils import schema_context

    from permits.models import PermitType
    from permits.oss.models import PermitCodeMapping
    from permits.services.catalog import form_field_create, permit_type_create
    from permits.services.workflow import sop_publish, sop_revise, sop_steps_set

    with schema_context(regency.schema_name):
        permit_type = PermitType.objects.filter(code="bench-oss").first()
        if permit_type is None:
            permit_type = permit_type_create(code="bench-oss", name="Izin Usaha Bench", sla_working_days=5,
                                             validity_months=12, number_format="{seq:04d}/BENCH/{year}")
            form_field_create(permit_type=permit_type, order=1, key="nib", label="NIB", kind="nib", is_required=False)
            sop = sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=[
                {"name": "Verifikasi", "role": "verifier", "sla_working_days": 2, "allowed_actions": ["forward"]},
                {"name": "Penandatanganan", "role": "signing_official", "sla_working_days": 1,
                 "allowed_actions": ["approve_sign", "reject"]}])
            sop_publish(sop=sop)
        PermitCodeMapping.objects.update_or_create(kd_izin=KD, defaults={"permit_type": permit_type})


def receive_rate(*, seconds: float, regency, key: str, threads: int = 4, port: int = 0) -> tuple[float, int, int]:
    from deploy.oss_simulator.generator import receive_nib_payload

    port = port or free_port()
    env = {**os.environ, "PYTHONPATH": f"{_common.ROOT / 'platform'}:{_common.ROOT}", "OSS_SEND_EAGER": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "pintu.wsgi", "-b", f"127.0.0.1:{port}",
                             "--workers", "1", "--threads", "1", "--forwarder-headers", "SCRIPT_NAME,PATH_INFO,USER_KEY",
                             "--pythonpath", str(_common.ROOT / "platform")],
                            cwd=_common.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open("/tmp/bench-oss-gunicorn.log", "w"))
    try:
        wait_port(port)
        url = f"http://localhost:{port}/oss/receiveNIB"
        base = int(time.time() * 10) % 10**7 * 10
        counter = iter(range(base, base + 10**6))
        lock = threading.Lock()
        results = {"ok": 0, "other": 0}
        stop_at = [0.0]

        def post(seed: int) -> int:
            body = json.dumps(receive_nib_payload(seed, checklist=[{"kd_daerah": f"{regency.code}000000",
                                                                    "kd_izin": KD}], home=regency.code)).encode()
            request = urllib.request.Request(url, data=body, method="POST",
                                             headers={"Content-Type": "application/json", "user_key": key})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    return response.status
            except urllib.error.HTTPError as exc:
                if os.environ.get("BENCH_DEBUG"):
                    print(exc.code, exc.read()[:300])
                return exc.code

        first = post(next(counter))  # warm the worker
        if first != 200:
            print(f"receiveNIB answered HTTP {first} (expected 200)")
        stop_at[0] = time.perf_counter() + seconds

        def loop():
            while time.perf_counter() < stop_at[0]:
                with lock:
                    seed = next(counter)
                status = post(seed)
                with lock:
                    results["ok" if status == 200 else "other"] += 1

        started = time.perf_counter()
        workers = [threading.Thread(target=loop) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - started
        return results["ok"] / elapsed, results["ok"], results["other"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def delays(*, changes: int, regency, key: str, sim_url: str, use_worker: bool) -> list[float]:
    from django_tenants.utils import schema_context

    from deploy.oss_simulator.generator import receive_nib_payload
    from permits.oss.models import OssFile
    from permits.oss.receiving import oss_nib_receive
    from permits.oss.reporting import oss_send_file

    def received(id_izin: str, code: str) -> bool:
        with urllib.request.urlopen(sim_url + "/_sim/received", timeout=10) as response:  # noqa: S310
            rows = json.loads(response.read())["received"]
        return any(r["method"] == "receiveLicenseStatus" and r["body"]["IZINSTATUS"]["id_izin"] == id_izin
                   and r["body"]["IZINSTATUS"]["kd_status"] == code for r in rows)

    out = []
    base = int(time.time()) % 10**6 * 100 + 5_000_000
    for n in range(changes):
        body = receive_nib_payload(base + n, checklist=[{"kd_daerah": f"{regency.code}000000", "kd_izin": KD}],
                                   home=regency.code)
        status, answer = oss_nib_receive(body=json.dumps(body).encode(), user_key=key)
        started = time.perf_counter()  # the change has committed: the file was submitted on receipt (10, 20)
        assert status == 200, answer
        id_izin = body["dataNIB"]["data_checklist"][0]["id_izin"]
        if not use_worker:
            with schema_context(regency.schema_name):
                oss_send_file(file_id=OssFile.objects.get(id_izin=id_izin).pk)
        while not received(id_izin, "10"):
            time.sleep(0.005)
            if time.perf_counter() - started > 60:
                raise TimeoutError(id_izin)
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--worker", action="store_true", help="send through Celery (broker + worker process)")
    parser.add_argument("--port", type=int, default=0, help="web server on PORT, simulator on PORT+1 (default: free)")
    args = parser.parse_args()

    _common.scale_ready(DATABASE, 1)
    from django.conf import settings

    from permits.oss.credentials import oss_user_key_rotate
    from tenants.models import Regency

    regency = Regency.objects.exclude(schema_name="public").order_by("code").first()
    office_ready(regency)
    key = oss_user_key_rotate(regency=regency)
    sim_port = args.port + 1 if args.port else free_port()
    sim = subprocess.Popen([sys.executable, "-m", "deploy.oss_simulator.server", "--port", str(sim_port)],
                           cwd=_common.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        wait_port(sim_port)
        sim_url = f"http://127.0.0.1:{sim_port}"
        settings.OSS_BASE_URL, settings.OSS_USER_KEY = sim_url, "bench-key"
        print(_common.load_average())
        rate, ok, other = receive_rate(seconds=args.seconds, regency=regency, key=key, port=args.port)
        print(f"receiveNIB, one web worker (gunicorn, 1 sync worker): {rate:.1f} calls/s "
              f"({ok} accepted, {other} other answers, {args.seconds:.0f} s, 4 client threads)")
        if args.worker:
            env = {**os.environ, "PYTHONPATH": f"{_common.ROOT / 'platform'}:{_common.ROOT}",
                   "OSS_BASE_URL": sim_url, "OSS_USER_KEY": "bench-key"}
            worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "pintu", "worker", "-P", "solo",
                                       "--without-gossip", "--without-mingle", "-l", "warning"],
                                      cwd=_common.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(8)
        else:
            settings.OSS_SEND_EAGER = True
        values = sorted(delays(changes=args.changes, regency=regency, key=key, sim_url=sim_url,
                               use_worker=args.worker))
        how = "through Celery (broker + worker)" if args.worker else "sender right after the commit"
        print(f"status change -> OSS simulator holds it ({how}): median {_common.median(values) * 1000:.1f} ms, "
              f"max {values[-1] * 1000:.1f} ms over {len(values)} changes")
        print(_common.load_average())
    finally:
        for proc in (worker, sim):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
