"""A deploy with nothing to migrate, over every regency schema: how long `migrate` takes.

    python bench/migrate_noop.py                    # 514 regencies (shares provision.py's database)
    python bench/migrate_noop.py --regencies 50 --standard-sample 5

Runs `python manage.py migrate --noinput` (public + template + every regency,
PintuExecutor: one UNION ALL over all `django_migrations`, then nothing to
do) as a deploy would, wall time including Django's start-up, median of
--repeat. For comparison, django-tenants' standard executor is timed on a
sample of schemas and its cost per schema multiplied out (a full standard
run over 514 takes minutes).

Targets: PERFORMANCE.md under 5 s for 514 regencies; issue #8 under a minute.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import _common

TARGET_SECONDS = 5.0


def deploy_migrate() -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(_common.ROOT / "manage.py"), "migrate", "--noinput"],
                          env={**os.environ, "DEBUG": "0"}, capture_output=True, text=True, check=True)
    summary = [line for line in done.stdout.splitlines() if "schemas checked" in line]  # public's, then the rest
    summary = summary[-1] if summary else ""
    return time.perf_counter() - started, summary.strip()


def standard_sample(count: int) -> tuple[float, int]:
    """Seconds for django-tenants' standard executor over `count` regency schemas (in process)."""
    from django_tenants.management.commands.migrate_schemas import Command
    from django_tenants.migration_executors.standard import StandardExecutor

    from tenants.models import Regency

    schemas = list(Regency.objects.exclude(schema_name="public").order_by("code")
                   .values_list("schema_name", flat=True)[:count])
    options = vars(Command().create_parser("manage.py", "migrate_schemas").parse_args(["--tenant", "--noinput",
                                                                                      "-v", "0"]))
    started = time.perf_counter()
    StandardExecutor([], {**options, "skip_checks": True}).run_migrations(tenants=schemas)
    return time.perf_counter() - started, len(schemas)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regencies", type=int, default=514)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--standard-sample", type=int, default=10, help="schemas for the standard executor (0: skip)")
    parser.add_argument("--database", default=_common.SCALE_DATABASE)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()

    _common.scale_ready(args.database, args.regencies)
    regencies, schemas = _common.regencies_present(), _common.schema_count()
    from django.db import connections

    connections.close_all()
    runs = [deploy_migrate() for _ in range(args.repeat)]
    seconds = _common.median([s for s, _ in runs])
    print(f"\nNo-op deploy: `manage.py migrate` with {regencies} regencies ({schemas} schemas), median of {args.repeat}")
    print(f"  {runs[-1][1]}")
    print(f"  runs: {', '.join(f'{s:.2f}s' for s, _ in runs)} (the first applies any migration added since "
          f"the last run); {_common.load_average()}")
    print(f"| {'executor':<58} | {'seconds':>9} |")
    print(f"|{'-' * 60}|{'-' * 11}|")
    print(f"| {'Pintu (pending check, then nothing), whole command':<58} | {seconds:>8.2f}s |")
    if args.standard_sample:
        sample_seconds, sample = standard_sample(args.standard_sample)
        per_schema = sample_seconds / max(1, sample)
        label = f"django-tenants standard, {sample} schemas measured"
        print(f"| {label:<58} | {sample_seconds:>8.2f}s |")
        label = f"  = {per_schema * 1000:.0f} ms/schema; x {regencies + 1} schemas (estimate)"
        print(f"| {label:<58} | {per_schema * (regencies + 1):>8.0f}s |")
    ok = seconds < TARGET_SECONDS
    print(f"\nno-op deploy over {regencies} regencies: {seconds:.2f} s (target < {TARGET_SECONDS:.0f} s)  "
          f"{_common.verdict(ok)}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
