"""Issue #4's benchmarks, in one run: issuance, a worklist over 1 M applications, tracking vs its floor.

    python bench/applications.py                    # 1,000,000 applications (built once, kept)
    python bench/applications.py --applications 100000 --issuances 5
    python bench/applications.py --tracking-only --seconds 3 --rounds 3
    python bench/applications.py --worklist-only --worklist-rounds 7 --explain
    python bench/applications.py --worklist-only --worklist-rounds 0 --profile  # where the page's time goes

* issuance: number + PDF + signature + storage for one decision (target < 1.5 s each);
* worklist: the front office's /kantor/ page in a regency holding N applications, most of them
  decided long ago and ~1 % open (target < 25 ms and <= 8 queries, issue #18), as the median of
  --worklist-rounds rounds' medians, each round printed with the load average;
* tracking: /lacak/?nomor=..&kode=.. vs a bare WSGI app running the same SQL with psycopg2
  (bench/benchsite/tracking_floor.py), both served by gunicorn with the same settings and loaded from
  a second process, rounds alternating: the ratio of requests/s is the verdict.
  The verdict is the median of the rounds' ratios (target <= 2.0x, issue #18). The same two apps
  called in process (CPU per request) are printed too.
Uses its own database (pintu_bench_apps) on the DATABASE_URL server (embedded when unset).
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

import _common

DATABASE = "pintu_bench_apps"


def _wsgi_get(app, host: str, path: str, query: str = "") -> tuple[str, bytes]:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": host,
               "SERVER_PORT": "80", "HTTP_HOST": host, "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
               "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
               "wsgi.multiprocess": False, "wsgi.run_once": False, "SERVER_PROTOCOL": "HTTP/1.1"}
    status = []
    body = b"".join(app(environ, lambda s, h, *a: status.append(s)))
    return status[0], body


def build(count: int):
    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from permits.models.applications import Application
    from tenants.models import Regency
    from tenants.services import regency_provision
    from tests.factories import office_build, submitted_application

    regency = Regency.objects.filter(code="3503").first() or regency_provision(code="3503", welcome=False).regency
    with schema_context(regency.schema_name):
        office = office_build()
        from tests.factories import UserFactory

        applicant = UserFactory()
        sample = submitted_application(office, applicant)
        present = Application.objects.count()
        if present < count:
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:  # all or nothing: a rerun starts clean
                # Bulk history: decided applications, each with its finished step; 1 % still open.
                cursor.execute("""
                    INSERT INTO permits_application (registration_number, tracking_code, permit_type_id, sop_id, kind,
                        channel, applicant_id, applicant_name, applicant_nik, applicant_email, applicant_phone, form_data,
                        status, levy_amount, created_at, updated_at, submitted_at, due_at, paused_working_days)
                    SELECT '3503-B-' || g, 'BENCH' || g, %s, %s, 'new', 'online', %s, 'Pemohon ' || g, '', '', '', '{}',
                           CASE WHEN g %% 100 = 0 THEN 'in_process' ELSE 'issued' END, 0,
                           now() - (g || ' minutes')::interval, now(), now() - (g || ' minutes')::interval,
                           now() + ((g %% 20) || ' days')::interval, 0
                    FROM generate_series(%s, %s) AS g""",
                               [office.permit_type.pk, sample.sop_id, applicant.pk, present + 1, count])
                cursor.execute("""
                    INSERT INTO permits_steptask (application_id, step_id, stage, role, agency, status, opened_at, due_at,
                        action, note, checklist_result, survey_note, report_key)
                    SELECT a.id, %s, 1, 'front_office', '', CASE WHEN a.status = 'in_process' THEN 'open' ELSE 'done' END,
                           a.submitted_at, a.due_at, '', '', '{}', '', ''
                    FROM permits_application a WHERE a.registration_number LIKE '3503-B-%%'
                      AND NOT EXISTS (SELECT 1 FROM permits_steptask t WHERE t.application_id = a.id)""",
                               [sample.sop.steps.order_by("order").first().pk])
            with connection.cursor() as cursor:
                # What autovacuum does to settled history in production: statistics and the visibility
                # map (index-only scans of the worklist indexes depend on it).
                cursor.execute("VACUUM ANALYZE permits_application")
                cursor.execute("VACUUM ANALYZE permits_steptask")
            print(f"built {count - present:,} applications in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return regency, office, sample


def bench_issuance(office, count: int) -> list[float]:
    from django_tenants.utils import schema_context

    from permits.services.processing import application_approve
    from tests.factories import UserFactory, submitted_application, to_signing

    times = []
    with schema_context("trenggalek"):
        applicant = UserFactory()
        for _ in range(count):
            signing = to_signing(office, submitted_application(office, applicant))
            started = time.perf_counter()
            application_approve(task=signing, officer=office.signer)
            times.append(time.perf_counter() - started)
    return times


def worklist_profile(client, repeat: int) -> None:
    """Where /kantor/'s time goes (`_common.request_profile`), then cProfile's heaviest functions."""
    stats = _common.request_profile("/kantor/", lambda: client.get("/kantor/"), repeat)
    stats.sort_stats("cumulative").print_stats(r"pintu|permits|django/template|django/db/models", 40)
    stats.sort_stats("tottime").print_stats(25)


def bench_worklist(office, repeat: int, rounds: int, explain: bool = False,
                   profile: bool = False) -> tuple[list[float], int]:
    """The front office's /kantor/ in process: `rounds` rounds of `repeat` requests; each round's median (s)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="trenggalek.localhost")
    client.force_login(office.front_office, backend="django.contrib.auth.backends.ModelBackend")
    for _ in range(3):  # warm: routing cache, templates, the connection's catalog cache
        assert client.get("/kantor/").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/kantor/").status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    medians = []
    for round_no in range(rounds):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get("/kantor/")
            times.append(time.perf_counter() - started)
        medians.append(statistics.median(times))
        print(f"worklist, round {round_no + 1}/{rounds}: median of {repeat} {medians[-1] * 1000:.1f} ms; "
              f"{_common.load_average()}", file=sys.stderr, flush=True)
    if explain:
        from django_tenants.utils import schema_context

        with schema_context("trenggalek"), connection.cursor() as cursor:
            for sql in statements:
                if "permits_steptask" in sql:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    print("\n" + "\n".join(row[0] for row in cursor.fetchall()))
    if profile:
        worklist_profile(client, repeat)
    return medians, len(statements)


