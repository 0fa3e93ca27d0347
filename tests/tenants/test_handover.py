"""A new regency is handed over by invitation, not by a password shown once (issue #15)."""
from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tenants.utils import schema_context

from pintu.access.models import Invitation, Role
from pintu.access.selectors import membership_roles
from tenants.services import regency_provision
from tenants.tasks import regency_admin_welcome

NEW = "sandi-admin-tangsel-2026"
LINK = re.compile(r"https?://([^/\s]+)(/undangan/[\w-]+/)")


@override_settings(PUBLIC_URL_PORT="11555")
def test_first_administrator_sets_a_password_through_the_welcome_link(db, client_for, ministry_admin_client):
    result = regency_provision(code="3674", welcome=False)  # Kota Tangerang Selatan, not seeded by the demo
    admin = result.admin
    assert result.admin_password is None
    assert admin.password.startswith("!")  # an unusable marker: no hash computed while provisioning
    with schema_context(result.regency.schema_name):
        assert Invitation.objects.filter(email=admin.email, accepted_at__isnull=True).count() == 1
        regency_admin_welcome(admin.pk)
    body = mail.outbox[-1].body
    host, path = LINK.search(body).groups()
    assert host == "kota-tangerang-selatan.localhost:11555"  # the configured port, not a hard-coded 8000
    assert ":8000" not in body and "kata sandi awal" not in body
    assert "/pengaturan/petugas/" in body

    # The ministry resends from the console: a new link, the old one dead.
    response = ministry_admin_client.post("/kementerian/daerah/3674/undang-admin/", follow=True)
    assert "dikirim ulang" in response.content.decode()
    host2, path2 = LINK.search(mail.outbox[-1].body).groups()
    assert path2 != path
    regency = result.regency
    assert client_for(regency).get(path).status_code == 404
    page = client_for(regency)
    assert "Tetapkan kata sandi" in page.get(path2).content.decode()
    assert page.post(path2, {"full_name": "Ibu Admin Tangsel", "password": NEW, "password2": NEW}).status_code == 302
    admin.refresh_from_db()
    assert admin.check_password(NEW)
    assert page.get("/pengaturan/petugas/").status_code == 200
    with schema_context(regency.schema_name):
        assert membership_roles(user=admin) == {Role.REGENCY_ADMIN}
    # Once accepted, the console says so instead of sending another link.
    response = ministry_admin_client.post("/kementerian/daerah/3674/undang-admin/", follow=True)
    assert "Lupa kata sandi" in response.content.decode()


def test_provisioning_many_prints_progress_lines_when_not_on_a_terminal(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("provision_regency", "--province", "34", "--no-welcome", stdout=out, stderr=err)  # DIY: 5
    lines = [line for line in out.getvalue().splitlines() if line.startswith("Menyiapkan daerah:")]
    assert lines and lines[-1].startswith("Menyiapkan daerah: 5/5 (5 baru, 0 sudah ada, 0 gagal)")
    assert "Selesai: 5 daerah baru" in out.getvalue()


@pytest.fixture
def ministry_admin_client(client_for, db):
    from pintu.identity.models import MinistryRole
    from pintu.identity.services import ministry_role_grant
    from tests.factories import UserFactory

    user = UserFactory()
    ministry_role_grant(user=user, role=MinistryRole.Role.ADMINISTRATOR)
    return client_for(None, user)
