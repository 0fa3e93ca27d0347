"""Real processes for tests (the test database's URL, a Celery worker, the web server) and the plumbing
shared by test folders: hosts, counters printed at the end of a session, waiting for a condition."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
# Counters the security and fault suites print at the end of the session (their conftest.py).
COUNTS: Counter = Counter()
FAULTS: Counter = Counter()


def free_port() -> int:
    """A free local port; within PINTU_TEST_PORTS (e.g. 12200-12299) when set, so that test runs sharing
    a machine keep to their own range."""
    first, _, last = os.environ.get("PINTU_TEST_PORTS", "").partition("-")
    candidates = [0]
    if first:
        ports = range(int(first), int(last or first) + 1)
        candidates = random.sample(ports, len(ports))  # two calls before either port is used differ
    for candidate in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in PINTU_TEST_PORTS={os.environ['PINTU_TEST_PORTS']}")


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for the test database pytest-django created (or `name` on the same server),
    for child processes; the embedded pgserver's unix socket directory included."""
    from django.db import connection

    db = connection.settings_dict
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or "127.0.0.1"
    if host.startswith("/"):
        host = quote(host, safe="")  # a socket directory (the embedded pgserver)
    auth = quote(db.get("USER") or "postgres", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{name or db['NAME']}"


# --- The test database, built once -------------------------------------------------------------
# Building it (migrations of every app on the public and the template schema, two regencies provisioned)
# is each test process's largest cost: ~30 s on a quiet 2-core machine, paid by every pytest-xdist worker,
# mostly Django rendering migration states in Python. The first process to need it builds it as before
# and saves a copy as a PostgreSQL template named after the sources that shape it; every other process,
# in this run or a later one with the same sources, clones that copy (CREATE DATABASE ... TEMPLATE, about
# a second) and then runs the same setup on it, whose migrate and provisioning find nothing to do.
# (Each run drops the templates of older sources.)
DB_TEMPLATE_SOURCES = ("tenants", "permits", "billing_free", "platform/pintu")
DB_TEMPLATE_SUFFIXES = {".py", ".json", ".yaml", ".yml", ".csv", ".txt", ".sql"}
_db_template: dict = {}


def _db_sources_digest() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "requirements-dev.lock", ROOT / "tests" / "conftest.py", ROOT / "tests" / "services.py"]
    for folder in DB_TEMPLATE_SOURCES:
        files += [path for path in (ROOT / folder).rglob("*")
                  if path.suffix in DB_TEMPLATE_SUFFIXES and "__pycache__" not in path.parts]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _maintenance_sql(*statements: str) -> list:
    from django.db import connection

    rows: list = []
    with connection._nodb_cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            if cursor.description:
                rows += cursor.fetchall()
    return rows


def db_template_begin() -> bool:
    """Before pytest-django sets up the test database: clone it from the saved template when there is one
    (True: keep it, nothing to create), else hold the lock until `db_template_end` saves this process's."""
    from django.db import connection

    target = connection.creation._get_test_db_name()
    template = f"{target.removesuffix('_' + os.environ.get('PYTEST_XDIST_WORKER', ''))}_tmpl_{_db_sources_digest()}"
    lock_path = ROOT / "var" / "test-db-template.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(lock_path, "w")  # noqa: SIM115 (held until db_template_end)
    fcntl.flock(lock, fcntl.LOCK_EX)
    _db_template.update(target=target, template=template, lock=lock)
    if _maintenance_sql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):
        _maintenance_sql(f'DROP DATABASE IF EXISTS "{target}"', f'CREATE DATABASE "{target}" TEMPLATE "{template}"')
        _db_template_release()
        _db_template["cloned"] = True
        _migrate_skip(connection)
        return True
    return False


