"""Single sign-on hop (docs/security-findings.md, items 1 and 2).

Each browser is one pair of test clients, one per host: on `localhost` a browser keeps a
host-only cookie per subdomain, so the apex and Blitar have separate sessions, as here.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.test import Client

from tests.factories import UserFactory
from tests.services import COUNTS

APEX = "localhost"
B_HOST = "kota-blitar.localhost"
STATE = "s" * 32  # well-formed, but never handed out by any session


class Browser:
    """One person's browser: a cookie jar per host, as Chromium keeps them on *.localhost."""

    def __init__(self, user=None):
        self.apex = Client(HTTP_HOST=APEX)
        self.blitar = Client(HTTP_HOST=B_HOST)
        if user is not None:
            self.apex.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def begin(self) -> str:
        """Blitar's /masuk/ sends this browser to the apex; returns the apex URL (with its state)."""
        response = self.blitar.get("/masuk/", {"next": "/permohonan/"})
        assert response.status_code == 302
        return response["Location"]

    def ticket_url(self) -> str:
        """The whole hop up to Blitar's /sso/terima/ URL the apex answers with."""
        to_apex = urlsplit(self.begin())
        assert to_apex.hostname == APEX and to_apex.path == "/sso/"
        response = self.apex.get("/sso/?" + to_apex.query)
        assert response.status_code == 302
        assert "ticket=" in response["Location"], response["Location"]
        return response["Location"]

    def signed_in_as(self, client) -> int | None:
        value = client.session.get("_auth_user_id")
        return int(value) if value else None


def _follow_accept(client, url: str):
    parts = urlsplit(url)
    assert parts.hostname == B_HOST
    return client.get(parts.path + "?" + parts.query)


@pytest.fixture
def victim(db, blitar):
    return UserFactory(full_name="Korban SSO")


# --- item 1: where the apex sends a ticket -----------------------------------------------------

TRICKS = {
    "userinfo": "http://kota-blitar.localhost:80@evil.example/loket/",
    "userinfo-no-port": "http://kota-blitar.localhost@evil.example/loket/",
    "userinfo-8000": "http://kota-blitar.localhost:8000@evil.example/loket/",
    "backslash-userinfo": "http://kota-blitar.localhost\\@evil.example/",
    "backslashes": "http:\\\\evil.example\\kota-blitar.localhost/",
    "scheme-relative": "//evil.example/kota-blitar.localhost/",
    "slashes-encoded": "http://evil.example%2F%2Fkota-blitar.localhost/",
    "slashes-encoded-path": "/%2F%2Fevil.example/",
    "at-encoded": "http://kota-blitar.localhost%40evil.example/",
    "at-encoded-port": "http://kota-blitar.localhost:80%40evil.example/",
    "tab": "http://kota-blitar.localhost\t@evil.example/",
    "newline": "http://kota-blitar.localhost\n@evil.example/",
    "carriage-return": "http://kota-blitar.localhost:80\r\n@evil.example/",
    "space": "http://kota-blitar.localhost @evil.example/",
    "other-port": "http://kota-blitar.localhost:8001/",
    "other-scheme": "https://kota-blitar.localhost/",
    "javascript": "javascript:alert(document.cookie)//kota-blitar.localhost/",
    "javascript-upper": "JavaScript://kota-blitar.localhost/%0aalert(1)",
    "data": "data:text/html,kota-blitar.localhost",
    "suffix-host": "http://kota-blitar.localhost.evil.example/",
    "evil-subdomain-of-apex": "http://evil.localhost/",  # matches *.localhost but is no regency
    "www-prefix": "http://www.kota-blitar.localhost/",
    "apex-itself": "http://localhost/",
    "uppercase-host": "http://KOTA-BLITAR.localhost/",
    "trailing-dot": "http://kota-blitar.localhost./",
    "ipv6-bracket": "http://[::1]/",
}


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_crafted_next_never_gets_a_ticket(name, victim):
    """A signed-in person following a crafted /sso/ link: no ticket leaves for any other host."""
    browser = Browser(victim)
    for query in ({"next": TRICKS[name], "state": STATE}, {"next": TRICKS[name]}):
        response = browser.apex.get("/sso/", query)
        COUNTS["sso_tricks"] += 1
        location = response.get("Location", "")
        assert response.status_code in (302, 404), response.status_code
        COUNTS["sso_leaks"] += "ticket=" in location
        assert "ticket=" not in location, f"{name}: ticket sent to {location!r}"
        parts = urlsplit(location)
        # Where a browser goes next is the apex's home or Blitar's own /masuk/, nowhere else.
        assert parts.hostname in (None, APEX, B_HOST), location
        assert "@" not in parts.netloc and "\\" not in location


