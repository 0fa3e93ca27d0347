"""Start-up time: what every management command, worker boot, migration Job and test process pays.

    python bench/startup.py                  # manage.py check, and a no-op deploy over 514 regencies
    python bench/startup.py --regencies 50   # a smaller platform (shares provision.py's database)
    python bench/startup.py --check-only     # manage.py check alone (no platform to build)

`manage.py check` runs with placeholder DATABASE_URL / REDIS_URL (check connects to nothing),
so the figure is Python + Django + the app's imports. The heavy document libraries (pyHanko,
reportlab, qrcode, openpyxl, boto3) load where they are used, not at start-up; the modules still
imported by `check` are listed. Targets (issue #19): check under 1.5 s, a no-op deploy over 514
regencies under 2 s. Median of --repeat; the load average is printed, as the figures follow it.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import _common

CHECK_TARGET, DEPLOY_TARGET = 1.5, 2.0
HEAVY = ("pyhanko", "reportlab", "qrcode", "openpyxl", "boto3")
PLACEHOLDERS = {"DATABASE_URL": "postgres://startup@127.0.0.1:1/startup", "REDIS_URL": "redis://127.0.0.1:1/0"}


def check_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(_common.ROOT / "manage.py"), "check"], env={**os.environ, **PLACEHOLDERS},
                   capture_output=True, text=True, check=True)
    return time.perf_counter() - started


def heavy_loaded_by_check() -> list[str]:
    probe = ("import runpy, sys; sys.argv = ['manage.py', 'check']\n"
             "try:\n    runpy.run_path('manage.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=_common.ROOT, env={**os.environ, **PLACEHOLDERS},
                          capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("HEAVY:"))
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regencies", type=int, default=514)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default=_common.SCALE_DATABASE)
    parser.add_argument("--check-only", action="store_true", help="skip the no-op deploy")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    check_seconds()  # the first run writes .pyc files
    runs = [check_seconds() for _ in range(args.repeat)]
    check = _common.median(runs)
    heavy = heavy_loaded_by_check()
    print(f"manage.py check: {check:.2f} s median of {args.repeat} ({', '.join(f'{s:.2f}' for s in runs)}); "
          f"{_common.load_average()}")
    print(f"  heavy libraries imported by check: {', '.join(heavy) or 'none'}")
    ok = check < CHECK_TARGET and not heavy
    print(f"start-up (manage.py check): {check:.2f} s (target < {CHECK_TARGET} s)  {_common.verdict(ok)}")
    if not args.check_only:
        import migrate_noop

        _common.scale_ready(args.database, args.regencies)
        regencies = _common.regencies_present()
        from django.db import connections

        connections.close_all()
        deploys = [migrate_noop.deploy_migrate()[0] for _ in range(args.repeat)]
        deploy = _common.median(deploys)
        deploy_ok = deploy < DEPLOY_TARGET
        print(f"no-op deploy over {regencies} regencies: {deploy:.2f} s median of {args.repeat} "
              f"({', '.join(f'{s:.2f}' for s in deploys)}) (target < {DEPLOY_TARGET} s)  {_common.verdict(deploy_ok)}")
        ok = ok and deploy_ok
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
