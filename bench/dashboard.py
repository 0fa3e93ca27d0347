"""Issue #6's benchmark: the national dashboard over 514 regencies with a month of daily rollups.

    python bench/dashboard.py                       # 514 regencies (shares provision.py's database)
    python bench/dashboard.py --regencies 50 --repeat 3
    python bench/dashboard.py --repeat 7 --profile     # then where the national XLSX export's time goes

The ministry console's page (/kementerian/dasbor/ on the apex) rendered through
Django's test client (whole middleware stack, Host header of the apex, signed in
as a ministry administrator): the default period, a province filter, a 7-day
and an explicit period, and the CSV and XLSX exports consumed to the last byte.
Each page: its query count (one captured run) and its wall time (median of
--repeat runs, not captured).

The daily rows are written straight into `dashboards_regencydailystats` (the
rollup's table) for every regency and each of the --days last days: realistic,
seeded figures (bigger regencies receive more, ~60 % online, SLA 70-98 %), so
the page reads what a month of the real rollup would leave.

Targets (issue #6): <= 10 queries and < 300 ms per page.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time

import _common

MAX_QUERIES = 10
TARGET_MS = 300.0
ADMIN_EMAIL = "kementerian@bench.pintu.id"


def rollups_seed(*, days: int, seed: int = 6) -> tuple[int, dt.date, dt.date]:
    """Replace the daily rows of the last `days` days with seeded, plausible figures for every regency."""
    from django.db import connection, transaction

    from permits.selectors.stats import ikm_from
    from permits.selectors.survey import grade_of
    from pintu.dashboards.models import RegencyDailyStats
    from pintu.dashboards.selectors import latest_today
    from tenants.models import Regency

    last = latest_today()
    first = last - dt.timedelta(days=days - 1)
    rng = random.Random(seed)
    rows = []
    for regency_id in Regency.objects.exclude(schema_name="public").order_by("code").values_list("pk", flat=True):
        size = rng.choice((4, 8, 15, 30, 60))  # a rural regency's office to a city's
        online_share = rng.uniform(0.35, 0.85)
        on_time = rng.uniform(0.70, 0.98)
        backlog = rng.randint(5, 40 * size // 10 + 5)
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            weekend = day.weekday() >= 5
            received = 0 if weekend else max(0, int(rng.gauss(size, size / 3)))
            online = int(received * online_share)
            decided = 0 if weekend else max(0, int(rng.gauss(size * 0.9, size / 3)))
            met = sum(rng.random() < on_time for _ in range(decided))
            histogram: dict[str, int] = {}
            for _ in range(decided):
                key = str(max(1, int(rng.gauss(4, 2))))
                histogram[key] = histogram.get(key, 0) + 1
            backlog = max(0, backlog + received - decided)
            respondents = rng.randint(0, max(1, decided // 3))
            score_sum = sum(rng.randint(27, 36) for _ in range(respondents))  # 9 questions x 1-4
            ikm = ikm_from(respondents=respondents, score_sum=score_sum)
            issued = int(decided * rng.uniform(0.9, 1.0))
            rows.append(RegencyDailyStats(
                regency_id=regency_id, day=day, received_online=online, received_counter=received - online,
                decided=decided, issued=issued, rejected=decided - issued, sla_met=met, sla_missed=decided - met,
                decision_days=histogram, backlog=backlog, late=int(backlog * (1 - on_time)),
                complaints_open=rng.randint(0, 3), respondents=respondents, survey_score_sum=score_sum,
                ikm=ikm, ikm_grade=grade_of(ikm)[0] if ikm is not None else ""))
    with transaction.atomic():
        RegencyDailyStats.objects.filter(day__gte=first, day__lte=last).delete()
        RegencyDailyStats.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:  # what autovacuum does after a real rollup; no dead rows from reseeding
        cursor.execute(f"VACUUM ANALYZE {RegencyDailyStats._meta.db_table}")
    return len(rows), first, last


def ministry_admin():
    from pintu.identity.models import MinistryRole, User
    from pintu.identity.services import ministry_role_grant

    user = User.objects.filter(email=ADMIN_EMAIL).first()
    if user is None:
        user = User.objects.create_user(ADMIN_EMAIL, "bench-only-password", full_name="Administrator Bench")
    if not MinistryRole.objects.filter(user=user, role=MinistryRole.Role.ADMINISTRATOR).exists():
        ministry_role_grant(user=user, role=MinistryRole.Role.ADMINISTRATOR)
    return user


def _fetch(client, url: str) -> tuple[int, int]:
    response = client.get(url)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    response.close()
    return response.status_code, len(body)


def page_measure(client, url: str, repeat: int) -> dict:
    from django.db import connection

    status, size = _fetch(client, url)  # warm: routing cache, templates, session
    sql = []

    def count(execute, statement, params, many, context):
        sql.append(statement)
        return execute(statement, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: each request resets connection.queries_log.
    with connection.execute_wrapper(count):
        _fetch(client, url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        _fetch(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return {"status": status, "bytes": size, "queries": len(sql), "ms": statistics.median(times),
            "min": min(times), "max": max(times), "sql": sql}


def export_profile(client, url: str, repeat: int) -> None:
    """Where the export's time goes (`_common.request_profile`), then cProfile's heaviest functions of the
    dashboard code and the writer."""
    stats = _common.request_profile(url, lambda: _fetch(client, url), repeat)
    stats.sort_stats("cumulative").print_stats(r"dashboards|execute_sql", 15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regencies", type=int, default=514)
    parser.add_argument("--days", type=int, default=30, help="days of rollups per regency")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", default=_common.SCALE_DATABASE)
    parser.add_argument("--show-sql", action="store_true", help="print each page's queries")
    parser.add_argument("--profile", action="store_true", help="profile the national XLSX export after the table")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    _common.scale_ready(args.database, args.regencies)
    started = time.perf_counter()
    count, first, last = rollups_seed(days=args.days)
    print(f"seeded {count} daily rows ({first} .. {last}) in {time.perf_counter() - started:.1f} s")

    from django.conf import settings
    from django.test import Client

    from pintu.dashboards.selectors import provinces

    regencies = _common.regencies_present()
    province, province_name = max(provinces(), key=lambda p: p[0] == "35")  # Jawa Timur when present
    client = Client(HTTP_HOST=settings.PINTU_DOMAIN)
    client.force_login(ministry_admin(), backend="django.contrib.auth.backends.ModelBackend")
    base = "/kementerian/dasbor/"
    week_first = last - dt.timedelta(days=6)
    pages = [
        ("default period (30 days), all regencies", base),
        (f"province {province} ({province_name})", f"{base}?provinsi={province}"),
        ("period: last 7 days", f"{base}?hari=7"),
        (f"period: {first} .. {last}", f"{base}?dari={first}&sampai={last}"),
        ("period + province", f"{base}?dari={week_first}&sampai={last}&provinsi={province}"),
        ("CSV export, all regencies", f"{base}?format=csv"),
        ("XLSX export, all regencies", f"{base}?format=xlsx"),
        (f"XLSX export, province {province}", f"{base}?format=xlsx&provinsi={province}"),
    ]
    print(f"\nNational dashboard, {regencies} regencies x {args.days} days of rollups, "
          f"median of {args.repeat} per page (ms); {_common.load_average()}")
    print(f"| {'page':<44} | {'status':>6} | {'KiB':>6} | {'queries':>7} | {'median':>8} | {'min':>7} | "
          f"{'max':>7} | {'verdict':>7} |")
    print(f"|{'-' * 46}|{'-' * 8}|{'-' * 8}|{'-' * 9}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    failures = 0
    worst_ms, worst_queries = 0.0, 0
    for label, url in pages:
        m = page_measure(client, url, args.repeat)
        ok = m["status"] == 200 and m["queries"] <= MAX_QUERIES and m["ms"] < TARGET_MS
        failures += not ok
        worst_ms, worst_queries = max(worst_ms, m["ms"]), max(worst_queries, m["queries"])
        print(f"| {label:<44} | {m['status']:>6} | {m['bytes'] / 1024:>6.0f} | {m['queries']:>7} | "
              f"{m['ms']:>8.1f} | {m['min']:>7.1f} | {m['max']:>7.1f} | {_common.verdict(ok):>7} |")
        if args.show_sql:
            for sql in m["sql"]:
                print(f"    {sql[:160]}")
    if args.profile:
        export_profile(client, f"{base}?format=xlsx", args.repeat)
    print(f"\nslowest page {worst_ms:.0f} ms = {worst_ms / TARGET_MS:.2f}x the {TARGET_MS:.0f} ms budget; "
          f"most queries {worst_queries} (target <= {MAX_QUERIES})  {_common.verdict(not failures)}; {_common.load_average()}")
    return 0 if not failures or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
