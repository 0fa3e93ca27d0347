"""Issue #4's benchmarks, in one run: issuance, a worklist over 1 M applications, tracking vs its floor.

    python bench/applications.py                    # 1,000,000 applications (built once, kept)
    python bench/applications.py --applications 100000 --issuances 5

* issuance: number + PDF + signature + storage for one decision (target < 1.5 s each);
* worklist: the front office's /kantor/ page in a regency holding N applications, most of them
  decided long ago and ~1 % open (target < 50 ms and <= 8 queries);
* tracking: /lacak/?nomor=..&kode=.. through Django's WSGI handler vs a bare WSGI app running the
  same SQL with psycopg2, both called in-process on the same connection settings (target <= 2.5x).
Uses its own database (pintu_bench_apps) on the DATABASE_URL server (embedded when unset).
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time

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
    from django.db import connection
    from django_tenants.utils import schema_context

    from permits.models.applications import Application
    from tenants.models import Regency
    from tenants.services import regency_provision
    from tests.permits.flow.conftest import office_build, submitted_application

    regency = Regency.objects.filter(code="3503").first() or regency_provision(code="3503", welcome=False).regency
    with schema_context(regency.schema_name):
        office = office_build()
        from tests.factories import UserFactory

        applicant = UserFactory()
        sample = submitted_application(office, applicant)
        present = Application.objects.count()
        if present < count:
            started = time.perf_counter()
            with connection.cursor() as cursor:
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
                        action, note, checklist_result, report_key)
                    SELECT a.id, %s, 1, 'front_office', '', CASE WHEN a.status = 'in_process' THEN 'open' ELSE 'done' END,
                           a.submitted_at, a.due_at, '', '', '{}', ''
                    FROM permits_application a WHERE a.registration_number LIKE '3503-B-%%'
                      AND NOT EXISTS (SELECT 1 FROM permits_steptask t WHERE t.application_id = a.id)""",
                               [sample.sop.steps.order_by("order").first().pk])
                # What autovacuum does to settled history in production: statistics and the visibility
                # map (index-only scans of the worklist indexes depend on it).
                cursor.execute("VACUUM ANALYZE permits_application")
                cursor.execute("VACUUM ANALYZE permits_steptask")
            print(f"built {count - present:,} applications in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return regency, office, sample


def bench_issuance(office, count: int) -> list[float]:
    from django_tenants.utils import schema_context

    from permits.models.applications import StepTask
    from permits.services.processing import task_act
    from tests.factories import UserFactory
    from tests.permits.flow.conftest import submitted_application

    times = []
    with schema_context("trenggalek"):
        applicant = UserFactory()
        for _ in range(count):
            application = submitted_application(office, applicant)
            for _round in range(2):
                for task in StepTask.objects.filter(application=application, status="open"):
                    officer = office.front_office if task.role == "front_office" else \
                        (office.health if task.agency == "Dinas Kesehatan" else office.police)
                    task_act(task=task, officer=officer, action="forward" if task.role == "front_office" else "recommend")
            signing = StepTask.objects.get(application=application, status="open")
            started = time.perf_counter()
            task_act(task=signing, officer=office.signer, action="approve_sign")
            times.append(time.perf_counter() - started)
    return times


def bench_worklist(office, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="trenggalek.localhost")
    client.force_login(office.front_office, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/kantor/").status_code == 200  # warm
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/kantor/")
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
        queries = len(captured)
    return times, queries


def bench_tracking(sample, repeat: int) -> tuple[float, float]:
    import psycopg2
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    django_app = get_wsgi_application()
    query = f"nomor={sample.registration_number}&kode={sample.tracking_code}"
    status, body = _wsgi_get(django_app, "trenggalek.localhost", "/lacak/", query)
    assert status.startswith("200") and sample.registration_number.encode() in body
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or
                            (db.get("OPTIONS") or {}).get("host"), port=db["PORT"] or None)
    conn.autocommit = True

    def floor(environ, start_response):
        # The same SQL the page needs: the application by number, its history, its open steps.
        with conn.cursor() as cursor:
            cursor.execute("SET search_path = trenggalek, public")
            cursor.execute("SELECT id, tracking_code, status, due_at FROM permits_application "
                           "WHERE registration_number = %s", [sample.registration_number])
            row = cursor.fetchone()
            cursor.execute("SELECT at, message FROM permits_applicationevent WHERE application_id = %s ORDER BY at",
                           [row[0]])
            events = cursor.fetchall()
            cursor.execute("SELECT s.name, t.role FROM permits_steptask t JOIN permits_sopstep s ON s.id = t.step_id "
                           "WHERE t.application_id = %s AND t.status = 'open'", [row[0]])
            holders = cursor.fetchall()
        start_response("200 OK", [("Content-Type", "text/html")])
        return [("<ol>" + "".join(f"<li>{a} {m}</li>" for a, m in events) + "</ol>" + str(holders)).encode()]

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--issuances", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    _common.django_setup(DATABASE)
    _common.migrate()
    regency, office, sample = build(args.applications)
    issuance = bench_issuance(office, args.issuances)
    worklist, queries = bench_worklist(office, args.repeat)
    page, bare, page_cpu, bare_cpu = bench_tracking(sample, args.repeat)
    checks = [
        ("issuance, median of %d" % len(issuance), f"{statistics.median(issuance):.3f} s (max {max(issuance):.3f})",
         "< 1.5 s", statistics.median(issuance) < 1.5),
        (f"worklist, {args.applications:,} applications", f"{statistics.median(worklist) * 1000:.1f} ms, {queries} queries",
         "< 50 ms, <= 8 queries", statistics.median(worklist) < 0.05 and queries <= 8),
        ("tracking page vs bare WSGI floor", f"{page * 1000:.2f} ms vs {bare * 1000:.2f} ms = {page / bare:.2f}x",
         "<= 2.5x", page / bare <= 2.5),
    ]
    print(f"{'measure':<38} {'result':<36} {'target':<22} verdict")
    for name, result, target, ok in checks:
        print(f"{name:<38} {result:<36} {target:<22} {_common.verdict(ok)}")
    print(f"tracking, CPU of this process per request: page {page_cpu * 1000:.2f} ms, floor {bare_cpu * 1000:.2f} ms; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 1 if args.check and not all(ok for *_, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
