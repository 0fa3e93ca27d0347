"""Forgotten password, change password, e-mail confirmation, and the phone given at sign-up (issue #15)."""
from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings

from pintu.identity.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "sandi-baru-yang-panjang-2026"
RESET = re.compile(r"https?://[^/\s]+(/atur-sandi/[^/\s]+/[^/\s]+/)")


def _reset_path(message) -> str:
    match = RESET.search(message.body)
    assert match, message.body
    return match.group(1)


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def test_forgotten_password_answers_the_same_whether_or_not_the_email_exists(client_for):
    UserFactory(email="ada@example.id")
    known = client_for(None).post("/lupa-sandi/", {"email": "ada@example.id"}, follow=True)
    unknown = client_for(None).post("/lupa-sandi/", {"email": "tidak-ada@example.id"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [("/lupa-sandi/terkirim/", 302)]
    # Byte for byte, but for each browser's own CSRF token (the footer's language switch is a form).
    assert _without_csrf(known.content) == _without_csrf(unknown.content)
    assert [m.to for m in mail.outbox] == [["ada@example.id"]]


def test_reset_link_sets_a_new_password_once(client_for):
    user = UserFactory(email="lupa@example.id")
    client = client_for(None)
    client.post("/lupa-sandi/", {"email": "lupa@example.id"})
    path = _reset_path(mail.outbox[-1])
    form_page = client.get(path, follow=True)
    assert "new_password1" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == "/atur-sandi/selesai/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    # Reused: the token was bound to the old password, so the link is dead.
    again = client_for(None).get(path, follow=True).content.decode()
    assert "tidak berlaku" in again and "new_password1" not in again
    assert client_for(None).post(path, {"new_password1": "lagi-lagi-12345", "new_password2": "lagi-lagi-12345"},
                                 follow=True).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_reset_link_expires(client_for):
    user = UserFactory(email="telat@example.id")
    client_for(None).post("/lupa-sandi/", {"email": "telat@example.id"})
    path = _reset_path(mail.outbox[-1])
    with override_settings(PASSWORD_RESET_TIMEOUT=-1):
        page = client_for(None).get(path, follow=True).content.decode()
    assert "tidak berlaku" in page
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_change_password_needs_the_old_one(client_for):
    user = UserFactory()
    client = client_for(None, user)
    wrong = client.post("/ubah-sandi/", {"old_password": "salah", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    ok = client.post("/ubah-sandi/", {"old_password": TEST_PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_sign_up_sends_a_confirmation_that_reminds_but_does_not_block(client_for):
    client = client_for(None)
    response = client.post("/daftar/", {"full_name": "Sari", "email": "sari@example.id", "phone": "081234567890",
                                        "password": NEW})
    assert response.status_code == 302
    user = User.objects.get(email="sari@example.id")
    assert user.email_verified_at is None
    profile = client.get("/portal/profil/").content.decode()
    assert 'data-reminder="email-verify"' in profile
    # The phone asked at sign-up is the one the profile shows (it read another field before).
    assert 'value="081234567890"' in profile
    link = re.search(r"https?://[^/\s]+(/konfirmasi-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    client.get(link)
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert 'data-reminder="email-verify"' not in client.get("/portal/profil/").content.decode()
    assert client_for(None).get("/konfirmasi-email/palsu/", follow=True).status_code == 200


def test_profile_phone_saved_is_the_accounts_phone(client_for):
    user = UserFactory(phone="")
    client = client_for(None, user)
    client.post("/portal/profil/", {"nik": "", "nib": "", "business_name": "", "phone": "0812000111"})
    user.refresh_from_db()
    assert user.phone == "0812000111"
    assert 'value="0812000111"' in client.get("/portal/profil/").content.decode()
