"""Readiness checks: database, broker and storage, each cheap and bounded in time."""
from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings

# Storage round trips (S3 head_bucket, a write on disk) are cached this long.
STORAGE_CACHE_SECONDS = 5.0
_TIMEOUT = 2.0

_lock = threading.Lock()
_storage_cache: dict[tuple, tuple[float, "CheckResult"]] = {}
_redis_clients: dict[str, object] = {}


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str = "ok"


def _failure(exc: BaseException) -> CheckResult:
    # The class name only: messages can carry hosts or credentials.
    return CheckResult(False, type(exc).__name__)


def check_database() -> CheckResult:
    """The primary answers AND takes writes: a pod pointed at a standby (or a demoted primary) is not ready."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            if cursor.fetchone()[0]:
                return CheckResult(False, "read_only")
        return CheckResult(True)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        try:
            connection.close()  # the next probe opens a fresh connection
        except Exception:  # noqa: BLE001
            pass
        return _failure(exc)


def _redis_client(url: str):
    client = _redis_clients.get(url)
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=_TIMEOUT, socket_timeout=_TIMEOUT,
                                      health_check_interval=0)
        with _lock:
            _redis_clients[url] = client
    return client


def check_broker() -> CheckResult:
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            _redis_client(url).ping()
        else:
            from kombu import Connection

            with Connection(url, connect_timeout=_TIMEOUT) as conn:
                conn.ensure_connection(max_retries=1, timeout=_TIMEOUT)
        return CheckResult(True)
    except Exception as exc:  # noqa: BLE001
        return _failure(exc)


def _storage_probe() -> CheckResult:
    from django.core.files.storage import default_storage

    try:
        if not hasattr(default_storage, "bucket_name"):
            # Local disk: MEDIA_ROOT must take a write.
            root = default_storage.location
            os.makedirs(root, exist_ok=True)
            probe = os.path.join(root, f".readyz-{uuid.uuid4().hex}")
            with open(probe, "wb") as handle:
                handle.write(b"ok")
            os.remove(probe)
        else:
            # S3 (django-storages): one HEAD on the bucket, no listing.
            client = default_storage.connection.meta.client
            client.head_bucket(Bucket=default_storage.bucket_name)
        return CheckResult(True)
    except Exception as exc:  # noqa: BLE001
        return _failure(exc)


def check_storage() -> CheckResult:
    storages = getattr(settings, "STORAGES", {})
    key = (repr(storages.get("default")), str(getattr(settings, "MEDIA_ROOT", "")))
    now = time.monotonic()
    cached = _storage_cache.get(key)
    if cached and now - cached[0] < STORAGE_CACHE_SECONDS:
        return cached[1]
    result = _storage_probe()
    with _lock:
        _storage_cache[key] = (now, result)
    return result


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


def readiness() -> dict[str, CheckResult]:
    return {name: check() for name, check in CHECKS.items()}


def check_standby() -> CheckResult:
    """The standby answers reads (degraded mode); 'not_configured' without STANDBY_DATABASE_URL."""
    from django.db import connections

    if "standby" not in settings.DATABASES:
        return CheckResult(False, "not_configured")
    try:
        with connections["standby"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return CheckResult(True)
    except Exception as exc:  # noqa: BLE001
        try:
            connections["standby"].close()
        except Exception:  # noqa: BLE001
            pass
        return _failure(exc)


def storage_cache_clear() -> None:
    with _lock:
        _storage_cache.clear()
