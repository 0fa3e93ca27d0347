"""What tenant routing costs: the same small view with and without it, requests/s in one run.

    python bench/routing.py                 # 3 rounds x 5 s per variant
    python bench/routing.py --seconds 2 --rounds 1
    python bench/routing.py --instructions-only   # load-proof figure only (valgrind), 1-3 min

Two real servers (gunicorn, 2 sync workers, CONN_MAX_AGE=60) on 127.0.0.1,
same database, same view (one row by primary key from a regency table):

  * tenant: Pintu's settings, RegencyMiddleware + django-tenants backend;
  * plain:  the same settings without tenant routing, plain PostgreSQL
            backend, the regency's schema fixed on the connection.

Load comes from a second process: `wrk` when installed (and not
--python-client), otherwise a small threaded Python client. Rounds alternate
the variants; the median of each is compared. Target (issue #2): tenant
routing at most 1.10x slower.

On a shared 2-core machine requests/s swing by more than the difference
being measured, so when valgrind is installed the script also counts the
instructions one request costs in the Django worker (callgrind, the same
WSGI application and view in process, `benchsite.probe`): a figure the
machine's load does not move. It leaves out gunicorn's HTTP parsing, the
kernel and PostgreSQL, which are the same for both variants, so it is an
upper bound of the routing's share. `--no-instructions` skips it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import _common

TARGET_RATIO = 1.10
BENCH_DIR = _common.ROOT / "bench"

CLIENT = r'''
import http.client, sys, threading, time
port, host, path, seconds, threads = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
done, errors, latencies = [0] * threads, [0] * threads, [[] for _ in range(threads)]
stop_at = time.perf_counter() + seconds
def run(i):
    conn = None
    while time.perf_counter() < stop_at:
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            started = time.perf_counter()
            conn.request("GET", path, headers={"Host": host})
            response = conn.getresponse(); response.read()
            latencies[i].append(time.perf_counter() - started)
            if response.status == 200: done[i] += 1
            else: errors[i] += 1
            if response.will_close:
                conn.close(); conn = None
        except OSError:
            errors[i] += 1; conn = None
workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
began = time.perf_counter()
for w in workers: w.start()
for w in workers: w.join()
elapsed = time.perf_counter() - began
flat = sorted(x for part in latencies for x in part)
print(sum(done) / elapsed, sum(errors), flat[len(flat) // 2] * 1000 if flat else 0)
'''


def free_port() -> int:
    """A free local port, within PINTU_TEST_PORTS (e.g. 12200-12299) when set: people sharing a machine keep
    to their own range (tests.services.free_port, the same rule)."""
    from tests.services import free_port as in_range

    return in_range()


def variant_env(variant: str, schema: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"benchsite.settings_{variant}",
        "PINTU_BENCH_SCHEMA": schema,
        "CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(_common.ROOT / "platform"), str(_common.ROOT), str(BENCH_DIR)]),
    }


def start_server(variant: str, port: int, schema: str) -> subprocess.Popen:
    env = variant_env(variant, schema)
    command = [sys.executable, "-m", "gunicorn", "benchsite.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2",
               "--worker-class", "sync", "--log-level", "warning", "--chdir", str(_common.ROOT)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def wait_ready(port: int, host: str, path: str, server: subprocess.Popen, timeout: float = 60) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("server exited: " + server.stderr.read().decode()[-2000:])
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server on port {port} not ready after {timeout:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def instruction_probes(schema: str, host: str, path: str, warm: int, count: int) -> dict[str, float] | str:
    """Instructions per request in the Django worker for each variant, or why they could not be counted.

    Both variants run at once under callgrind (one core each); only the
    `count` requests after `warm` are collected. Time runs ~50x slower under
    valgrind, so the routing generation (one cache read per process per
    second on the servers, every ~300 requests) is read once a minute here,
    which keeps its share per request what it is on the servers.
    """
    if not shutil.which("valgrind"):
        return "valgrind not installed (apt-get install valgrind)"
    with tempfile.TemporaryDirectory() as tmp:
        probes = {}
        for variant in ("plain", "tenant"):
            out = Path(tmp) / f"callgrind.{variant}"
            env = {**variant_env(variant, schema), "PYTHONHASHSEED": "0", "ROUTING_CHECK_SECONDS": "60"}
            command = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=sys_call_tracing",
                       f"--callgrind-out-file={out}", sys.executable, "-m", "benchsite.probe", host, path,
                       str(warm), str(count)]
            probes[variant] = (subprocess.Popen(command, env=env, cwd=_common.ROOT, stdout=subprocess.DEVNULL,
                                                stderr=subprocess.PIPE, text=True), out)
        counts = {}
        for variant, (probe, out) in probes.items():
            _, errors = probe.communicate(timeout=1800)
            if probe.returncode != 0:
                return f"{variant} probe failed: {errors[-1000:]}"
            totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
            if not totals or not int(totals.group(1)):
                return "callgrind collected nothing (a Python without symbols for sys_call_tracing?)"
            counts[variant] = int(totals.group(1)) / count
        return counts


def load(port: int, host: str, path: str, seconds: float, connections: int, use_wrk: bool) -> tuple[float, float]:
    """(requests/s, p50 ms) for `seconds` of load from a separate process."""
    if use_wrk:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "-H", f"Host: {host}",
             f"http://127.0.0.1:{port}{path}"],
            capture_output=True, text=True, timeout=seconds + 30, check=True,
        ).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(p50.group(1)), p50.group(2)
        non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        if non_2xx:
            raise RuntimeError(f"{non_2xx.group(1)} error responses from the server")
        return rate, value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    out = subprocess.run(
        [sys.executable, "-c", CLIENT, str(port), host, path, str(seconds), str(connections)],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout.split()
    rate, errors, p50 = float(out[0]), int(out[1]), float(out[2])
    if errors:
        raise RuntimeError(f"{errors} failed requests")
    return rate, p50


def rates_compare(args, schema: str, host: str, path: str) -> bool:
    """Both servers under load, rounds alternating; prints the table; True when within the target."""
    use_wrk = bool(shutil.which("wrk")) and not args.python_client
    servers = {}
    try:
        bodies = {}
        for variant in ("plain", "tenant"):
            port = free_port()
            servers[variant] = (start_server(variant, port, schema), port)
        for variant, (server, port) in servers.items():
            bodies[variant] = json.loads(wait_ready(port, host, path, server))
        if bodies["plain"] != bodies["tenant"] or not bodies["plain"]:
            raise RuntimeError(f"the two servers answer differently: {bodies}")
        for variant, (_, port) in servers.items():  # warm up: workers, connections, caches
            load(port, host, path, 1.0, args.connections, use_wrk)
        results: dict[str, list[tuple[float, float]]] = {"plain": [], "tenant": []}
        for round_no in range(args.rounds):
            order = ("plain", "tenant") if round_no % 2 == 0 else ("tenant", "plain")
            for variant in order:
                results[variant].append(load(servers[variant][1], host, path, args.seconds, args.connections, use_wrk))
            print(f"round {round_no + 1}/{args.rounds}: " + ", ".join(
                f"{v} {results[v][-1][0]:.0f} req/s" for v in ("plain", "tenant")), flush=True)
    finally:
        for server, _ in servers.values():
            stop_server(server)

    rate = {v: _common.median([r for r, _ in results[v]]) for v in results}
    p50 = {v: _common.median([p for _, p in results[v]]) for v in results}
    ratio = rate["plain"] / rate["tenant"]
    client = "wrk -t2" if use_wrk else "Python threads"
    print(f"\nRouting: GET {path} on {host} ({schema}), gunicorn 2 sync workers, CONN_MAX_AGE=60, "
          f"{client} x {args.connections} connections, {args.rounds} x {args.seconds:.0f} s per variant (median)")
    print(f"| {'variant':<44} | {'req/s':>8} | {'p50':>8} |")
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 10}|")
    print(f"| {'plain Django (no tenant routing)':<44} | {rate['plain']:>8.0f} | {p50['plain']:>6.1f}ms |")
    print(f"| {'Pintu RegencyMiddleware (django-tenants)':<44} | {rate['tenant']:>8.0f} | {p50['tenant']:>6.1f}ms |")
    ok = ratio <= TARGET_RATIO
    print(f"\ntenant routing is {ratio:.3f}x slower (target <= {TARGET_RATIO:.2f}x)  {_common.verdict(ok)}  "
          f"[load average {os.getloadavg()[0]:.1f}]", flush=True)
    return ok


def instructions_compare(args, schema: str, host: str, path: str) -> bool:
    """Instructions per request of both variants; prints them; True when within the target (or not counted)."""
    counts = instruction_probes(schema, host, path, warm=100, count=args.probe_requests)
    if isinstance(counts, str):
        print(f"instructions per request: not counted, {counts}")
        return True
    ratio = counts["tenant"] / counts["plain"]
    print(f"instructions per request in the Django worker (callgrind, {args.probe_requests} requests in process): "
          f"plain {counts['plain'] / 1e6:.3f} M, tenant {counts['tenant'] / 1e6:.3f} M "
          f"(+{(counts['tenant'] - counts['plain']) / 1e3:.0f} k)")
    ok = ratio <= TARGET_RATIO
    print(f"tenant routing costs {ratio:.3f}x the instructions (target <= {TARGET_RATIO:.2f}x)  {_common.verdict(ok)}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per round and variant")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--regencies", type=int, default=5, help="regencies on the bench platform")
    parser.add_argument("--database", default="pintu_bench_routing")
    parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk exists")
    counting = parser.add_mutually_exclusive_group()
    counting.add_argument("--no-instructions", action="store_true", help="skip the instruction count (callgrind)")
    counting.add_argument("--instructions-only", action="store_true", help="only the instruction count (1-3 min)")
    parser.add_argument("--probe-requests", type=int, default=200, help="requests counted per variant under callgrind")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    _common.django_setup(args.database)
    _common.migrate()
    _common.scale_build(max(1, args.regencies), desc="Regencies")
    from django.db import connection
    from django_tenants.utils import schema_context

    from pintu.access.models import Membership
    from tenants.models import Regency

    regency = Regency.objects.exclude(code=None).order_by("code").first()
    host = regency.domains.get(is_primary=True).domain
    with schema_context(regency.schema_name):
        row_id = Membership.objects.order_by("pk").values_list("pk", flat=True).first()
    connection.close()
    path = f"/bench/membership/{row_id}/"

    ok = True
    if not args.instructions_only:
        ok = rates_compare(args, regency.schema_name, host, path)
    if not args.no_instructions:
        ok = instructions_compare(args, regency.schema_name, host, path) and ok
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
