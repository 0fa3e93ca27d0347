"""Start-up time: what every management command, worker boot, migration Job and test process pays.

    python bench/startup.py                  # manage.py check, and a no-op deploy over 514 regencies
    python bench/startup.py --regencies 50   # a smaller platform (shares provision.py's database)
    python bench/startup.py --check-only     # manage.py check alone (no platform to build)

`manage.py check` runs with placeholder DATABASE_URL / REDIS_URL (check connects to nothing),
so the figure is Python + Django + the app's imports. The heavy document libraries (pyHanko,
reportlab, qrcode, openpyxl, boto3) load where they are used, not at start-up; the modules still
imported by `check` are listed. Targets (issue #19): check under 1.5 s, a no-op deploy over 514
regencies under 2 s. Median of --repeat rounds; each round also times a bare `python -c "import django"`
(the interpreter's own start-up), so the ratio holds on a loaded machine where seconds do not, and the
CPU seconds the child used (less sensitive to load than wall time). The load average is printed too.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

import _common

CHECK_TARGET, DEPLOY_TARGET = 1.5, 2.0
# What check must not import (tests/deploy/test_container.py holds the full list).
HEAVY = ("pyhanko", "reportlab", "qrcode", "openpyxl", "boto3", "celery.app", "kombu", "redis",
         "drf_spectacular.openapi", "django.test", "jinja2", "cryptography.x509", "PIL.Image",
         "prometheus_client", "urllib3", "requests.sessions", "yaml.loader")
PLACEHOLDERS = {"DATABASE_URL": "postgres://startup@127.0.0.1:1/startup", "REDIS_URL": "redis://127.0.0.1:1/0"}


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, cwd=_common.ROOT, env={**os.environ, **PLACEHOLDERS}, capture_output=True, text=True,
                   check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def check_seconds() -> tuple[float, float]:
    return timed([sys.executable, str(_common.ROOT / "manage.py"), "check"])


def bare_seconds() -> tuple[float, float]:
    return timed([sys.executable, "-c", "import django"])


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
    rounds = [(check_seconds(), bare_seconds()) for _ in range(args.repeat)]
    runs = [c[0] for c, _ in rounds]
    check = _common.median(runs)
    bare = _common.median([b[0] for _, b in rounds])
    ratio = _common.median([c[0] / b[0] for c, b in rounds])
    cpu = _common.median([c[1] for c, _ in rounds])
    heavy = heavy_loaded_by_check()
    print(f"manage.py check: {check:.2f} s median of {args.repeat} ({', '.join(f'{s:.2f}' for s in runs)}), "
          f"{cpu:.2f} CPU s; bare `python -c 'import django'` {bare:.3f} s, check / bare {ratio:.1f}x "
          f"(median of the rounds); {_common.load_average()}")
    print(f"  heavy libraries imported by check: {', '.join(heavy) or 'none'}")
    ok = check < CHECK_TARGET and not heavy
    print(f"start-up (manage.py check): {check:.2f} s (target < {CHECK_TARGET} s)  {_common.verdict(ok)}")
    if not args.check_only:
        import migrate_noop

        _common.scale_ready(args.database, args.regencies)
        regencies = _common.regencies_present()
        from django.db import connections

        connections.close_all()
        pairs = [(migrate_noop.deploy_migrate()[0], bare_seconds()[0]) for _ in range(args.repeat)]
        deploys = [d for d, _ in pairs]
        deploy = _common.median(deploys)
        deploy_ok = deploy < DEPLOY_TARGET
        print(f"no-op deploy over {regencies} regencies: {deploy:.2f} s median of {args.repeat} "
              f"({', '.join(f'{s:.2f}' for s in deploys)}), deploy / bare `import django` "
              f"{_common.median([d / b for d, b in pairs]):.1f}x; {_common.load_average()} "
              f"(target < {DEPLOY_TARGET} s)  {_common.verdict(deploy_ok)}")
        ok = ok and deploy_ok
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