def _migrate_skip(connection) -> None:
    """A clone holds every migration and post_migrate row its template had (the digest names the migrations):
    take it as Django's create_test_db would, without its `migrate`. That migrate had nothing to apply but
    still walked every schema (run_syncdb makes the Pintu executor visit public, the template and both
    regencies): 8-12 CPU s of every worker's start."""
    creation = connection.creation
    original = creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        from django.conf import settings

        creation.create_test_db = original  # once: a later --create-db or teardown sees Django's own
        name = creation._get_test_db_name()
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()  # (setup_databases serializes afterwards where a test asks)
        return name

    creation.create_test_db = create_test_db


def db_template_end() -> None:
    """After the setup: a process that built the test database saves it as the template (and drops older ones)."""
    _db_template["ready"] = True  # (office_run_begin: the test database is there)
    if "lock" not in _db_template:
        return
    from django.db import connections

    target, template = _db_template["target"], _db_template["template"]
    connections.close_all()  # a template must have no session open on it
    _maintenance_sql(f'CREATE DATABASE "{template}" TEMPLATE "{target}"')
    prefix = template.rsplit("_tmpl_", 1)[0] + "_tmpl_"
    for (old,) in _maintenance_sql(f"SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%' "
                                   f"AND datname <> '{template}'"):
        try:
            _maintenance_sql(f'DROP DATABASE "{old}"')
        except Exception:  # noqa: BLE001 - another run may be cloning it; it goes next time
            pass
    _db_template_release()


def db_template_clone_drop() -> None:
    """At the end of the session: drop a cloned test database, as pytest-django drops one it created."""
    if _db_template.pop("cloned", False):
        from django.db import connections

        connections.close_all()
        # FORCE: a server a test started may still be closing its connections (PostgreSQL >= 13)
        _maintenance_sql(f'DROP DATABASE IF EXISTS "{_db_template["target"]}" WITH (FORCE)')


def _db_template_release() -> None:
    lock = _db_template.pop("lock")
    fcntl.flock(lock, fcntl.LOCK_UN)
    lock.close()


# --- One office for a run of tests that ask for it -----------------------------------------------
# `office_build` goes through the real services (~250-460 SQL statements; 0.4-3.9 s a call on a loaded
# machine), and the `office` fixture built one for every test that asked for it. Consecutive tests that
# ask for it (`trenggalek_office`, or `office` inside the schema) now share one: it is built in a
# transaction opened before the first of them and left open around them, so that each test's own
# transaction (pytest-django's) is a savepoint inside it, rolled back as before: every test still starts
# from exactly the office and nothing of another test. The transaction is rolled back before a test that
# does not ask for the office; a test that commits (transactional) or holds the database in a fixture of
# its own builds its own office, as before. Each test gets its own copy of the Office's instances (as
# Django's setUpTestData does).
_office_run: dict = {}
_SESSION_DB_FIXTURES = {"django_db_setup", "django_db_keepdb"}  # tests/conftest.py: the test database itself
_COMMITTING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences",
                        "django_db_serialized_rollback"}


def _office_shareable(item) -> bool:
    """Whether `item` asks for the office and nothing that commits or holds the database past the test: a
    transactional test, or a fixture of the test's own (a module's planted rows, a worker) on the database."""
    if item is None or "trenggalek_office" not in getattr(item, "fixturenames", ()):
        return False
    if _COMMITTING_FIXTURES & set(item.fixturenames) or "django_db_blocker" in item._fixtureinfo.argnames:
        return False
    for name in item.fixturenames:
        definitions = item._fixtureinfo.name2fixturedefs.get(name)
        if not definitions or name in _SESSION_DB_FIXTURES or definitions[-1].func.__module__.startswith("pytest_django"):
            continue
        if {"django_db_blocker", "django_db_setup"} & set(definitions[-1].argnames):
            return False
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        transaction, reset_sequences, _, serialized_rollback, _ = validate_django_db(marker)
        if transaction or reset_sequences or serialized_rollback:
            return False
    return True


