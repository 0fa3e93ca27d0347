"""Load benchmark (issue #18): the deployed gunicorn, 514 regencies, a realistic mix, from a second process.

    python bench/load.py [--regencies 514] [--seconds 20] [--clients 16] [--seed-regencies 5]

The server is gunicorn with deploy/gunicorn.conf.py (gthread, WEB_CONCURRENCY workers x 4 threads) on
127.0.0.1, on the bench database `pintu_bench_scale` (514 regencies, built once by bench/_common). A
second process (this file with --client) runs a threaded Python load generator with the mix:

- 70 % public: tracking (/lacak/, half) and QR verification (/verifikasi/<kode>/, half), anonymous;
- 20 % officers: half the worklist API (/api/v1/worklist/, the front office's token), half decisions
  (the signing official's worklist, then `approve_sign` on one of its steps: number, PDF, signature;
  2 requests timed as one operation; seeded applications wait at the signing step);
- 10 % submissions with uploads: create a draft, save its form, upload two PDFs, submit (5 requests,
  timed as one operation; each request counts in req/s).

Then the same server answers only /healthz for the same time (the no-op floor). Printed: req/s,
req/s per server CPU-second (server processes' CPU, psutil) = "per core", p50/p95/p99 per kind,
errors with their status codes (a 409 between two officers deciding the same step is an answer, not
an error), load average. Tokens are Pintu's own (`api_token_issue`, per regency). Not part of
`make test`.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402

ROOT = _common.ROOT
PORT = int(os.environ.get("BENCH_PORT", "11871"))


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "dokumen uji beban")
    page.save()
    return buffer.getvalue()


def seed(count: int, applications: int, deciding: int) -> dict:
    """In `count` of the regencies: an office, submitted applications (some at the signing step), a permit,
    tokens (written to var/bench-load.json for the load generator)."""
    import secrets

    from django.db import connection
    from django.utils import timezone

    from permits.models.applications import Permit
    from pintu.access.models import Role
    from pintu.identity.services import api_token_issue
    from tenants.models import Domain, Regency
    from tests.factories import UserFactory, office_build, submitted_application, to_signing

    applicant = UserFactory()
    config: dict = {"regencies": []}
    regencies = list(Regency.objects.exclude(schema_name="public").order_by("pk")[:count])
    for regency in regencies:
        connection.set_tenant(regency)
        office = office_build()
        tracked = []
        for _ in range(applications):
            application = submitted_application(office, applicant)
            tracked.append([application.registration_number, application.tracking_code])
        for _ in range(deciding):  # forwarded and recommended: waiting for the signing official
            to_signing(office, submitted_application(office, applicant))
        code = secrets.token_urlsafe(18)
        holder = submitted_application(office, applicant)
        Permit.objects.create(application=holder, number=f"LOAD/{code[:8]}", verification_code=code,
                              issued_at=timezone.now(), valid_from=timezone.localdate(), pdf_key="load/none.pdf",
                              sha256="0" * 64, signer_name="Kepala DPMPTSP")
        # An officer's token names its roles (a token issued without roles never gains one).
        tokens = {name: api_token_issue(user=user, schema_name=regency.schema_name, roles=roles, name="bench/load.py")[1]
                  for name, user, roles in (("applicant", applicant, []),
                                            ("officer", office.front_office, [Role.FRONT_OFFICE, Role.VERIFIER]),
                                            ("signer", office.signer, [Role.SIGNING_OFFICIAL]))}
        connection.set_schema_to_public()
        host = Domain.objects.filter(tenant=regency, is_primary=True).values_list("domain", flat=True).first()
        config["regencies"].append({
            "host": host, "permit_type": office.permit_type.code, "form": office.form,
            "requirements": [r.pk for r in office.requirements[:2]], "tracked": tracked, "permit_code": code,
            "applicant_token": tokens["applicant"], "officer_token": tokens["officer"],
            "signer_token": tokens["signer"],
        })
    return config


# --- the load generator (second process) ------------------------------------------------------------


def client(config: dict, seconds: float, clients: int, healthz_only: bool) -> dict:
    import requests

    pdf = _pdf()
    base = f"http://127.0.0.1:{PORT}"
    samples: dict[str, list[float]] = {}
    counts = {"requests": 0, "errors": 0}
    failures: dict[str, int] = {}  # "kind status" -> how many
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def record(kind: str, started: float, requests_made: int, ok: bool, status: object = None):
        with lock:
            samples.setdefault(kind, []).append(time.perf_counter() - started)
            counts["requests"] += requests_made
            counts["errors"] += 0 if ok else 1
            if not ok:
                failures[f"{kind} {status}"] = failures.get(f"{kind} {status}", 0) + 1

    def decision(session, regency) -> tuple[str, int, bool, object]:
        auth = {"Host": regency["host"], "Authorization": f"Token {regency['signer_token']}"}
        listed = session.get(f"{base}/api/v1/worklist/", headers=auth, timeout=60)
        if listed.status_code != 200:
            return "decision", 1, False, listed.status_code
        tasks = listed.json()["results"]
        if not tasks:  # every seeded application decided: the run outlasted the seed
            return "decision-none", 1, True, None
        task = random.choice(tasks[:10])
        acted = session.post(f"{base}/api/v1/tasks/{task['id']}/act/", json={"action": "approve_sign"},
                             headers=auth, timeout=60)
        if acted.status_code == 409:  # another officer's thread decided it first: a real answer
            return "decision-conflict", 2, True, None
        return "decision", 2, acted.status_code == 200, acted.status_code

    def submission(session, regency) -> tuple[int, bool]:
        auth = {"Host": regency["host"], "Authorization": f"Token {regency['applicant_token']}"}
        draft = session.post(f"{base}/api/v1/applications/", json={"permit_type": regency["permit_type"]},
                             headers=auth, timeout=60)
        if draft.status_code != 201 and draft.status_code != 200:
            return 1, False, draft.status_code
        pk = draft.json()["id"]
        made, status = 1, None
        steps = [("form/", {"json": {"data": regency["form"]}})]
        steps += [("documents/", {"data": {"requirement": requirement},
                                  "files": {"file": ("dokumen.pdf", pdf, "application/pdf")}})
                  for requirement in regency["requirements"]]
        steps.append(("submit/", {}))
        for path, kwargs in steps:
            response = session.post(f"{base}/api/v1/applications/{pk}/{path}", headers=auth, timeout=60, **kwargs)
            made += 1
            if not response.ok and status is None:
                status = f"{path}{response.status_code}"
        return made, status is None, status

    def run(index: int):
        rng = random.Random(index)
        session = requests.Session()
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                if healthz_only:
                    ok = session.get(f"{base}/healthz", timeout=30).status_code == 200
                    record("healthz", started, 1, ok, "not 200")
                    continue
                regency = rng.choice(config["regencies"])
                roll = rng.random()
                if roll < 0.35:
                    number, code = rng.choice(regency["tracked"])
                    r = session.get(f"{base}/lacak/", params={"nomor": number, "kode": code},
                                    headers={"Host": regency["host"]}, timeout=30)
                    record("tracking", started, 1, r.status_code == 200, r.status_code)
                elif roll < 0.70:
                    r = session.get(f"{base}/verifikasi/{regency['permit_code']}/", headers={"Host": regency["host"]},
                                    timeout=30)
                    record("verification", started, 1, r.status_code == 200, r.status_code)
                elif roll < 0.80:
                    r = session.get(f"{base}/api/v1/worklist/", timeout=30, headers={
                        "Host": regency["host"], "Authorization": f"Token {regency['officer_token']}"})
                    record("worklist", started, 1, r.status_code == 200, r.status_code)
                elif roll < 0.90:
                    kind, made, ok, status = decision(session, regency)
                    record(kind, started, made, ok, status)
                else:
                    made, ok, status = submission(session, regency)
                    record("submission", started, made, ok, status)
            except requests.RequestException as exc:
                record("error", started, 1, False, type(exc).__name__)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": seconds, "counts": counts, "samples": samples, "failures": failures}


def _server_cpu(pid: int) -> float:
    import psutil

    process = psutil.Process(pid)
    # Workers gunicorn replaced (max_requests) count through the master's reaped children's times.
    own = process.cpu_times()
    total = own.children_user + own.children_system
    for p in [process, *process.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def _run_client(config_path: Path, seconds: float, clients: int, healthz: bool) -> dict:
    cmd = [sys.executable, __file__, "--client", str(config_path), "--seconds", str(seconds), "--clients", str(clients)]
    if healthz:
        cmd.append("--healthz")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 600).stdout
    return json.loads(out.strip().splitlines()[-1])


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regencies", type=int, default=514)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seed-regencies", type=int, default=5)
    parser.add_argument("--client")
    parser.add_argument("--healthz", action="store_true")
    args = parser.parse_args()
    if args.client:
        print(json.dumps(client(json.loads(Path(args.client).read_text()), args.seconds, args.clients, args.healthz)))
        return 0

    _common.scale_ready(_common.SCALE_DATABASE, args.regencies)
    from django.db import connection

    print(f"regencies present: {_common.regencies_present()}")
    # Seeded afresh each run: a run decides the applications waiting at the signing step, so a kept seed
    # would leave the next run's officers nothing to decide and change its mix.
    config = seed(args.seed_regencies, 30, 40)
    config_path = ROOT / "var" / "bench-load.json"
    config_path.write_text(json.dumps(config))
    connection.close()

    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}{os.pathsep}{ROOT}", "DEBUG": "0", "PORT": str(PORT),
           "LOG_LEVEL": "WARNING", "ALLOWED_HOSTS": ".localhost,localhost", "CONN_MAX_AGE": "60"}
    cmd = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind",
           f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null", "pintu.wsgi:application"]
    log = open(ROOT / "var" / "bench-load-server.log", "w")
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        import requests

        for _ in range(300):
            try:
                if requests.get(f"http://127.0.0.1:{PORT}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        _run_client(config_path, 3, args.clients, False)  # warm-up: every worker imports and connects
        results = {}
        for name, healthz in (("mix", False), ("healthz", True)):
            cpu = _server_cpu(server.pid)
            results[name] = _run_client(config_path, args.seconds, args.clients, healthz)
            results[name]["cpu"] = _server_cpu(server.pid) - cpu
    finally:
        server.terminate()
        server.wait(30)

    print(f"load average: {_common.load_average()}  cpus: {os.cpu_count()}  clients: {args.clients}  "
          f"seconds: {args.seconds}  server: gunicorn deploy/gunicorn.conf.py "
          f"(WEB_CONCURRENCY={os.environ.get('WEB_CONCURRENCY', 'default')})")
    print(f"{'run':<9}{'kind':<14}{'ops':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, result in results.items():
        for kind, values in sorted(result["samples"].items()):
            print(f"{name:<9}{kind:<14}{len(values):>7}{_pct(values, .5):>9.1f}{_pct(values, .95):>9.1f}"
                  f"{_pct(values, .99):>9.1f}")
    for name, result in results.items():
        requests_made, errors = result["counts"]["requests"], result["counts"]["errors"]
        rate = requests_made / result["seconds"]
        per_core = requests_made / result["cpu"] if result["cpu"] else float("nan")
        print(f"{name:<9} {rate:8.1f} req/s  {per_core:8.1f} req per server CPU-second (per core)  "
              f"errors {errors} of {requests_made} requests  server CPU {result['cpu']:.1f} s")
        for failure, count in sorted(result.get("failures", {}).items()):
            print(f"          failed: {failure} x {count} (tracebacks in var/bench-load-server.log)")
    mix, floor = results["mix"], results["healthz"]
    ratio = (floor["counts"]["requests"] / floor["cpu"]) / (mix["counts"]["requests"] / mix["cpu"])
    print(f"a mixed request costs {ratio:.1f}x the server CPU of /healthz")
    return 0 if mix["counts"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
