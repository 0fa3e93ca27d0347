"""A counter file reaches only its applicant's account (docs/security-findings.md, item 4)."""
from __future__ import annotations

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from permits.models.applications import Application
from pintu.audit.models import AuditEntry
from tests.factories import UserFactory
from tests.permits.views.test_counter_pages import NIK, built, scan_in_and_submit, start  # noqa: F401 (fixture)
from tests.services import COUNTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter_file(built, trenggalek, client_for):
    client = client_for(trenggalek, built.front_office)
    url = start(client, built, applicant_email="darmo.kontak@contoh.id")["Location"]
    scan_in_and_submit(client, built, url)
    with schema_context("trenggalek"):
        application = Application.objects.get(applicant_name="Pak Darmo")
    return client, url, application


def _linked(application) -> int | None:
    with schema_context("trenggalek"):
        return Application.objects.get(pk=application.pk).applicant_id


def test_a_typo_e_mail_without_a_nik_gets_nothing(counter_file):
    """Today: any account without a NIK, whatever its name, received the file."""
    client, url, application = counter_file
    stranger = UserFactory(email="darm0@contoh.id", full_name="Orang Asing")  # one typo away, no NIK
    other_nik = UserFactory(email="lain@contoh.id", nik="3503014505920002")
    answers = []
    for email in (stranger.email, other_nik.email, "tidak-ada@contoh.id"):
        page = client.post(f"{url}serahkan/", {"email": email}, follow=True).content.decode()
        COUNTS["probes"] += 1
        COUNTS["leaks"] += _linked(application) is not None
        assert _linked(application) is None
        answers.append("Tidak ada akun Pintu dengan email ini yang NIK-nya sama" in page)
    assert answers == [True, True, True]  # one answer: no account oracle at the counter either


def test_hand_over_to_the_matching_nik_mails_both_sides_and_is_audited(counter_file, built,
                                                                        django_capture_on_commit_callbacks):
    client, url, application = counter_file
    darmo = UserFactory(email="darmo@contoh.id", full_name="Pak Darmo", nik=NIK)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}serahkan/", {"email": "Darmo@Contoh.id"})
    assert _linked(application) == darmo.pk
    assert sorted(m.to[0] for m in mail.outbox) == ["darmo.kontak@contoh.id", "darmo@contoh.id"]
    assert all(application.registration_number in m.subject for m in mail.outbox)
    with schema_context("trenggalek"):
        entry = AuditEntry.objects.get(action="application.hand_over", target_id=str(application.pk))
        assert entry.actor_id == built.front_office.pk and entry.detail["how"] == "counter"


def test_the_applicant_claims_with_number_code_and_nik(counter_file, trenggalek, client_for,
                                                       django_capture_on_commit_callbacks):
    _, _, application = counter_file
    darmo = UserFactory(email="darmo.sendiri@contoh.id", full_name="Pak Darmo")  # no NIK on the account yet
    client = client_for(trenggalek, darmo)
    assert client.get("/permohonan/klaim/").status_code == 200
    for wrong in ({"kode": "AAAAAAAA", "nik": NIK}, {"kode": application.tracking_code, "nik": "3503011505900002"}):
        page = client.post("/permohonan/klaim/", {"nomor": application.registration_number, **wrong})
        assert page.status_code == 200 and "tidak cocok" in page.content.decode()
        assert _linked(application) is None
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/permohonan/klaim/", {"nomor": application.registration_number,
                                                  "kode": application.tracking_code, "nik": NIK})
    assert done.status_code == 302
    assert _linked(application) == darmo.pk
    darmo.refresh_from_db()
    assert darmo.nik == NIK
    assert sorted(m.to[0] for m in mail.outbox) == ["darmo.kontak@contoh.id", "darmo.sendiri@contoh.id"]
    with schema_context("trenggalek"):
        assert AuditEntry.objects.get(action="application.hand_over", target_id=str(application.pk)).detail["how"] \
            == "claim"


def test_a_claim_with_another_nik_on_the_account_is_refused(counter_file, trenggalek, client_for):
    _, _, application = counter_file
    other = UserFactory(email="bukan.darmo@contoh.id", nik="3503014505920002")
    page = client_for(trenggalek, other).post("/permohonan/klaim/", {
        "nomor": application.registration_number, "kode": application.tracking_code, "nik": NIK})
    assert page.status_code == 200 and _linked(application) is None
