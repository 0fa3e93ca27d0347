"""Officer management by the regency administrator: invitations by e-mail, roles, deactivation (issue #15)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from pintu.access.models import Agency, Invitation, Membership, Role
from pintu.access.selectors import membership_roles
from pintu.audit.models import AuditEntry
from pintu.identity.models import User
from tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "sandi-baru-petugas-2026"
LINK = re.compile(r"https?://\S+/undangan/([\w-]+)/")


def _link(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def admin(trenggalek, officer):
    return officer(trenggalek, Role.REGENCY_ADMIN, password=TEST_PASSWORD)


@pytest.fixture
def dinkes(trenggalek):
    with schema_context(trenggalek.schema_name):
        agency, _ = Agency.objects.get_or_create(code="dinkes", defaults={"name": "Dinas Kesehatan"})
    return agency


def _invite(client, capture, **data):
    with capture(execute=True):
        return client.post("/pengaturan/petugas/", data)


def test_invitation_mail_link_sets_password_grants_roles_and_works_once(
        trenggalek, admin, dinkes, client_for, django_capture_on_commit_callbacks):
    page = client_for(trenggalek, admin)
    response = _invite(page, django_capture_on_commit_callbacks, email="Rina.Teknis@example.id",
                       full_name="Rina Teknis", roles=[Role.VERIFIER], agencies=[dinkes.pk])
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rina.teknis@example.id"]
    url = _link(mail.outbox[0])
    assert url.startswith("http://trenggalek.localhost")  # configured scheme/host, not a hard-coded port
    listing = page.get("/pengaturan/petugas/").content.decode()
    assert "rina.teknis@example.id" in listing and "Undangan yang menunggu" in listing

    invitee = client_for(trenggalek)
    assert "Tetapkan kata sandi" in invitee.get(_path(url)).content.decode()
    response = invitee.post(_path(url), {"full_name": "Rina Teknis", "password": NEW_PASSWORD,
                                         "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="rina.teknis@example.id")
    assert user.check_password(NEW_PASSWORD) and user.email_verified_at is not None
    with schema_context(trenggalek.schema_name):
        assert sorted(Membership.objects.filter(user_id=user.pk).values_list("role", "agency")) == [
            (Role.TECHNICAL_TEAM, "Dinas Kesehatan"), (Role.VERIFIER, "")]
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"invitation.create", "invitation.accept", "membership.grant"} <= actions
    assert invitee.get("/kantor/").status_code == 200  # signed in by the acceptance, acting as an officer

    # The same link a second time: refused, nothing changes.
    again = client_for(trenggalek).get(_path(url))
    assert again.status_code == 410 and "sudah dipakai" in again.content.decode()
    assert client_for(trenggalek).post(_path(url), {"full_name": "X", "password": "lain-lain-123456",
                                                    "password2": "lain-lain-123456"}).status_code == 410
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_expired_invitation_link_is_refused(trenggalek, admin, client_for, django_capture_on_commit_callbacks):
    page = client_for(trenggalek, admin)
    _invite(page, django_capture_on_commit_callbacks, email="late@example.id", roles=[Role.AUDITOR])
    url = _link(mail.outbox[-1])
    with schema_context(trenggalek.schema_name):
        Invitation.objects.filter(email="late@example.id").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client_for(trenggalek).post(_path(url), {"full_name": "Late", "password": NEW_PASSWORD,
                                                        "password2": NEW_PASSWORD})
    assert response.status_code == 410 and "kedaluwarsa" in response.content.decode()
    assert not User.objects.filter(email="late@example.id").exists()


def test_resend_replaces_the_link_and_cancel_kills_it(trenggalek, admin, client_for,
                                                      django_capture_on_commit_callbacks):
    page = client_for(trenggalek, admin)
    _invite(page, django_capture_on_commit_callbacks, email="twice@example.id", roles=[Role.SURVEYOR])
    first = _link(mail.outbox[-1])
    with schema_context(trenggalek.schema_name):
        invitation = Invitation.objects.get(email="twice@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        assert page.post(f"/pengaturan/undangan/{invitation.pk}/kirim-ulang/").status_code == 302
    second = _link(mail.outbox[-1])
    assert first != second
    assert client_for(trenggalek).get(_path(first)).status_code == 404  # the old link no longer exists
    assert client_for(trenggalek).get(_path(second)).status_code == 200
    page.post(f"/pengaturan/undangan/{invitation.pk}/batal/")
    response = client_for(trenggalek).get(_path(second))
    assert response.status_code == 410 and "dibatalkan" in response.content.decode()


def test_invitee_with_an_existing_account_accepts_with_it(trenggalek, blitar, admin, client_for,
                                                           django_capture_on_commit_callbacks):
    person = UserFactory(email="sudah.ada@example.id", password=TEST_PASSWORD)
    with schema_context(blitar.schema_name):  # already an officer elsewhere: one account everywhere
        from pintu.access.services import membership_grant
        membership_grant(user=person, role=Role.VERIFIER)
    _invite(client_for(trenggalek, admin), django_capture_on_commit_callbacks, email="sudah.ada@example.id",
            roles=[Role.FRONT_OFFICE])
    url = _link(mail.outbox[-1])
    visitor = client_for(trenggalek)
    assert "sudah memiliki akun" in visitor.get(_path(url)).content.decode()
    wrong = visitor.post(_path(url), {"password": "bukan-sandinya"})
    assert "Kata sandi salah" in wrong.content.decode()
    assert visitor.post(_path(url), {"password": TEST_PASSWORD}).status_code == 302
    assert User.objects.filter(email="sudah.ada@example.id").count() == 1
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)  # nobody reset their password
    with schema_context(trenggalek.schema_name):
        assert membership_roles(user=person) == {Role.FRONT_OFFICE}
    with schema_context(blitar.schema_name):
        assert membership_roles(user=person) == {Role.VERIFIER}


def test_signed_in_account_of_another_email_cannot_take_the_invitation(
        trenggalek, admin, client_for, django_capture_on_commit_callbacks):
    _invite(client_for(trenggalek, admin), django_capture_on_commit_callbacks, email="target@example.id",
            roles=[Role.AUDITOR])
    url = _link(mail.outbox[-1])
    intruder = client_for(trenggalek, UserFactory())
    response = intruder.post(_path(url))
    assert response.status_code == 403 and "alamat email lain" in response.content.decode()
    with schema_context(trenggalek.schema_name):
        assert Invitation.objects.get(email="target@example.id").accepted_at is None


def test_invitation_form_refuses_in_indonesian(trenggalek, admin, client_for, django_capture_on_commit_callbacks):
    page = client_for(trenggalek, admin)
    html = _invite(page, django_capture_on_commit_callbacks, email="pejabat@example.id",
                   roles=[Role.SIGNING_OFFICIAL]).content.decode()
    assert "Pejabat penandatangan wajib memiliki NIK" in html
    html = _invite(page, django_capture_on_commit_callbacks, email="x@example.id").content.decode()
    assert "Pilih sedikitnya satu peran" in html
    html = _invite(page, django_capture_on_commit_callbacks, email="y@example.id", roles=[Role.SIGNING_OFFICIAL],
                   nik="1234").content.decode()
    assert "NIK" in html
    assert mail.outbox == []


def test_pending_invitations_show_the_roles_they_give_in_bounded_queries(
        trenggalek, admin, dinkes, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    page = client_for(trenggalek, admin)
    for n in range(4):
        _invite(page, django_capture_on_commit_callbacks, email=f"tim{n}@example.id", roles=[Role.VERIFIER],
                agencies=[dinkes.pk])
    with django_assert_max_num_queries(10):  # 10 with four invitations: agency names are read once, not per row
        html = page.get("/pengaturan/petugas/").content.decode()
    pending = html.split('class="invitations"', 1)[1].split("</table>", 1)[0]
    assert pending.count("Verifikator berkas, Tim teknis (Dinas Kesehatan)") == 4


def test_deactivation_refuses_the_session_and_the_api_token_on_this_regency_only(
        trenggalek, blitar, admin, officer, client_for):
    verifier = officer(trenggalek, Role.VERIFIER)
    with schema_context(blitar.schema_name):
        from pintu.access.services import membership_grant
        membership_grant(user=verifier, role=Role.VERIFIER)
    session = client_for(trenggalek, verifier)
    from pintu.identity.services import api_token_issue
    _, key = api_token_issue(user=verifier, schema_name=trenggalek.schema_name, kind="officer",
                             roles=[Role.VERIFIER])
    api = client_for(trenggalek)
    assert session.get("/kantor/").status_code == 200
    assert api.get("/api/v1/worklist/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    response = client_for(trenggalek, admin).post(f"/pengaturan/petugas/{verifier.pk}/nonaktifkan/")
    assert response.status_code == 302
    assert session.get("/kantor/").status_code == 403  # the same session, next request
    assert api.get("/api/v1/worklist/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)
    assert client_for(blitar, verifier).get("/kantor/").status_code == 200  # other regencies untouched

    client_for(trenggalek, admin).post(f"/pengaturan/petugas/{verifier.pk}/aktifkan/")
    assert session.get("/kantor/").status_code == 200
    with schema_context(trenggalek.schema_name):
        actions = list(AuditEntry.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["officer.reactivate", "officer.deactivate"]


def test_last_administrator_cannot_be_deactivated(trenggalek, admin, officer, client_for):
    with schema_context(trenggalek.schema_name):
        Membership.objects.filter(role=Role.REGENCY_ADMIN).exclude(user_id=admin.pk).update(is_active=False)
    page = client_for(trenggalek, admin)
    html = page.post(f"/pengaturan/petugas/{admin.pk}/nonaktifkan/", follow=True).content.decode()
    assert "tidak dapat menonaktifkan diri sendiri" in html
    html = page.post(f"/pengaturan/petugas/{admin.pk}/", {"roles": [Role.AUDITOR]}).content.decode()
    assert "administrator instansi terakhir" in html
    with schema_context(trenggalek.schema_name):
        assert membership_roles(user=admin) == {Role.REGENCY_ADMIN}


def test_api_invites_changes_roles_and_deactivates(trenggalek, admin, dinkes, officer, client_for,
                                                   django_capture_on_commit_callbacks):
    api = client_for(trenggalek, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/officers/invitations/", {
            "email": "api@example.id", "roles": [{"role": "technical_team", "agency": dinkes.pk}]},
            content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["roles"] == [{"role": "technical_team", "agency": dinkes.pk}]
    assert len(mail.outbox) == 1
    refused = api.post("/api/v1/officers/invitations/", {"email": "bad@example.id",
                                                         "roles": [{"role": "technical_team"}]},
                       content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "officer_invalid"
    assert "instansi" in refused.json()["message"] or "instansi" in str(refused.json()["detail"])
    pending = [i["email"] for i in api.get("/api/v1/officers/invitations/").json()]
    assert "api@example.id" in pending and "bad@example.id" not in pending

    person = officer(trenggalek, Role.VERIFIER)
    response = api.put(f"/api/v1/officers/{person.pk}/roles/",
                       {"roles": [{"role": "surveyor"}, {"role": "technical_team", "agency": dinkes.pk}]},
                       content_type="application/json")
    assert response.status_code == 200
    assert sorted((m["role"], m["agency"]) for m in response.json()["memberships"]) == [
        ("surveyor", ""), ("technical_team", "Dinas Kesehatan")]
    assert api.post(f"/api/v1/officers/{person.pk}/deactivate/").status_code == 200
    with schema_context(trenggalek.schema_name):
        assert membership_roles(user=person) == set()
    # Only regency administrators manage officers.
    assert client_for(trenggalek, person).get("/api/v1/officers/invitations/").status_code == 403
    assert client_for(trenggalek, officer(trenggalek, Role.AUDITOR)).post(
        f"/api/v1/officers/{person.pk}/reactivate/").status_code == 403


def test_another_regency_administrator_cannot_manage_these_officers(trenggalek, blitar, officer, client_for):
    person = officer(trenggalek, Role.VERIFIER)
    blitar_admin = officer(blitar, Role.REGENCY_ADMIN)
    assert client_for(trenggalek, blitar_admin).post(
        f"/pengaturan/petugas/{person.pk}/nonaktifkan/").status_code == 403
    assert client_for(blitar, blitar_admin).post(
        f"/api/v1/officers/{person.pk}/deactivate/").status_code == 404
    with schema_context(trenggalek.schema_name):
        assert membership_roles(user=person) == {Role.VERIFIER}
