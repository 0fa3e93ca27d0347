"""Host -> regency lookup, cached in process.

django-tenants looks the domain up through the ORM on every request (~2 ms),
which halves throughput. Here each process keeps the answer, and re-reads a
shared "routing generation" (Redis) at most once per ROUTING_CHECK_SECONDS;
any change to a regency or a domain bumps the generation, so a suspension or
a new regency is seen everywhere within that interval.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches

_GENERATION_KEY = "routing-generation"
_MAX_HOSTS = 4096
_lock = threading.Lock()
_hosts: OrderedDict[str, object] = OrderedDict()
_state = {"generation": None, "check_after": 0.0}
_MISSING = object()


def routing_invalidate() -> None:
    """Tell every process that regencies or domains changed."""
    cache = caches["platform"]
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 - the cache being down must not block a save
        pass
    with _lock:
        _hosts.clear()


def _refresh() -> None:
    now = time.monotonic()
    if now < _state["check_after"]:  # the common case: no settings read, no cache call
        return
    try:
        generation = caches["platform"].get(_GENERATION_KEY, 0)
    except Exception:  # noqa: BLE001 - without the cache, fall back to a short life
        generation = now // 5
    with _lock:
        if generation != _state["generation"]:
            _hosts.clear()
            _state["generation"] = generation
        _state["check_after"] = now + settings.ROUTING_CHECK_SECONDS


def routing_lookup(hostname: str, load):
    """The regency for `hostname` (None when unknown), from cache or `load(hostname)`."""
    _refresh()
    found = _hosts.get(hostname, _MISSING)
    if found is _MISSING:
        found = load(hostname)
        with _lock:
            _hosts[hostname] = found
            if len(_hosts) > _MAX_HOSTS:
                _hosts.popitem(last=False)
    return found


def schema_activate(connection, tenant) -> None:
    """Point `connection` (the wrapper, not the `django.db.connection` proxy) at `tenant`.

    On a persistent connection the previous request usually left the same
    regency active with its search path set on the server; then only the
    tenant object is swapped (it may be a fresh copy after a cache reload).
    django-tenants' `set_tenant` would forget the path (one more `SET` round
    trip) and clear the content-type cache on every request. The path it
    remembers is cleared on close, rollback, savepoint rollback and on every
    `set_tenant`, so when it is set it describes the live session's path for
    the current schema.
    """
    if (
        connection.schema_name == tenant.schema_name
        and connection.include_public_schema
        and connection.search_path_set_schemas is not None
        and connection.connection is not None
    ):
        connection.tenant = tenant
        return
    connection.set_tenant(tenant)
