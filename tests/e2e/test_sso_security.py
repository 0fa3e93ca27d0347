"""Single sign-on in Chromium on *.localhost (docs/security-findings.md, items 1, 2, 5): sign in on
the apex, land signed in on a regency, sign out everywhere; and a crafted `next` for each trick."""
import uuid
from urllib.parse import quote, urlsplit

from playwright.sync_api import expect

from pintu.identity.services import user_ensure
from tests.e2e.conftest import regency_url

PASSWORD = "kopi-tubruk-77"


def _person(django_db_blocker, label):
    with django_db_blocker.unblock():
        user, _ = user_ensure(email=f"{label}-{uuid.uuid4().hex[:6]}@contoh.id", full_name=f"Uji {label}",
                              password=PASSWORD)
    return user


def _sign_in_on_apex(page, pintu_server, email):
    page.goto(pintu_server["apex"] + "/masuk/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def test_sign_in_on_apex_land_on_regency_then_sign_out_everywhere(page, pintu_server, django_db_blocker):
    user = _person(django_db_blocker, "sso")
    _sign_in_on_apex(page, pintu_server, user.email)
    expect(page.locator("nav")).to_contain_text(user.full_name)
    page.steps.shot("apex-signed-in")

    page.goto(regency_url(pintu_server, "kota-blitar", "/"))
    page.get_by_role("link", name="Masuk").first.click()  # the hop: /masuk/ -> apex /sso/ -> /sso/terima/
    page.wait_for_url(regency_url(pintu_server, "kota-blitar") + "**")
    expect(page.locator("nav")).to_contain_text(user.full_name)
    page.steps.shot("blitar-signed-in-by-sso")

    page.goto(regency_url(pintu_server, "kota-blitar", "/akun/keamanan/"))
    page.get_by_role("button", name="Keluar dari semua perangkat").click()
    page.wait_for_load_state()
    page.steps.shot("signed-out-everywhere")
    for url in (pintu_server["apex"] + "/", regency_url(pintu_server, "kota-blitar", "/")):
        page.goto(url)
        expect(page.locator("nav")).not_to_contain_text(user.full_name)
        expect(page.get_by_role("link", name="Masuk").first).to_be_visible()
    page.steps.shot("apex-signed-out")


TRICKS = {
    "userinfo": "http://kota-blitar.localhost:{port}@evil.example/loket/",
    "backslash": "http://kota-blitar.localhost:{port}\\@evil.example/",
    "backslashes": "http:\\\\evil.example\\kota-blitar.localhost:{port}/",
    "scheme-relative": "//evil.example/",
    "slashes-encoded": "http://evil.example%2F%2Fkota-blitar.localhost:{port}/",
    "at-encoded": "http://kota-blitar.localhost:{port}%40evil.example/",
    "tab": "http://kota-blitar.localhost:{port}\t@evil.example/",
    "newline": "http://kota-blitar.localhost:{port}\n@evil.example/",
    "other-port": "http://kota-blitar.localhost:1/",
    "javascript": "javascript:alert(document.domain)//kota-blitar.localhost:{port}/",
}


def test_crafted_next_sends_no_ticket_anywhere(page, pintu_server, django_db_blocker):
    user = _person(django_db_blocker, "trik")
    _sign_in_on_apex(page, pintu_server, user.email)
    port = pintu_server["port"]
    tickets = []
    page.on("request", lambda request: tickets.append(request.url) if "ticket=" in request.url else None)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for name, trick in TRICKS.items():
        target = trick.format(port=port)
        for state in ("s" * 32, None):
            url = f"{pintu_server['apex']}/sso/?next={quote(target, safe='')}"
            if state:
                url += f"&state={state}"
            try:
                page.goto(url)
            except Exception:  # noqa: BLE001 - a navigation to an unresolvable host is what we must not see
                pass
            landed = urlsplit(page.url)
            assert landed.hostname in ("localhost", "kota-blitar.localhost"), (name, page.url)
            assert landed.port in (port, None) or name == "other-port" and landed.port != 1, (name, page.url)
    page.steps.shot("after-tricks")
    assert tickets == [], tickets
    assert dialogs == []
    # Through sign-in too: /masuk/?next=/sso/?next=<userinfo trick>
    page.context.clear_cookies()
    page.goto(f"{pintu_server['apex']}/masuk/?next=" + quote(
        f"/sso/?next={quote(TRICKS['userinfo'].format(port=port), safe='')}&state={'s' * 32}", safe=""))
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).hostname == "localhost" and tickets == []


def test_attackers_ticket_does_not_switch_the_victims_browser(browser, page, pintu_server, django_db_blocker):
    victim, attacker = _person(django_db_blocker, "korban"), _person(django_db_blocker, "penyerang")
    # The attacker, in their own browser, stops their hop at the ticket.
    attacker_context = browser.new_context()
    attacker_page = attacker_context.new_page()
    _sign_in_on_apex(attacker_page, pintu_server, attacker.email)
    # The attacker walks the hop by hand with their own apex cookie, stopping at the ticket (never
    # redeemed). Playwright's request client resolves names itself (no *.localhost), hence 127.0.0.1 + Host.
    port = pintu_server["port"]
    apex_cookie = "; ".join(f"{c['name']}={c['value']}" for c in attacker_context.cookies(pintu_server["apex"]))
    http = attacker_context.request
    to_apex = http.get(f"http://127.0.0.1:{port}/masuk/", headers={"Host": f"kota-blitar.localhost:{port}"},
                       max_redirects=0)
    sso_path = to_apex.headers["location"].split(f"localhost:{port}", 1)[1]
    ticket = http.get(f"http://127.0.0.1:{port}{sso_path}", max_redirects=0,
                      headers={"Host": f"localhost:{port}", "Cookie": apex_cookie})
    captured = [ticket.headers.get("location", "")]
    attacker_context.close()
    assert "ticket=" in captured[0], captured

    # The victim, signed in on Blitar, opens the attacker's link.
    _sign_in_on_apex(page, pintu_server, victim.email)
    page.goto(regency_url(pintu_server, "kota-blitar", "/masuk/"))
    page.wait_for_url(regency_url(pintu_server, "kota-blitar") + "**")
    expect(page.locator("nav")).to_contain_text(victim.full_name)
    page.goto(captured[0])
    expect(page.locator("nav")).to_contain_text(victim.full_name)
    expect(page.locator("nav")).not_to_contain_text(attacker.full_name)
    page.steps.shot("victim-still-themselves")
