"""A small fixed-window limit per client address, kept in Redis (shared by every web process)."""
from __future__ import annotations

import hashlib
import logging

from django.core.cache import caches

log = logging.getLogger(__name__)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_exceeded(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request in `scope`; True once the address made more than `limit` in the window."""
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:24]  # no raw IPs kept
    key = f"ratelimit:{scope}:{address}"
    cache = caches["platform"]
    try:
        cache.add(key, 0, timeout=window_seconds)
        count = cache.incr(key)
    except Exception:  # Redis away: do not refuse a citizen's report because of it
        log.warning("rate limit unavailable for %s", scope, exc_info=True)
        return False
    return count > limit
