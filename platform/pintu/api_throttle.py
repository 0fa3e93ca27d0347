"""Rate limits of the API: per token (or per account signed in by session), else per address.

DRF throttling on the Redis cache (the `default` cache, whose keys carry the regency's schema, so a
token's budget is per regency). Past the limit DRF answers 429 with `Retry-After` (seconds), in the
API's error shape. Rates come from settings (`API_RATE_TOKEN`, `API_RATE_ANON`).
"""
from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """One budget per API token; a session-signed account has its own; anonymous callers fall to AnonRate."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        auth = request.auth
        ident = f"t:{auth.pk}" if getattr(auth, "pk", None) else f"u:{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonRateThrottle(SimpleRateThrottle):
    """Callers without an account, per address (public catalog, open data, tracking)."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