def bench_tracking(sample, repeat: int) -> tuple[float, float, float, float]:
    """In process: (median wall s, page; floor; CPU s per request, page; floor), interleaved."""
    from benchsite import tracking_floor
    from django.core.wsgi import get_wsgi_application

    django_app, floor = get_wsgi_application(), tracking_floor.application
    query = f"nomor={sample.registration_number}&kode={sample.tracking_code}"
    for app in (django_app, floor):
        status, body = _wsgi_get(app, "trenggalek.localhost", "/lacak/", query)
        assert status.startswith("200") and sample.registration_number.encode() in body, (status, body[:300])

    # Interleaved (page, floor, page, ...) so both see the same load on a shared machine; CPU time of
    # this process is reported too, since it does not depend on the load.
    wall = {django_app: [], floor: []}
    cpu = {django_app: 0.0, floor: 0.0}
    for round_ in range(repeat + 10):
        for app in (django_app, floor):
            started, started_cpu = time.perf_counter(), time.process_time()
            _wsgi_get(app, "trenggalek.localhost", "/lacak/", query)
            if round_ >= 10:  # the first rounds warm both
                wall[app].append(time.perf_counter() - started)
                cpu[app] += time.process_time() - started_cpu
    return (statistics.median(wall[django_app]), statistics.median(wall[floor]),
            cpu[django_app] / repeat, cpu[floor] / repeat)


def bench_tracking_cold(count: int, repeat: int) -> tuple[float, float]:
    """In process, a different bulk-built application each request (its result never cached; no history):
    CPU s per request (page, floor), interleaved."""
    import random

    from benchsite import tracking_floor
    from django.core.wsgi import get_wsgi_application

    django_app, floor = get_wsgi_application(), tracking_floor.application
    cpu = {django_app: 0.0, floor: 0.0}
    for number in random.sample(range(1, count + 1), repeat):
        query = f"nomor=3503-B-{number}&kode=BENCH{number}"
        for app in (django_app, floor):
            started = time.process_time()
            status, body = _wsgi_get(app, "trenggalek.localhost", "/lacak/", query)
            cpu[app] += time.process_time() - started
            assert status.startswith("200") and f"3503-B-{number}".encode() in body, (status, body[:300])
    return cpu[django_app] / repeat, cpu[floor] / repeat


