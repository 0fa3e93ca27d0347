"""Tokens and sessions end (docs/security-findings.md, item 5): expiry, regency scope, live roles,
read-only kind, a person's own page, and "Keluar dari semua perangkat"."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_tenants.utils import schema_context

from pintu.identity.models import ApiToken
from tests.factories import TEST_PASSWORD, UserFactory
from tests.services import COUNTS

T_HOST, B_HOST = "trenggalek.localhost", "kota-blitar.localhost"


def _token(host: str, user, **extra) -> dict:
    response = Client(HTTP_HOST=host).post("/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD,
                                                                   **extra}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def _get(host: str, key: str, path: str):
    return Client(HTTP_HOST=host).get(path, HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture(autouse=True)
def _no_throttle_left():
    from django.core.cache import caches

    caches["default"].clear()  # the token endpoint's 10/min per address is tested elsewhere


@pytest.fixture
def t_admin(trenggalek, officer):
    return officer(trenggalek, "regency_admin", full_name="Admin Token Trenggalek")


def test_api_sign_in_still_works_and_says_when_the_token_ends(t_admin):
    body = _token(T_HOST, t_admin)
    assert body["kind"] == "officer" and body["regency"] == "trenggalek" and body["roles"] == ["regency_admin"]
    ends = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=29) < ends - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    assert _get(T_HOST, body["token"], "/api/v1/officers/").status_code == 200
    # Only the key's hash is stored.
    assert not ApiToken.objects.filter(key_digest=body["token"]).exists()


def test_a_token_expires(t_admin):
    key = _token(T_HOST, t_admin)["token"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)):
        response = _get(T_HOST, key, "/api/v1/officers/")
    assert response.status_code in (401, 403) and "kedaluwarsa" in response.content.decode()


def test_a_token_works_only_on_the_regency_it_was_issued_on(t_admin, blitar, officer):
    """Today a token issued anywhere was platform-wide."""
    from pintu.access.services import membership_grant

    with schema_context(blitar.schema_name):
        membership_grant(user=t_admin, role="regency_admin")  # an administrator of both regencies
    key = _token(T_HOST, t_admin)["token"]
    apex_key = _token("localhost", t_admin)["token"]
    for host, used in ((B_HOST, key), (T_HOST, apex_key), (B_HOST, apex_key)):
        COUNTS["probes"] += 1
        response = _get(host, used, "/api/v1/officers/")
        COUNTS["leaks"] += response.status_code == 200
        assert response.status_code in (401, 403), (host, response.status_code)
        assert "daerah lain" in response.content.decode()


def test_deactivating_the_membership_stops_the_token_and_the_session(t_admin, trenggalek, client_for):
    from pintu.access.models import Membership
    from pintu.access.services import membership_revoke

    key = _token(T_HOST, t_admin)["token"]
    session = client_for(trenggalek, t_admin)
    assert session.get("/api/v1/officers/").status_code == 200
    with schema_context(trenggalek.schema_name):
        membership_revoke(membership=Membership.objects.get(user_id=t_admin.pk))
    assert _get(T_HOST, key, "/api/v1/officers/").status_code in (401, 403)
    assert session.get("/api/v1/officers/").status_code == 403
    assert session.get("/petugas/").status_code == 403


def test_a_token_never_gains_a_role_granted_later(trenggalek, officer):
    from pintu.access.services import membership_grant

    person = officer(trenggalek, "front_office", full_name="Loket Token")
    key = _token(T_HOST, person)["token"]
    with schema_context(trenggalek.schema_name):
        membership_grant(user=person, role="regency_admin")
    assert _get(T_HOST, key, "/api/v1/officers/").status_code == 403
    assert _get(T_HOST, _token(T_HOST, person)["token"], "/api/v1/officers/").status_code == 200


def test_a_read_token_is_refused_on_unsafe_methods(t_admin):
    key = _token(T_HOST, t_admin, kind="read")["token"]
    assert _get(T_HOST, key, "/api/v1/officers/").status_code == 200
    response = Client(HTTP_HOST=T_HOST).post("/api/v1/config/positions/", {"code": "x", "name": "X", "kind": "other"},
                                             content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403 and "hanya untuk membaca" in response.content.decode()


def test_an_integration_token_needs_a_role_here(trenggalek):
    applicant = UserFactory(full_name="Pemohon Integrasi")
    response = Client(HTTP_HOST=T_HOST).post("/api/v1/auth/token/", {
        "email": applicant.email, "password": TEST_PASSWORD, "kind": "integration"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "token_integration_needs_role"


def test_a_person_sees_and_revokes_their_own_tokens_only(t_admin, trenggalek, client_for):
    key = _token(T_HOST, t_admin)["token"]
    other = UserFactory(full_name="Orang Lain Token")
    other_key = _token(T_HOST, other)["token"]
    other_token = ApiToken.objects.get(user=other)
    page = client_for(None, t_admin).get("/akun/keamanan/")
    assert page.status_code == 200
    text = page.content.decode()
    assert key[:8] in text and "Kab. Trenggalek" in text and other_key[:8] not in text
    refused = client_for(trenggalek, t_admin).post(f"/akun/keamanan/token/{other_token.pk}/cabut/")
    assert refused.status_code == 404
    assert _get(T_HOST, other_key, "/api/v1/applications/").status_code == 200
    mine = ApiToken.objects.get(user=t_admin)
    assert client_for(trenggalek, t_admin).post(f"/akun/keamanan/token/{mine.pk}/cabut/").status_code == 302
    assert _get(T_HOST, key, "/api/v1/officers/").status_code in (401, 403)


def test_sign_out_everywhere_ends_apex_and_subdomain_sessions_and_tokens(t_admin, trenggalek, blitar, client_for):
    """Today signing out on a subdomain left the apex session and every token working."""
    key = _token(T_HOST, t_admin)["token"]
    apex, tren, blit = client_for(None, t_admin), client_for(trenggalek, t_admin), client_for(blitar, t_admin)
    assert tren.get("/petugas/").status_code == 200
    response = tren.post("/akun/keamanan/keluar-semua/")
    assert response.status_code == 302
    for client in (apex, tren, blit):
        assert "_auth_user_id" not in client.session or client.get("/akun/keamanan/").status_code == 302
        assert client.get("/akun/keamanan/").status_code == 302  # sent to sign in
    assert _get(T_HOST, key, "/api/v1/officers/").status_code in (401, 403)
    # Signing in again works, and the new session lives.
    fresh = Client(HTTP_HOST="localhost")
    assert fresh.post("/masuk/", {"username": t_admin.email, "password": TEST_PASSWORD}).status_code == 302
    assert fresh.get("/akun/keamanan/").status_code == 200


def test_sign_out_everywhere_is_a_service_for_administrators(t_admin, trenggalek, client_for):
    from pintu.identity.services import user_sign_out_everywhere

    session = client_for(trenggalek, t_admin)
    key = _token(T_HOST, t_admin)["token"]
    with schema_context(trenggalek.schema_name):
        assert user_sign_out_everywhere(user=t_admin, actor=None) == 1
        from pintu.audit.models import AuditEntry

        assert AuditEntry.objects.filter(action="user.sign_out_everywhere").exists()
    assert session.get("/petugas/").status_code == 302
    assert _get(T_HOST, key, "/api/v1/officers/").status_code in (401, 403)