def office_run_begin(item) -> None:
    """Before `item`'s fixtures: open the shared office's transaction if it asks for the office (once the test
    database is set up: the first such test of a process builds its own), else end a run that is open."""
    if not _office_shareable(item):
        office_run_end(item.config)
        return
    if _office_run or not _db_template.get("ready"):
        return
    from django.db import connection

    if connection.in_atomic_block:  # another fixture's transaction (rolled back after its module)
        return
    from django.db import transaction
    from django_tenants.utils import schema_context
    from pytest_django.plugin import blocking_manager_key

    from tests.factories import office_build

    with item.config.stash[blocking_manager_key].unblock():
        from tenants.models import Regency

        atomic = transaction.atomic()
        atomic._from_testcase = True  # a durable block inside stays allowed, as under a TestCase
        atomic.__enter__()
        _office_run["atomic"] = atomic
        try:
            with schema_context(Regency.objects.get(code="3503").schema_name):
                _office_run["office"] = office_build()
        except BaseException:
            office_run_end(item.config)
            raise


def office_run_end(config, nextitem=None) -> None:
    """After a test: roll the shared office back unless the next test shares it too."""
    if "atomic" not in _office_run or _office_shareable(nextitem):
        return
    from django.db import transaction
    from pytest_django.plugin import blocking_manager_key

    atomic = _office_run.pop("atomic")
    _office_run.pop("office", None)
    with config.stash[blocking_manager_key].unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def office_shared():
    """This test's own copy of the shared office, or None when there is none (the caller builds one)."""
    import copy

    office = _office_run.get("office")
    return copy.deepcopy(office) if office is not None else None


def host_of(regency) -> str:
    """The Host header of `regency`'s subdomain (the apex for None)."""
    from django.conf import settings

    return settings.PINTU_DOMAIN if regency is None else regency.domains.get(is_primary=True).domain


def wait_for(predicate, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def sleep_until(moment) -> None:
    """Sleep until the aware datetime `moment` (a lease another process wrote) has passed, and no longer."""
    from django.utils import timezone

    time.sleep(max((moment - timezone.now()).total_seconds(), 0.0) + 0.1)


def post_nib(client, payload, user_key: str, *, raw: bytes | None = None):
    """OSS delivering a receiveNIB to Pintu (the apex), as the simulator would."""
    return client.post("/oss/receiveNIB", data=raw if raw is not None else json.dumps(payload),
                       content_type="application/json", HTTP_USER_KEY=user_key)


def child_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": f"{ROOT / 'platform'}{os.pathsep}{ROOT}",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "pintu.settings",
    }
    env.update(extra)
    return env


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port}")


