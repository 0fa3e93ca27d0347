from urllib.parse import parse_qs, urlsplit

from pintu.identity import sso


def _hop(client_for, trenggalek, user, sub=None):
    """The whole hop as a browser makes it: the subdomain's /masuk/ (its state kept in `sub`'s
    session), the apex's /sso/, and the ticket it answers with."""
    sub = sub or client_for(trenggalek)
    begin = sub.get("/masuk/", {"next": "/petugas/"})
    assert begin.status_code == 302
    apex = client_for(None, user)
    response = apex.get("/sso/?" + urlsplit(begin["Location"]).query)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.netloc == "trenggalek.localhost" and target.path == "/sso/terima/"
    return parse_qs(target.query), sub


def test_apex_session_signs_the_person_in_on_the_subdomain(client_for, trenggalek, applicant):
    query, sub = _hop(client_for, trenggalek, applicant)
    response = sub.get("/sso/terima/", {"ticket": query["ticket"][0], "next": query["next"][0]})
    assert response.status_code == 302 and response["Location"] == "/petugas/"
    assert sub.get("/api/v1/regency/").status_code == 200
    assert int(sub.session["_auth_user_id"]) == applicant.pk


def test_a_ticket_works_once_and_only_on_its_own_subdomain(client_for, trenggalek, blitar, applicant):
    query, first = _hop(client_for, trenggalek, applicant)
    ticket = query["ticket"][0]
    other = client_for(blitar)
    other.get("/sso/terima/", {"ticket": ticket})
    assert "_auth_user_id" not in other.session
    _, second = _hop(client_for, trenggalek, applicant)  # a second browser with a pending hop of its own
    first.get("/sso/terima/", {"ticket": ticket})
    second.get("/sso/terima/", {"ticket": ticket})
    assert "_auth_user_id" in first.session and "_auth_user_id" not in second.session


def test_forged_ticket_and_foreign_next_are_refused(client_for, trenggalek, applicant):
    sub = client_for(trenggalek)
    sub.get("/sso/terima/", {"ticket": "palsu"})
    assert "_auth_user_id" not in sub.session
    apex = client_for(None, applicant)
    response = apex.get("/sso/", {"next": "http://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    sub = client_for(trenggalek)
    session = sub.session
    state = sso.state_begin(session)
    session.save()
    ticket = sso.ticket_issue(user_id=applicant.pk, host="trenggalek.localhost", state=state)
    response = sub.get("/sso/terima/", {"ticket": ticket, "next": "http://evil.example/x"})
    assert response["Location"] == "/"


def test_subdomain_sign_in_goes_through_the_apex(client_for, trenggalek):
    response = client_for(trenggalek).get("/masuk/", {"next": "/petugas/"})
    assert response.status_code == 302
    assert response["Location"].startswith("http://localhost/sso/?next=")
    assert "state=" in response["Location"]
