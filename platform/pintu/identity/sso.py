"""Single sign-on across subdomains.

On a real parent domain (e.g. pintu.go.id) the session cookie is scoped to
`.pintu.go.id` and every subdomain sees it. Browsers refuse such a cookie on a
single-label host like `localhost`, so sign-in also works as a hop through the
apex: the apex hands the subdomain a signed, one-time, 60-second ticket bound
to that subdomain's host.
"""
from __future__ import annotations

import secrets
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import caches

_SALT = "pintu.sso"
TICKET_SECONDS = 60


def is_platform_host(host: str) -> bool:
    host = host.split(":")[0].lower()
    return host == settings.PINTU_DOMAIN or host.endswith("." + settings.PINTU_DOMAIN)


def ticket_issue(*, user_id: int, host: str) -> str:
    return signing.dumps({"u": user_id, "h": host.lower(), "n": secrets.token_urlsafe(12)}, salt=_SALT)


def ticket_redeem(*, ticket: str, host: str) -> int | None:
    """The user id the ticket vouches for on `host`, once; None if forged, stale, reused or for another host."""
    try:
        data = signing.loads(ticket, salt=_SALT, max_age=TICKET_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("h") != host.lower():
        return None
    if not caches["platform"].add(f"sso-ticket:{data['n']}", 1, timeout=TICKET_SECONDS * 2):
        return None  # already used
    return int(data["u"])


def accept_url(next_url: str, ticket: str) -> str:
    parts = urlsplit(next_url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return f"{parts.scheme}://{parts.netloc}/sso/terima/?{urlencode({'ticket': ticket, 'next': path})}"