def wait_for_answer(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until `url` answers: gunicorn's workers load the app at their first request (seconds on a loaded
    machine), which should not be spent inside a browser's first page-load timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=timeout):  # noqa: S310 (a local test server)
                return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stop_group(proc: subprocess.Popen, grace: float = 2.0) -> None:
    """Stop a process started in a session of its own (`start_new_session=True`) and all it forked: SIGTERM
    to the group, then SIGKILL to whatever of it is left after `grace` seconds."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


@contextmanager
def celery_worker(*, queue: str, log_path: Path, **env: str):
    """A real Celery worker consuming `queue` from the real broker."""
    cmd = [sys.executable, "-m", "celery", "-A", "pintu", "worker", "-P", "solo", "-Q", queue,
           "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=child_env(**env), stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        stop(proc)


@contextmanager
def web_server(*, port: int, log_path: Path, **env: str):
    """The real WSGI server (gunicorn) on 127.0.0.1:`port`, serving the test database: one worker process
    (each loads the app, ~1.5 CPU s) with threads enough for the connections a browser keeps open."""
    cmd = [sys.executable, "-m", "gunicorn", "pintu.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "1",
           "--threads", "8", "--pythonpath", str(ROOT / "platform"), "--access-logfile", "-"]
    origins = f"http://localhost:{port},http://*.localhost:{port}"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=child_env(CSRF_TRUSTED_ORIGINS=origins, **env),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, proc)
        wait_for_answer(f"http://localhost:{port}/masuk/", proc)
        yield proc
    finally:
        # Not a graceful stop: the test has had its answers, and gthread workers that log "Worker exiting" at
        # once then lingered ~7 s in interpreter shutdown, past stop()'s 10 s kill of the master alone.
        stop_group(proc)


@contextmanager
def pgbouncer(*, port: int, folder: Path | None = None, pool_mode: str = "session", pool_size: int = 3):
    """A real PgBouncer (Debian's) on 127.0.0.1:`port` in front of the test database; yields its DATABASE_URL."""
    from django.db import connection

    s = connection.settings_dict
    socket_dir = (s.get("OPTIONS") or {}).get("host") or s.get("HOST") or "127.0.0.1"
    name = s["NAME"]
    import tempfile

    # Its own folder under /tmp: PgBouncer runs as another user, who cannot enter pytest's tmp_path.
    folder = Path(tempfile.mkdtemp(prefix="pgb-", dir="/tmp"))
    (folder / "users.txt").write_text(f'"{s.get("USER") or "postgres"}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"{name} = host={socket_dir} port={s.get('PORT') or 5432} dbname={name}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'users.txt'}\n"
        f"pool_mode = {pool_mode}\ndefault_pool_size = {pool_size}\nmax_client_conn = 200\n"
        f"logfile = {folder / 'pgbouncer.log'}\npidfile = {folder / 'pgbouncer.pid'}\n"
        "server_reset_query = DISCARD ALL\nignore_startup_parameters = extra_float_digits,options\n"
    )
    cmd = ["pgbouncer", str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        from pgserver.utils import ensure_user_exists

        ensure_user_exists("pgserver")
        os.chmod(folder, 0o777)
        for child in folder.iterdir():
            os.chmod(child, 0o666)
        cmd = ["pgbouncer", "-u", "pgserver", str(folder / "pgbouncer.ini")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_port(port, proc)
        except RuntimeError as exc:
            log = (folder / "pgbouncer.log").read_text() if (folder / "pgbouncer.log").exists() else ""
            raise RuntimeError(f"pgbouncer: {exc}: {proc.stdout.read().decode()[-1500:]} {log[-1500:]}") from exc
        user = quote(s.get("USER") or "postgres")
        yield f"postgresql://{user}:@127.0.0.1:{port}/{name}"
    finally:
        stop(proc)
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


class Simulator:
    """The OSS RBA simulator (deploy/oss_simulator) as a real process on a free port; stop/start keeps it."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.state = tmp / "oss-sim.jsonl"
        self.proc = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "deploy.oss_simulator.server", "--port", str(self.port),
                                      "--state", str(self.state)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None

    def _call(self, path: str, body: dict | None = None, *, timeout: float = 10) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read())

    def mode(self, mode: str, delay: float = 0) -> None:
        self._call("/_sim/mode", {"mode": mode, "delay": delay})

    def received(self, method: str | None = None) -> list[dict]:
        rows = self._call("/_sim/received")["received"]
        return [r for r in rows if method is None or r["method"] == method]

    def nib(self, *, seed: int, checklist: list[tuple[str, str]], pj_nik: str = "") -> dict:
        items = ",".join(f"{daerah}:{kd}" for daerah, kd in checklist)
        return self._call(f"/_sim/nib?seed={seed}&checklist={items}&pj_nik={pj_nik}")


def plan_nodes(queryset_or_sql, params=()) -> list[dict]:
    """Every node of the plan PostgreSQL ran for a query (EXPLAIN (ANALYZE, FORMAT JSON)), flattened: what
    a test reads to say how many rows a query touched, not only what it returned."""
    from django.db import connection

    if not isinstance(queryset_or_sql, str):
        queryset_or_sql, params = queryset_or_sql.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + queryset_or_sql, params)
        (plan,) = cursor.fetchone()[0]
    nodes, pending = [], [plan["Plan"]]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("Plans", []))
    return nodes
