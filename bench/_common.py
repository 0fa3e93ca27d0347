"""Shared set-up for the benchmarks: a dedicated database, Django, a platform at scale.

Each benchmark works in its own database on the same PostgreSQL server as
DATABASE_URL (embedded pgserver when unset), so it never touches the
development or test data, and keeps it between runs: building 514 regencies
happens once.
"""
from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT / "platform", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

SCALE_DATABASE = "pintu_bench_scale"


def database_url_for(name: str) -> str:
    """DATABASE_URL with its database replaced by `name` (same server, same credentials)."""
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        from pintu import embedded

        embedded.ensure_environment()
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def database_ensure(name: str) -> str:
    """Create database `name` unless it exists; return its URL."""
    import psycopg2

    url = database_url_for(name)
    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return url


def django_setup(database: str, settings_module: str = "pintu.settings") -> None:
    os.environ["DATABASE_URL"] = database_ensure(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every query in memory
    import django

    django.setup()


def migrate(quiet: bool = True) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)
    return time.perf_counter() - started


def regencies_present() -> int:
    from tenants.models import Regency

    return Regency.objects.exclude(schema_name="public").count()


def scale_build(count: int, *, desc: str = "Building the platform") -> float:
    """Provision the official regencies, in code order, until `count` are on the platform.

    The real provisioning service (clone from the template, domain, admin
    account, audit entry); only the password hasher is a cheap one, because
    the point is the catalog's size, not 514 Argon2 hashes.
    """
    from django.test import override_settings
    from tqdm import tqdm

    from tenants.models import Regency
    from tenants.regions import official_regencies
    from tenants.services import public_tenant_ensure, regency_provision

    public_tenant_ensure()
    present = set(Regency.objects.exclude(code=None).values_list("code", flat=True))
    missing = [code for code in official_regencies() if code not in present][: max(0, count - len(present))]
    started = time.perf_counter()
    if not missing:
        return 0.0
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        for code in tqdm(missing, desc=desc, unit="regency", file=sys.stderr, dynamic_ncols=True):
            regency_provision(code=code, welcome=False, admin_password="bench-only-password")
    return time.perf_counter() - started


def scale_ready(database: str, regencies: int) -> None:
    """Django on `database`, migrated, with `regencies` (1..514) on the platform (built once, then kept)."""
    django_setup(database)
    migrate()
    built = scale_build(max(1, min(regencies, 514)))
    if built:
        print(f"built the platform in {built:.0f} s (kept for the next run)")


def schema_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%%' "
                       "AND nspname <> 'information_schema'")
        return cursor.fetchone()[0]


def median(values) -> float:
    return statistics.median(values)


def load_average() -> str:
    """The machine's 1/5/15-minute load average, printed next to the figures (the machine is shared)."""
    return "load average " + " / ".join(f"{value:.1f}" for value in os.getloadavg())


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def request_profile(label: str, request, repeat: int) -> pstats.Stats:
    """Where one request's time goes: wall, this process's CPU and the SQL round trips (medians of `repeat`
    calls of `request()`), printed; then cProfile's statistics over `repeat` more calls, for the caller to print."""
    from django.db import connection

    spent: list[float] = []

    def timed(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    walls, cpus, sqls = [], [], []
    for _ in range(repeat):
        spent.clear()
        with connection.execute_wrapper(timed):
            started, started_cpu = time.perf_counter(), time.process_time()
            request()
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - started_cpu)
        sqls.append(sum(spent))
    print(f"\nprofile of {label}: wall {statistics.median(walls) * 1000:.1f} ms, CPU {statistics.median(cpus) * 1000:.1f} "
          f"ms, SQL round trips {statistics.median(sqls) * 1000:.1f} ms ({len(spent)} queries), medians of {repeat}; "
          f"{load_average()}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(repeat):
        request()
    profile.disable()
    return pstats.Stats(profile)
