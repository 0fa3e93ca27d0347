"""The public tracking page answered from its cache before the rest of the middleware stack.

Tracking is the platform's most frequent page (applicants, and the banks and clinics that follow a
file), and for a visitor who is not signed in it is the same bytes for everyone who typed the same
numbers. Sessions, language, CSRF, authentication, messages, URL resolving and the view's form add
nothing to those bytes, and cost most of the page's Python (bench/applications.py): so this
middleware, right after the regency is routed, runs the page's one query (`tracking_lookup`, so a
change to the application shows at once), and answers from the cache when the rendered page of
that content is there. The key holds the lookup's content stamp, the typed values, the language and
the regency's time zone; it is looked up in this process first (a bounded LRU: the stamp makes a
stale entry impossible), then in Redis, which the other workers and pods share.

What it caches is the response as the stack below returned it (headers included), only when it set
no cookie; the middlewares above it (security headers, CSP, request id, metrics) run on every
answer as before. Everything else, signed-in visitors (a session cookie), pending messages (a
messages cookie), degraded mode (the standby's notice) and input the form refuses, goes the usual
way through the view, which renders the same template.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import resolve

from permits.selectors.applications import TrackingRow, tracking_lookup
from pintu.degraded.state import reading_from_standby

TRACKING_PATH = "/lacak/"
#: How long a rendered page is kept (a deploy's template change shows after at most this).
PAGE_SECONDS = 300
#: The view reads what this middleware already looked up (no second query on a miss).
LOOKUP_ATTRIBUTE = "tracking_lookup"
#: Input longer than TrackingForm accepts is the form's error to show, never a cache entry.
_MAX_NUMBER, _MAX_CODE = 32, 12


def page_cache_get(alias: str, key: str):
    try:
        return caches[alias].get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not break the public page
        return None


def page_cache_set(alias: str, key: str, value) -> None:
    try:
        caches[alias].set(key, value, PAGE_SECONDS)
    except Exception:  # noqa: BLE001
        pass


class TrackingPageCacheMiddleware:
    """Sits right after `RegencyMiddleware`: the regency's schema is active, nothing else has run."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.private_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        self.languages = {code for code, _ in settings.LANGUAGES}
        self.matches: dict = {}

    def __call__(self, request):
        found = self._lookup(request)
        if found is None:
            return self.get_response(request)
        tracking, key = found
        cached = page_cache_get("local", key)
        if cached is None and (cached := page_cache_get("default", key)) is not None:
            page_cache_set("local", key, cached)
        if cached is not None:
            headers, body = cached
            request.resolver_match = self._match(request)  # the metrics' URL name, as if resolved
            return HttpResponse(body, headers=headers)
        setattr(request, LOOKUP_ATTRIBUTE, tracking)
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            entry = (dict(response.items()), response.content)
            page_cache_set("local", key, entry)
            page_cache_set("default", key, entry)
        return response

    def _lookup(self, request) -> tuple[TrackingRow, str] | None:
        """(the lookup, the page's cache key) for an anonymous GET of a found application; else None."""
        if request.path_info != TRACKING_PATH or request.method != "GET" or reading_from_standby.get():
            return None
        tenant = getattr(request, "tenant", None)
        cookies = request.COOKIES
        if tenant is None or tenant.is_public or any(name in cookies for name in self.private_cookies):
            return None
        typed_number, typed_code = request.GET.get("nomor", ""), request.GET.get("kode", "")
        number, code = typed_number.strip(), typed_code.strip()
        if not number or not code or len(number) > _MAX_NUMBER or len(code) > _MAX_CODE \
                or "\x00" in typed_number or "\x00" in typed_code:
            return None
        tracking = tracking_lookup(registration_number=number, tracking_code=code)
        if tracking is None:
            return None
        chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        # The form echoes what was typed (spaces, lower case): that is part of the page.
        typed = hashlib.blake2b(f"{typed_number}\x00{typed_code}".encode(), digest_size=16).hexdigest()
        return tracking, f"tracking-page:{tracking.stamp}:{typed}:{language}:{tenant.time_zone}"

    def _match(self, request):
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        match = self.matches.get(urlconf)
        if match is None:
            match = self.matches[urlconf] = resolve(TRACKING_PATH, urlconf)
        return match