def test_crafted_next_after_sign_in_gets_no_ticket(victim):
    """The same redirect reached through sign-in on the apex (/masuk/?next=/sso/?next=...)."""
    client = Client(HTTP_HOST=APEX)
    trick = "/sso/?" + urlencode({"next": TRICKS["userinfo-8000"], "state": STATE})
    response = client.post("/masuk/?" + urlencode({"next": trick}),
                           {"username": victim.email, "password": "rahasia-uji-123", "next": trick})
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert "ticket=" not in followed.get("Location", "")
    assert urlsplit(followed.get("Location", "")).hostname in (None, APEX, B_HOST)


def test_the_real_hop_still_signs_in_on_the_regency(victim):
    browser = Browser(victim)
    url = browser.ticket_url()
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", B_HOST, "/sso/terima/")
    response = _follow_accept(browser.blitar, url)
    assert response.status_code == 302 and response["Location"] == "/permohonan/"
    assert browser.signed_in_as(browser.blitar) == victim.pk


def test_hop_without_state_goes_through_the_regency_sign_in(victim):
    """An old link without the state is not refused outright: Blitar starts a proper hop."""
    browser = Browser(victim)
    response = browser.apex.get("/sso/", {"next": "http://kota-blitar.localhost/permohonan/"})
    assert response.status_code == 302
    assert response["Location"] == "http://kota-blitar.localhost/masuk/?next=%2Fpermohonan%2F"


def test_stolen_ticket_does_not_sign_in_another_browser(victim):
    """Item 1's payoff: a ticket that reached someone else (logs, a leaked Location) is worthless."""
    url = Browser(victim).ticket_url()
    attacker = Client(HTTP_HOST=B_HOST)
    response = _follow_accept(attacker, url)
    assert response.status_code == 302
    assert attacker.session.get("_auth_user_id") is None
    # Even a browser that began its own hop (its own state) cannot use the victim's ticket.
    attacker_browser = Browser()
    attacker_browser.begin()
    _follow_accept(attacker_browser.blitar, url)
    assert attacker_browser.signed_in_as(attacker_browser.blitar) is None


# --- item 2: sign-in forgery through the ticket ------------------------------------------------


def test_attackers_ticket_does_not_replace_a_signed_in_victim(victim):
    attacker_user = UserFactory(full_name="Penyerang")
    attackers_ticket = Browser(attacker_user).ticket_url()  # minted in the attacker's own browser
    victim_blitar = Client(HTTP_HOST=B_HOST)
    victim_blitar.force_login(victim, backend="django.contrib.auth.backends.ModelBackend")
    _follow_accept(victim_blitar, attackers_ticket)
    assert int(victim_blitar.session["_auth_user_id"]) == victim.pk


def test_attackers_ticket_does_not_sign_in_a_visitor(victim):
    """A victim not signed in on Blitar who opens the attacker's link is not signed in as the attacker."""
    attacker_user = UserFactory(full_name="Penyerang")
    attackers_ticket = Browser(attacker_user).ticket_url()
    victim_browser = Browser(victim)
    victim_browser.begin()  # the victim even has a pending hop of their own
    _follow_accept(victim_browser.blitar, attackers_ticket)
    assert victim_browser.signed_in_as(victim_browser.blitar) is None


def test_a_different_signed_in_person_is_never_switched_silently(victim):
    """Even a ticket this browser did ask for does not swap a signed-in person for another."""
    from pintu.identity import sso

    other = UserFactory(full_name="Orang Lain")
    browser = Browser(victim)
    browser.blitar.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
    session = browser.blitar.session
    state = sso.state_begin(session)  # a hop begun in this very browser (e.g. in another tab)
    session.save()
    response = browser.apex.get("/sso/", {"next": "http://kota-blitar.localhost/", "state": state})
    _follow_accept(browser.blitar, response["Location"])
    assert browser.signed_in_as(browser.blitar) == other.pk


def test_ticket_is_single_use(victim):
    browser = Browser(victim)
    url = browser.ticket_url()
    _follow_accept(browser.blitar, url)
    browser.blitar.logout()
    browser.begin()
    _follow_accept(browser.blitar, url)
    assert browser.signed_in_as(browser.blitar) is None


def test_ticket_is_short_lived(victim):
    browser = Browser(victim)
    with time_machine.travel("2026-01-01 08:00:00 +0000", tick=False):
        to_apex = urlsplit(browser.begin())
        url = browser.apex.get("/sso/?" + to_apex.query)["Location"]
    query = parse_qs(urlsplit(url).query)
    assert "ticket" in query
    with time_machine.travel("2026-01-01 08:02:00 +0000", tick=False):
        _follow_accept(browser.blitar, url)
        assert browser.signed_in_as(browser.blitar) is None
