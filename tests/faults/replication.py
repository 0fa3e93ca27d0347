"""A real primary and hot standby for fault tests, from the embedded PostgreSQL's own binaries.

Nothing here is simulated: `initdb`, `pg_basebackup -R`, `pg_ctl promote` and `pg_rewind` run as
they would on two servers, each node with its own data directory, socket directory and port. The
primary waits for the standby (`synchronous_standby_names`) on the transactions that ask for it
(`pintu.replication.synchronous_commit_require`); others commit locally.
"""
from __future__ import annotations

import os
import pwd
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_USER = "pgserver"  # PostgreSQL refuses to run as root; pgserver's own user
DATABASE = "pintu_fault"


def _bin(name: str) -> str:
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _as_postgres() -> dict:
    if os.geteuid() != 0:
        return {}
    from pgserver.utils import ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    return {"user": SYSTEM_USER}


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SYSTEM_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def run(*args: str, timeout: float = 120, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, **_as_postgres(), **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{args[0]} failed ({result.returncode}): {result.stdout[-1500:]} {result.stderr[-1500:]}")
    return result


@dataclass
class Node:
    name: str
    root: Path
    port: int
    data: Path = field(init=False)
    sockets: Path = field(init=False)

    def __post_init__(self):
        self.data = self.root / "data"
        self.sockets = self.root / "s"
        self.sockets.mkdir(parents=True, exist_ok=True)
        self.sockets.chmod(0o777)
        _own(self.root)

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql://postgres:@/{database}?host={self.sockets}&port={self.port}"

    def conninfo(self, database: str = "postgres") -> str:
        return f"host={self.sockets} port={self.port} user=postgres dbname={database}"

    def start(self) -> None:
        run(_bin("pg_ctl"), "-D", str(self.data), "-w", "-t", "60", "-l", str(self.log),
            "-o", f"-h '' -k {self.sockets} -p {self.port}", "start")

    def stop(self, mode: str = "fast") -> None:
        run(_bin("pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop", check=False)

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend at once: the machine is gone, nothing flushes."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        children = [int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(int(p)) == pid]
        for target in [pid, *children]:
            try:
                os.kill(target, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(p) for p in [pid, *children]):
            time.sleep(0.05)

    def sql(self, statement: str, database: str = DATABASE) -> str:
        """Run `statement` (several, separated by '; ', each in its own transaction) and return the output."""
        commands = [arg for part in statement.split("; ") for arg in ("-c", part)]
        return run(_bin("psql"), "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", self.conninfo(database),
                   *commands).stdout.strip()

    def is_in_recovery(self) -> bool:
        return self.sql("SELECT pg_is_in_recovery()", "postgres") == "t"

    def promote(self) -> None:
        run(_bin("pg_ctl"), "-D", str(self.data), "-w", "-t", "60", "promote")

    def follow(self, primary: "Node") -> None:
        """Configure this (stopped) node as a streaming standby of `primary`, named after itself."""
        (self.data / "standby.signal").touch()
        _own(self.data / "standby.signal")
        with open(self.data / "postgresql.auto.conf", "a") as conf:
            conf.write(f"\nprimary_conninfo = '{primary.conninfo()} application_name={self.name}'\n")

    def rewind_from(self, source: "Node") -> None:
        """pg_rewind this (stopped, diverged) old primary onto `source`'s timeline."""
        run(_bin("pg_rewind"), "--target-pgdata", str(self.data), "--source-server", source.conninfo(),
            "--progress")


def _ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("PPid:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except OSError:
        return False


def wait_sync(primary: Node, standby: Node, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = primary.sql(f"SELECT sync_state FROM pg_stat_replication WHERE application_name = '{standby.name}'",
                            "postgres")
        if state == "sync":
            return
        time.sleep(0.2)
    log = standby.log.read_text()[-2000:] if standby.log.exists() else ""
    raise AssertionError(f"{standby.name} never became the synchronous standby of {primary.name}: {log}")


class Cluster:
    """Two nodes, `a` the primary and `b` its synchronous hot standby, loaded with the test database."""

    def __init__(self, source_url: str, ports: tuple[int, int]):
        self.root = Path(tempfile.mkdtemp(prefix="pgf-", dir="/tmp"))  # short: unix socket paths are limited
        self.root.chmod(0o755)
        self.a = Node("node_a", self.root / "a", ports[0])
        self.b = Node("node_b", self.root / "b", ports[1])
        self.source_url = source_url

    def build(self) -> None:
        a, b = self.a, self.b
        run(_bin("initdb"), "-D", str(a.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        with open(a.data / "postgresql.conf", "a") as conf:
            conf.write("\nwal_log_hints = on\nsynchronous_commit = local\nsynchronous_standby_names = 'node_a,node_b'"
                       "\nwal_keep_size = '512MB'\nmax_wal_senders = 5\nhot_standby = on\nfsync = on\n")
        a.start()
        a.sql(f"CREATE DATABASE {DATABASE}", "postgres")
        dump = subprocess.Popen([_bin("pg_dump"), "--no-owner", "--no-acl", self.source_url], stdout=subprocess.PIPE)
        clean = subprocess.Popen(["grep", "-v", "SET (pg_attver="], stdin=dump.stdout, stdout=subprocess.PIPE)
        load = subprocess.run([_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", a.conninfo(DATABASE)],
                              stdin=clean.stdout, capture_output=True, text=True, timeout=300)
        dump.wait(60)
        assert load.returncode == 0, load.stderr[-2000:]
        run(_bin("pg_basebackup"), "-D", str(b.data), "-d", a.conninfo(), "-X", "stream", "-R", "-c", "fast")
        b.follow(a)
        b.start()
        wait_sync(a, b)

    def ready(self, timeout: float = 30) -> bool:
        """`a` the primary and `b` its synchronous standby again, as `build` leaves them (a standby whose
        primary restarted reconnects within wal_retrieve_retry_interval, 5 s)."""
        try:
            if self.a.is_in_recovery() or not self.b.is_in_recovery():
                return False
            wait_sync(self.a, self.b, timeout)
        except AssertionError:  # a node is down, or b does not stream from a
            return False
        return True

    def rebuild(self) -> None:
        """Both nodes afresh from the test database (after a test that left them elsewhere)."""
        self.destroy()
        self.root = Path(tempfile.mkdtemp(prefix="pgf-", dir="/tmp"))
        self.root.chmod(0o755)
        self.a = Node("node_a", self.root / "a", self.a.port)
        self.b = Node("node_b", self.root / "b", self.b.port)
        self.build()

    def destroy(self) -> None:
        import shutil

        for node in (self.a, self.b):
            if (node.data / "postmaster.pid").exists():
                node.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
