"""Is the primary answering? A cached, bounded probe per process, and the per-request standby flag."""
from __future__ import annotations

import contextvars
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

STANDBY_ALIAS = "standby"
#: Set for the duration of a degraded-mode read request: the router sends every read to the standby.
reading_from_standby: contextvars.ContextVar[bool] = contextvars.ContextVar("reading_from_standby", default=False)

_lock = threading.Lock()
_state = {"checked_at": -1e9, "available": True}


def standby_configured() -> bool:
    return STANDBY_ALIAS in settings.DATABASES


def _probe() -> bool:
    """One fresh connection to the primary, bounded by PRIMARY_CONNECT_TIMEOUT; True when it takes writes."""
    import psycopg2

    params = connections[DEFAULT_DB_ALIAS].get_connection_params()
    params["connect_timeout"] = settings.PRIMARY_CONNECT_TIMEOUT
    try:
        conn = psycopg2.connect(**params)
    except psycopg2.Error:
        return False
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            return not cursor.fetchone()[0]
    except psycopg2.Error:
        return False
    finally:
        conn.close()


def primary_available(*, fresh: bool = False) -> bool:
    """Whether the primary answers and takes writes, re-probed at most every DEGRADED_CHECK_SECONDS."""
    now = time.monotonic()
    if not fresh and now - _state["checked_at"] < settings.DEGRADED_CHECK_SECONDS:
        return _state["available"]
    available = _probe()
    with _lock:
        _state["checked_at"], _state["available"] = time.monotonic(), available
    if not available:
        # A persistent connection to a dead primary would fail the next query anyway: drop it now.
        try:
            connections[DEFAULT_DB_ALIAS].close()
        except Exception:  # noqa: BLE001 - closing a broken connection may raise; it is closed either way
            pass
    return available


def read_alias() -> str:
    """The alias a raw-SQL read should use (selectors that bypass the ORM ask here, like the router does)."""
    if reading_from_standby.get():
        from pintu.degraded.router import standby_sync

        standby_sync()
        return STANDBY_ALIAS
    return DEFAULT_DB_ALIAS


def state_reset() -> None:
    """Forget the last probe (tests)."""
    with _lock:
        _state["checked_at"], _state["available"] = -1e9, True
