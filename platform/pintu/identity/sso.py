"""Single sign-on across subdomains.

On a real parent domain (e.g. pintu.go.id) the session cookie is scoped to
`.pintu.go.id` and every subdomain sees it. Browsers refuse such a cookie on a
single-label host like `localhost`, so sign-in also works as a hop through the
apex: the apex hands the subdomain a signed, one-time, short-lived ticket bound
to that subdomain's host and to the browser that asked for it.

The hop, and what each step checks (docs/security-findings.md, items 1 and 2):

1. The subdomain's `/masuk/` keeps a fresh random *state* in its own session
   (`state_begin`) and sends the browser to the apex `/sso/?next=...&state=...`.
2. The apex accepts `next` only when `target_parse` finds an exact platform host
   in it (the hostname as `urllib.parse.urlsplit` reads it, then looked up in the
   Domain table by the caller), with the apex's own scheme and port, and no
   userinfo, backslash, percent sign or control character anywhere. The ticket
   names the user, that host and the state.
3. The subdomain's `/sso/terima/` redeems the ticket only for its own host, within
   TICKET_SECONDS, once, and only when the state is one its own session handed
   out (`state_take`): a ticket made in another browser (the attacker's own) does
   nothing in the victim's.
"""
from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.core import signing
from django.core.cache import caches

_SALT = "pintu.sso"
TICKET_SECONDS = 60
STATE_SECONDS = 10 * 60
_STATE_KEY = "pintu_sso_states"
_MAX_STATES = 5
# A netloc as Pintu writes one: a lower-case DNS name and an optional port. Anything else
# (userinfo `a@b`, percent-encoding, brackets, spaces) is refused before any lookup.
_NETLOC = re.compile(r"^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::[0-9]{1,5})?$")
_STATE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Target:
    """Where a ticket may be sent: scheme, exact hostname, port (None = the scheme's default), path."""

    scheme: str
    hostname: str
    port: int | None
    path: str

    @property
    def origin(self) -> str:
        default = {"http": 80, "https": 443}[self.scheme]
        port = "" if self.port in (None, default) else f":{self.port}"
        return f"{self.scheme}://{self.hostname}{port}"


def _effective_port(scheme: str, port: int | None) -> int:
    return port if port is not None else {"http": 80, "https": 443}[scheme]


def target_parse(next_url: str, *, scheme: str, port: int | str | None) -> Target | None:
    """`next_url` as a ticket target, or None when it is not a plain absolute URL with the apex's
    scheme and port. The caller still checks `hostname` against the Domain table."""
    if not next_url or len(next_url) > 2000:
        return None
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in next_url) or "\\" in next_url:
        return None  # control characters, spaces, tab/newline, backslashes: browsers "fix" these differently
    try:
        parts = urlsplit(next_url)
        target_port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.scheme != scheme:
        return None
    if not _NETLOC.match(parts.netloc) or parts.username is not None or parts.password is not None:
        return None
    if not parts.hostname or parts.hostname != parts.netloc.split(":")[0]:
        return None
    if _effective_port(parts.scheme, target_port) != _effective_port(scheme, int(port) if port else None):
        return None
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        path = "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=parts.scheme, hostname=parts.hostname, port=target_port, path=path)


# --- The browser's state (kept in the subdomain's own session) ----------------------------------


def state_begin(session) -> str:
    """A fresh state for one sign-in hop, remembered in this browser's session on this host."""
    state = secrets.token_urlsafe(24)
    now = time.time()
    states = [s for s in session.get(_STATE_KEY, []) if now - s[1] < STATE_SECONDS][-(_MAX_STATES - 1):]
    session[_STATE_KEY] = [*states, [state, now]]
    return state


def state_take(session, state: str) -> bool:
    """True once when `state` is one this session handed out (and not stale); it is then spent."""
    states = session.get(_STATE_KEY, [])
    now = time.time()
    keep, found = [], False
    for value, at in states:
        if value == state and now - at < STATE_SECONDS and not found:
            found = True
        elif now - at < STATE_SECONDS:
            keep.append([value, at])
    if states:
        session[_STATE_KEY] = keep
    return found


def state_is_wellformed(state: str) -> bool:
    return bool(_STATE.match(state or ""))


# --- Tickets ----------------------------------------------------------------------------------


def ticket_issue(*, user_id: int, host: str, state: str) -> str:
    return signing.dumps({"u": user_id, "h": host.lower(), "s": state, "n": secrets.token_urlsafe(12)},
                         salt=_SALT)


@dataclass(frozen=True)
class Redeemed:
    user_id: int
    state: str


def ticket_redeem(*, ticket: str, host: str) -> Redeemed | None:
    """Whom the ticket vouches for on `host`, once; None if forged, stale, reused or for another host.

    The caller must still check `state` against the browser's session (`state_take`)."""
    try:
        data = signing.loads(ticket, salt=_SALT, max_age=TICKET_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("h") != host.lower() or not data.get("s"):
        return None
    if not caches["platform"].add(f"sso-ticket:{data['n']}", 1, timeout=TICKET_SECONDS * 2):
        return None  # already used
    return Redeemed(user_id=int(data["u"]), state=str(data["s"]))


def accept_url(target: Target, ticket: str) -> str:
    """The subdomain's redeeming URL, rebuilt from the parsed parts (never the raw `next`)."""
    return f"{target.origin}/sso/terima/?{urlencode({'ticket': ticket, 'next': target.path})}"
