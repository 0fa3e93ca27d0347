"""How long a new regency takes: schema by clone vs by migrations, at scale, in one run.

    python bench/provision.py                  # 514 regencies on the platform (built once, kept)
    python bench/provision.py --regencies 50   # quick run

Works in its own database (default pintu_bench_scale) on the server of
DATABASE_URL (embedded PostgreSQL when unset). The first run migrates it and
provisions the official regencies up to --regencies; later runs reuse them.
Then, on throwaway schemas (dropped after each timing), it times:

  * by migrations: CREATE SCHEMA + migrate_schemas for it;
  * django-tenants' clone: its clone function re-created, clone_schema(), migrate --fake;
  * Pintu's clone (tenants.clone, what provisioning uses);

and the whole `regency_provision` (schema, domain, administrator invited by
e-mail with no password to hash since issue #15, signing identity, audit entry)
for one more regency — the last one is removed and
provisioned again, since the official list has exactly 514.

Targets (issue #2, PERFORMANCE.md): the clone under 2 s and at least 5x faster
than migrations; a new regency live in under 2 s with 514 on the platform.
"""
from __future__ import annotations

import argparse
import sys
import time

import _common

TARGET_SECONDS = 2.0
TARGET_RATIO = 5.0


def _drop(schema: str) -> None:
    from django.db import connection

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def by_migrations(schema: str) -> None:
    from tenants.clone import schema_create_by_migrations

    schema_create_by_migrations(schema)


def by_django_tenants_clone(schema: str) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.clone import CloneSchema

    CloneSchema().clone_schema(settings.TENANT_BASE_SCHEMA, schema, "DATA")
    call_command("migrate_schemas", tenant=True, fake=True, schema_name=schema, interactive=False,
                 verbosity=0, executor="standard")
    connection.set_schema_to_public()


def by_pintu_clone(schema: str) -> None:
    from tenants.clone import regency_schema_create

    method = regency_schema_create(schema)
    assert method == "ddl", method


PATHS = [
    ("by migrations (CREATE SCHEMA + migrate_schemas)", "migrate", by_migrations),
    ("django-tenants clone (function + clone_schema + migrate --fake)", "dt_clone", by_django_tenants_clone),
    ("Pintu clone (tenants.clone)", "clone", by_pintu_clone),
]


def measure_schemas(repeat: int) -> dict[str, list[float]]:
    """Each path `repeat` times, interleaved, on fresh schema names; each schema dropped after."""
    from django.db import connection

    # warm up once (imports, migration graph, the clone function) without timing
    for _, key, create in PATHS:
        create(f"bench_warm_{key}")
        _drop(f"bench_warm_{key}")
    times: dict[str, list[float]] = {key: [] for _, key, _ in PATHS}
    for i in range(repeat):
        for _, key, create in PATHS:
            schema = f"bench_{key}_{i}"
            _drop(schema)
            connection.set_schema_to_public()
            started = time.perf_counter()
            create(schema)
            times[key].append(time.perf_counter() - started)
            _drop(schema)
    return times


def measure_live(repeat: int) -> tuple[list[float], str]:
    """Whole regency_provision for the last regency, removed and provisioned again each time."""
    from django.db import connection

    from tenants.models import Regency
    from tenants.services import regency_provision

    regency = Regency.objects.exclude(code=None).order_by("-code").first()
    code, subdomain = regency.code, regency.domains.get(is_primary=True).domain.split(".")[0]
    seconds = []
    for i in range(repeat):
        connection.set_schema_to_public()
        Regency.objects.get(code=code).delete(force_drop=True)
        started = time.perf_counter()
        result = regency_provision(code=code, subdomain=subdomain, welcome=False,
                                   admin_email=f"bench-{time.time_ns()}-{i}@bench.invalid")
        seconds.append(time.perf_counter() - started)
        assert result.created and not result.admin.has_usable_password()  # invited, no hash (issue #15)
    return seconds, f"{regency.name} ({code})"


def report(title: str, times: dict[str, list[float]], live: list[float] | None, live_name: str) -> bool:
    med = {key: _common.median(values) for key, values in times.items()}
    print(f"\n{title}")
    print(f"| {'path':<66} | {'median':>8} | {'min':>8} | {'max':>8} |")
    print(f"|{'-' * 68}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
    for label, key, _ in PATHS:
        values = times[key]
        print(f"| {label:<66} | {med[key]:>7.3f}s | {min(values):>7.3f}s | {max(values):>7.3f}s |")
    if live:
        label = f"whole regency_provision, invited admin: {live_name}"[:66]
        print(f"| {label:<66} | {_common.median(live):>7.3f}s | {min(live):>7.3f}s | {max(live):>7.3f}s |")
    ratio = med["migrate"] / med["clone"]
    dt_ratio = med["dt_clone"] / med["clone"]
    ok_ratio = ratio >= TARGET_RATIO
    ok_clone = med["clone"] < TARGET_SECONDS
    print(f"\nmigrations / Pintu clone        : {ratio:6.1f}x   (target >= {TARGET_RATIO:.0f}x)  "
          f"{_common.verdict(ok_ratio)}")
    print(f"django-tenants clone / Pintu    : {dt_ratio:6.1f}x")
    print(f"Pintu clone                     : {med['clone']:6.3f} s (target < {TARGET_SECONDS:.0f} s)   "
          f"{_common.verdict(ok_clone)}")
    ok = ok_ratio and ok_clone
    if live:
        ok_live = _common.median(live) < TARGET_SECONDS
        print(f"new regency live (whole service): {_common.median(live):6.3f} s (target < {TARGET_SECONDS:.0f} s)   "
              f"{_common.verdict(ok_live)}")
        ok = ok and ok_live
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regencies", type=int, default=514, help="regencies on the platform (max 514)")
    parser.add_argument("--repeat", type=int, default=5, help="timings per path (median reported)")
    parser.add_argument("--database", default=_common.SCALE_DATABASE)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    regencies = max(1, min(args.regencies, 514))

    _common.django_setup(args.database)
    from django.db import connection

    seconds = _common.migrate()
    print(f"database {args.database}: migrated in {seconds:.1f} s", flush=True)
    ok = True
    present = _common.regencies_present()
    if present < regencies:
        if present <= 10:
            _common.scale_build(min(regencies, 5), desc="First regencies")
            times = measure_schemas(max(3, args.repeat // 2))
            report(f"Small platform: {_common.regencies_present()} regencies, {_common.schema_count()} schemas",
                   times, None, "")
        built = _common.scale_build(regencies)
        print(f"built {regencies} regencies in {built:.0f} s (kept for the next run)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_class")
        relations = cursor.fetchone()[0]
    times = measure_schemas(args.repeat)
    live, live_name = measure_live(max(1, min(3, args.repeat)))
    ok = report(
        f"At scale: {_common.regencies_present()} regencies on the platform, {_common.schema_count()} schemas, "
        f"{relations} relations in pg_class, PostgreSQL {version.split()[0]}, median of {args.repeat}",
        times, live, live_name,
    ) and ok
    print(f"\nOVERALL: {_common.verdict(ok)}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
