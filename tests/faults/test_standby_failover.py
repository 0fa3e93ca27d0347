"""The data centre fails: a real primary and synchronous hot standby (tests/faults/replication.py).

- the primary SIGKILLed right after a burst of submissions loses none that got a registration
  number, and the numbers continue on the promoted standby without a gap or a duplicate; the old
  primary rejoins as a standby through pg_rewind and the platform fails back;
- while the primary is down the real web server answers verification and tracking from the
  standby (200, with the Indonesian notice), every write a 503 "layanan sedang pemeliharaan" with
  Retry-After (JSON under /api/) that gives back what was typed, nothing a 500; when the primary
  returns everything resumes without a restart.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import requests

from tests.faults.replication import wait_sync
from tests.services import FAULTS, ROOT, child_env, free_port, wait_for, web_server

pytestmark = pytest.mark.slow

HOST = "trenggalek.localhost"
NOTICE = "mode terbatas"
MAINTENANCE = "Layanan sedang pemeliharaan"


def _worker(url: str, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "tests" / "faults" / "standby_worker.py"), *args], cwd=ROOT,
                            env=child_env(DATABASE_URL=url), text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **popen)


def _prepare(url: str, count: int) -> dict:
    proc = _worker(url, "prepare", str(count))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def _submit(url: str, pks: list[int]) -> list[tuple[int, str, str]]:
    proc = _worker(url, "submit", *map(str, pks))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    return [(int(pk), number, code) for _, pk, number, code in (line.split() for line in out.splitlines())]


def _numbers(node) -> list[str]:
    rows = node.sql("SELECT registration_number FROM trenggalek.permits_application "
                    "WHERE registration_number IS NOT NULL ORDER BY registration_number")
    return rows.splitlines() if rows else []


def _sequence(numbers: list[str]) -> list[int]:
    return [int(n.rsplit("-", 1)[1]) for n in numbers]


def _contiguous(sequence: list[int]) -> bool:
    """No gap and no duplicate (the test database may hold numbers from before: start where they start)."""
    return bool(sequence) and sequence == list(range(sequence[0], sequence[0] + len(sequence)))


def _get(port: int, path: str, **kwargs) -> requests.Response:
    return requests.get(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST, **kwargs.pop("headers", {})},
                        timeout=30, **kwargs)


def _post(port: int, path: str, **kwargs) -> requests.Response:
    return requests.post(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST, **kwargs.pop("headers", {})},
                         timeout=30, **kwargs)


def test_primary_killed_after_a_burst_loses_no_registration_number_and_the_old_primary_rejoins(cluster, tmp_path):
    a, b = cluster.a, cluster.b
    setup = _prepare(a.url(), 40)
    before = _sequence(_numbers(a))
    burst = _worker(a.url(), "submit", *map(str, setup["drafts"]))
    acknowledged: list[tuple[int, str]] = []
    while len(acknowledged) < 15:
        line = burst.stdout.readline()
        assert line, burst.stderr.read()[-3000:]
        _, pk, number, _code = line.split()
        acknowledged.append((int(pk), number))
    a.kill()  # right after the burst's 15th acknowledgement, with the next submissions in flight
    FAULTS["injected"] += 1
    burst.wait(120)
    for line in burst.stdout.read().splitlines():  # acknowledgements printed just before the kill landed
        if line.startswith("OK "):
            _, pk, number, _code = line.split()
            acknowledged.append((int(pk), number))
    assert burst.returncode != 0  # the burst died with its primary

    # Failover: promote the standby; the platform's one setting (DATABASE_URL) now names it. Until a
    # standby is back, the new primary cannot wait for one (docs/operations.md, step 3).
    b.promote()
    wait_for(lambda: not b.is_in_recovery(), 60, "the promotion")
    b.sql("ALTER SYSTEM SET synchronous_standby_names = ''; SELECT pg_reload_conf()", "postgres")
    on_b = _numbers(b)
    assert {number for _, number in acknowledged} <= set(on_b), "an acknowledged submission was lost"
    sequence = _sequence(on_b)
    assert _contiguous(sequence) and len(sequence) >= len(before) + len(acknowledged)

    pending = [pk for pk in setup["drafts"] if pk not in {p for p, _ in acknowledged}]
    pending = [pk for pk in pending
               if b.sql(f"SELECT status FROM trenggalek.permits_application WHERE id = {pk}") == "draft"][:5]
    after = _submit(b.url(), pending)
    sequence_after = _sequence(_numbers(b))
    assert [_sequence([n])[0] for _, n, _ in after] == list(range(sequence[-1] + 1, sequence[-1] + 1 + len(pending)))
    assert _contiguous(sequence_after)  # no gap, no duplicate

    # The old primary rejoins as the standby of the new one (pg_rewind: it had diverged when killed).
    a.stop("immediate")
    a.rewind_from(b)
    a.follow(b)
    a.start()
    b.sql("ALTER SYSTEM RESET synchronous_standby_names; SELECT pg_reload_conf()", "postgres")
    wait_sync(b, a)
    assert a.is_in_recovery() and _numbers(a) == _numbers(b)

    # Failback (a planned switchover): stop b cleanly, promote a, b follows a; the platform points at a again.
    b.stop("fast")
    a.promote()
    wait_for(lambda: not a.is_in_recovery(), 60, "the failback promotion")
    # pg_rewind copied b's configuration to a while b had no standby: back to postgresql.conf's list.
    a.sql("ALTER SYSTEM RESET synchronous_standby_names; SELECT pg_reload_conf()", "postgres")
    b.rewind_from(a)
    b.follow(a)
    b.start()
    wait_sync(a, b)
    port = free_port()
    with web_server(port=port, log_path=tmp_path / "web.log", DATABASE_URL=a.url(), STANDBY_DATABASE_URL=b.url(),
                    DEBUG="0"):
        token = {"Authorization": f"Token {setup['token']}"}
        last = [pk for pk in setup["drafts"] if a.sql(
            f"SELECT status FROM trenggalek.permits_application WHERE id = {pk}") == "draft"][0]
        response = _post(port, f"/api/v1/applications/{last}/submit/", headers=token)
        assert response.status_code == 200, response.text[:500]
        assert _sequence([response.json()["registration_number"]])[0] == sequence_after[-1] + 1
        assert _get(port, "/readyz").json()["writable"] is True
        metrics = _get(port, "/metrics").text  # the standby is connected: its lag is watched
        assert "pintu_replication_lag_seconds" in metrics and "pintu_database_writable 1.0" in metrics
    assert response.json()["registration_number"] in b.sql(
        "SELECT string_agg(registration_number, ',') FROM trenggalek.permits_application")  # on the standby too
    FAULTS["survived"] += 1


def test_with_the_primary_down_public_reads_come_from_the_standby_and_writes_get_a_clean_503(cluster, tmp_path):
    a, b = cluster.a, cluster.b
    setup = _prepare(a.url(), 3)
    (pk, number, code), = _submit(a.url(), setup["drafts"][:1])
    draft = setup["drafts"][1]
    token = {"Authorization": f"Token {setup['token']}"}
    port = free_port()
    with web_server(port=port, log_path=tmp_path / "web.log", DATABASE_URL=a.url(), STANDBY_DATABASE_URL=b.url(),
                    DEBUG="0", DEGRADED_CHECK_SECONDS="0.5", PRIMARY_CONNECT_TIMEOUT="1") as web:
        tracking = f"/lacak/?nomor={number}&kode={code}"
        healthy = _get(port, tracking)
        assert healthy.status_code == 200 and number in healthy.text and NOTICE not in healthy.text
        assert _get(port, "/readyz").status_code == 200

        a.stop("immediate")  # the primary is unreachable
        FAULTS["injected"] += 1
        time.sleep(1)
        page = _get(port, tracking)
        assert page.status_code == 200 and number in page.text and NOTICE in page.text, page.text[:1500]
        assert "Pengajuan permohonan baru dihentikan sementara" in page.text
        verify = _get(port, f"/verifikasi/{setup['permit_code']}/")
        assert verify.status_code == 200 and "503/0001/FAULT" in verify.text and NOTICE in verify.text
        catalog = _get(port, "/izin/")
        assert catalog.status_code == 200 and NOTICE in catalog.text
        assert _get(port, "/transparansi/").status_code == 200
        api = _get(port, f"/api/v1/tracking/?registration_number={number}&tracking_code={code}")
        assert api.status_code == 200 and api.headers["Pintu-Mode"] == "degraded", api.text[:500]

        typed = {"alamat_praktik": "Jl. Pahlawan No. 17, Trenggalek", "kecamatan": setup["form"]["kecamatan"],
                 "submit": "1"}
        form = _post(port, f"/permohonan/{draft}/", data=typed, allow_redirects=False)
        assert form.status_code == 503 and form.headers["Retry-After"].isdigit()
        assert MAINTENANCE in form.text and "Jl. Pahlawan No. 17, Trenggalek" in form.text  # nothing typed is lost
        submit = _post(port, f"/api/v1/applications/{draft}/submit/", headers=token)
        assert submit.status_code == 503 and submit.headers["Retry-After"].isdigit()
        assert submit.json()["code"] == "maintenance" and "pemeliharaan" in submit.json()["message"]
        ready = _get(port, "/readyz")
        assert ready.status_code == 503 and ready.json()["writable"] is False and ready.json()["standby"] == "ok"
        serving = _get(port, "/readyz/reads")  # the Kubernetes readiness probe: the pod stays in the Service
        assert serving.status_code == 200 and serving.json()["status"] == "degraded", serving.text
        for path in ("/", "/permohonan/", "/masuk/", "/kantor/", "/dasbor/"):
            assert _get(port, path).status_code in (200, 503)  # never a 500
        FAULTS["survived"] += 1

        a.start()  # the primary returns: no restart of the web server
        wait_for(lambda: NOTICE not in _get(port, tracking).text, 30, "the pages to leave degraded mode")
        submitted = _post(port, f"/api/v1/applications/{draft}/submit/", headers=token)
        assert submitted.status_code == 200, submitted.text[:500]
        assert _get(port, "/readyz").status_code == 200
        assert web.poll() is None
    assert a.sql(f"SELECT status FROM trenggalek.permits_application WHERE id = {draft}") != "draft"
