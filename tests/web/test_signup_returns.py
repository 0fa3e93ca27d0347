"""Sign-up and sign-in bring a new applicant back to the permit they wanted, signed in on that regency."""
import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

from pintu.identity.models import User


def _signup_data(**extra):
    return {"full_name": "Sri Wahyuni", "email": "sri.wahyuni@example.id", "password": "rahasia-baru-123", **extra}


def test_sign_up_from_a_permit_page_lands_back_on_that_permit_signed_in_on_the_regency(client_for, trenggalek):
    regency = client_for(trenggalek)
    # The permit page's sign-in link on the subdomain hops to the apex with the full address to come back to.
    hop = regency.get("/masuk/", {"next": "/izin/"})
    assert hop.status_code == 302
    apex_sso = urlsplit(hop["Location"])
    apex = client_for(None)
    to_login = apex.get(f"{apex_sso.path}?{apex_sso.query}")  # next and the browser's state, as sent
    login_url = urlsplit(to_login["Location"])
    assert login_url.path == "/masuk/"
    next_on_apex = parse_qs(login_url.query)["next"][0]
    assert next_on_apex.startswith("/sso/?next=")
    # The sign-in form offers sign-up, carrying the same place.
    page = apex.get("/masuk/", {"next": next_on_apex}).content.decode()
    signup_link = html.unescape(re.search(r'href="(/daftar/\?next=[^"]+)"', page).group(1))
    signup_next = parse_qs(urlsplit(signup_link).query)["next"][0]
    assert signup_next == next_on_apex
    assert f'name="next" value="{html.escape(next_on_apex)}"' in apex.get(signup_link).content.decode()
    response = apex.post("/daftar/?" + urlencode({"next": next_on_apex}), _signup_data(next=next_on_apex))
    assert response.status_code == 302 and response["Location"] == next_on_apex
    # The apex hands a ticket to the regency, which signs the person in and returns to the catalog.
    ticket_hop = urlsplit(apex.get(response["Location"])["Location"])
    assert ticket_hop.netloc.startswith("trenggalek.localhost") and ticket_hop.path == "/sso/terima/"
    back = regency.get(f"/sso/terima/?{ticket_hop.query}")
    assert back["Location"] == "/izin/"
    assert int(regency.session["_auth_user_id"]) == User.objects.get(email="sri.wahyuni@example.id").pk


def test_sign_up_on_the_regency_returns_to_the_permit_page(client_for, trenggalek):
    regency = client_for(trenggalek)
    response = regency.post("/daftar/", _signup_data(next="/izin/"))
    assert response.status_code == 302 and response["Location"] == "/izin/"
    assert "_auth_user_id" in regency.session


def test_sign_up_refuses_to_send_a_person_to_another_site(client_for, trenggalek):
    response = client_for(None).post("/daftar/", _signup_data(next="https://evil.example/izin/"))
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_sign_up_page_keeps_next_and_links_back_to_sign_in(client_for, trenggalek):
    page = client_for(None).get("/daftar/", {"next": "/portal/"}).content.decode()
    assert 'name="next" value="/portal/"' in page
    assert 'href="/masuk/?next=/portal/"' in page