def _server_cpu(master_pid: int) -> float:
    """CPU seconds (user + system) used so far by a gunicorn master and its workers (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == master_pid or int(fields[1]) == master_pid:  # fields[1]: the parent's pid
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def bench_tracking_http(sample, args) -> dict:
    """Over HTTP, as an applicant meets it: {"page"|"floor": (median req/s, median p50 ms, server CPU ms/request)}.

    Pintu (`pintu.wsgi`) and the floor (`benchsite.tracking_floor`) each served by gunicorn with the
    same settings as bench/routing.py (2 sync workers, persistent database connection), load from a
    second process (wrk, or routing's threaded Python client), rounds alternating.
    """
    import shutil
    import subprocess

    import routing

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pintu.settings", "PINTU_BENCH_SCHEMA": "trenggalek",
           "CONN_MAX_AGE": "60", "DEBUG": "0", "LOG_LEVEL": "WARNING",
           "PYTHONPATH": os.pathsep.join([str(_common.ROOT / "platform"), str(_common.ROOT), str(routing.BENCH_DIR)])}
    host = "trenggalek.localhost"
    path = f"/lacak/?nomor={sample.registration_number}&kode={sample.tracking_code}"
    use_wrk = bool(shutil.which("wrk")) and not args.python_client
    servers = {}
    try:
        for name, module in (("page", "pintu.wsgi"), ("floor", "benchsite.tracking_floor")):
            port = routing.free_port()
            servers[name] = (subprocess.Popen(
                [sys.executable, "-m", "gunicorn", module, "-b", f"127.0.0.1:{port}", "--workers", "2",
                 "--worker-class", "sync", "--log-level", "warning", "--chdir", str(_common.ROOT)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True), port)
        for name, (server, port) in servers.items():
            body = routing.wait_ready(port, host, path, server)
            assert sample.registration_number.encode() in body, (name, body[:300])
        for _, port in servers.values():  # warm: workers, connections, caches
            routing.load(port, host, path, 1.0, args.connections, use_wrk)
        results: dict[str, list[tuple[float, float]]] = {"page": [], "floor": []}
        cpu = {"page": 0.0, "floor": 0.0}
        served = {"page": 0.0, "floor": 0.0}
        for round_no in range(args.rounds):
            for name in (("page", "floor") if round_no % 2 == 0 else ("floor", "page")):
                server, port = servers[name]
                before = _server_cpu(server.pid)
                results[name].append(routing.load(port, host, path, args.seconds, args.connections, use_wrk))
                cpu[name] += _server_cpu(server.pid) - before
                served[name] += results[name][-1][0] * args.seconds
            print(f"tracking over HTTP, round {round_no + 1}/{args.rounds}: " + ", ".join(
                f"{n} {results[n][-1][0]:.0f} req/s" for n in ("page", "floor")), file=sys.stderr, flush=True)
    finally:
        for server, _ in servers.values():
            routing.stop_server(server)
    print(f"tracking over HTTP: gunicorn 2 sync workers each, {'wrk -t2' if use_wrk else 'Python threads'} x "
          f"{args.connections} connections, {args.rounds} x {args.seconds:.0f} s per app, medians")
    figures: dict = {name: (statistics.median(r for r, _ in rows), statistics.median(p for _, p in rows),
                            cpu[name] / served[name] * 1000) for name, rows in results.items()}
    # Each round's floor / page ratio: both ran back to back under the same load.
    figures["ratios"] = [f[0] / p[0] for p, f in zip(results["page"], results["floor"])]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--issuances", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--tracking-only", action="store_true", help="only the tracking comparison")
    parser.add_argument("--worklist-only", action="store_true", help="only the worklist at N applications")
    parser.add_argument("--worklist-rounds", type=int, default=7,
                        help="worklist: rounds of --repeat requests; the verdict is the median of the rounds' medians")
    parser.add_argument("--explain", action="store_true", help="worklist: print EXPLAIN (ANALYZE, BUFFERS) of its queries")
    parser.add_argument("--profile", action="store_true",
                        help="worklist: wall, CPU and SQL per request, then cProfile's heaviest functions")
    parser.add_argument("--seconds", type=float, default=5.0, help="tracking over HTTP: load per round and app")
    parser.add_argument("--rounds", type=int, default=7, help="tracking over HTTP: rounds (alternating)")
    parser.add_argument("--connections", type=int, default=8, help="tracking over HTTP: client connections")
    parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk exists")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    _common.django_setup(DATABASE)
    _common.migrate()
    regency, office, sample = build(args.applications)
    checks = []
    if not args.tracking_only and not args.worklist_only:
        issuance = bench_issuance(office, args.issuances)
        checks.append(("issuance, median of %d" % len(issuance),
                       f"{statistics.median(issuance):.3f} s (max {max(issuance):.3f})", "< 1.5 s",
                       statistics.median(issuance) < 1.5))
    if not args.tracking_only:
        rounds, queries = bench_worklist(office, args.repeat, args.worklist_rounds, args.explain, args.profile)
        if rounds:  # --worklist-rounds 0: only the profile
            worklist = statistics.median(rounds)
            checks.append((f"worklist, {args.applications:,} applications",
                           f"median of {len(rounds)} rounds {worklist * 1000:.1f} ms ({min(rounds) * 1000:.1f}-"
                           f"{max(rounds) * 1000:.1f}), {queries} queries", "< 25 ms, <= 8 queries",
                           worklist < 0.025 and queries <= 8))
    if args.worklist_only:
        return _report(checks, args)
    page, bare, page_cpu, bare_cpu = bench_tracking(sample, args.repeat)
    cold_cpu, cold_bare_cpu = bench_tracking_cold(min(args.applications, 1_000_000), args.repeat)
    from django.db import connection

    connection.close()
    http = bench_tracking_http(sample, args)
    ratios = http["ratios"]
    ratio = statistics.median(ratios)
    checks.append(("tracking page vs bare WSGI floor, HTTP",
                   f"median of {len(ratios)} rounds {ratio:.2f}x ({min(ratios):.2f}-{max(ratios):.2f}x)", "<= 2.0x",
                   ratio <= 2.0))
    _report(checks, args, printed_only=True)
    print(f"tracking over HTTP, p50 latency: page {http['page'][1]:.1f} ms, floor {http['floor'][1]:.1f} ms "
          f"({http['page'][1] / http['floor'][1]:.2f}x); CPU per request in the servers (gunicorn master + "
          f"workers, HTTP included): page {http['page'][2]:.2f} ms, floor {http['floor'][2]:.2f} ms "
          f"({http['page'][2] / http['floor'][2]:.1f}x)")
    print(f"tracking in process (Django's WSGI handler vs the floor, same process, no server): wall {page * 1000:.2f} "
          f"vs {bare * 1000:.2f} ms = {page / bare:.2f}x; CPU per request page {page_cpu * 1000:.2f} ms, "
          f"floor {bare_cpu * 1000:.2f} ms = {page_cpu / bare_cpu:.1f}x")
    print("  the runs above repeat one application, so the rendered page comes from the cache (one query checks it is current); "
          f"a different application each request (never cached, no history): CPU page {cold_cpu * 1000:.2f} ms, "
          f"floor {cold_bare_cpu * 1000:.2f} ms = {cold_cpu / cold_bare_cpu:.1f}x")
    print(_common.load_average())
    return 1 if args.check and not all(ok for *_, ok in checks) else 0


def _report(checks, args, printed_only: bool = False) -> int:
    print(f"{'measure':<40} {'result':<50} {'target':<22} verdict")
    for name, result, target, ok in checks:
        print(f"{name:<40} {result:<50} {target:<22} {_common.verdict(ok)}")
    if not printed_only:
        print(_common.load_average())
    return 1 if args.check and not all(ok for *_, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
