"""No account lookups across regencies, no existence oracles (docs/security-findings.md, item 3)."""
from __future__ import annotations

import json

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from pintu.identity.models import User
from tests.factories import UserFactory
from tests.services import COUNTS


@pytest.fixture
def people(blitar, trenggalek, officer):
    return {
        "admin": officer(blitar, "regency_admin", full_name="Admin Jabatan Blitar"),
        "blitar_officer": officer(blitar, "signing_official", full_name="Kepala Blitar Sah"),
        "t_applicant": UserFactory(full_name="Pemohon Trenggalek Rahasia", email="rahasia.t@contoh.id"),
        "t_head": officer(trenggalek, "head", full_name="Kepala Trenggalek Rahasia", email="kepala.t@contoh.id"),
    }


def _answer(response) -> tuple[int, str]:
    body = response.json()
    return response.status_code, json.dumps(body, sort_keys=True)


@pytest.mark.parametrize("endpoint,field,extra", [
    ("/api/v1/config/positions/", "holder", {"code": "jabatan-uji", "name": "Jabatan Uji", "kind": "other"}),
])
def test_position_holder_is_no_platform_wide_lookup(endpoint, field, extra, people, blitar, client_for):
    client = client_for(blitar, people["admin"])
    answers = {}
    for who, email in (("t_applicant", people["t_applicant"].email), ("t_head", people["t_head"].email),
                       ("nobody", "tidak.ada.siapa@contoh.id")):
        response = client.post(endpoint, {**extra, "code": f"jabatan-{who.replace('_', '-')}", field: email},
                               content_type="application/json")
        COUNTS["probes"] += 1
        leaked = b"Rahasia" in response.content
        COUNTS["leaks"] += leaked
        assert response.status_code == 400, (who, response.content)
        assert not leaked
        answers[who] = _answer(response)
    # One answer whether the e-mail has an account elsewhere or none at all.
    assert answers["t_applicant"] == answers["t_head"] == answers["nobody"]
    with schema_context(blitar.schema_name):
        from permits.models import Position

        assert not Position.objects.filter(code__startswith="jabatan-").exists()
    page = client.get("/pengaturan/jabatan/")
    assert b"Rahasia" not in page.content
    # This regency's own officer is still a valid holder.
    ok = client.post(endpoint, {**extra, field: people["blitar_officer"].email}, content_type="application/json")
    assert ok.status_code == 201, ok.content


def test_config_import_is_no_platform_wide_lookup(people, blitar):
    """A YAML import naming a holder by e-mail resolves only this regency's officers, one answer for all
    (issue #14.9: a holder who is not one is left empty and the report says so, alike for every e-mail)."""
    from permits.models import Position
    from permits.services.config_io import config_import

    def holder_import(email: str):
        return config_import(source={"format": "pintu-config", "version": 1, "positions": [
            {"code": "kepala-uji", "name": "Kepala", "kind": "other", "holder": email}]}, dry_run=True)

    with schema_context(blitar.schema_name):
        notes = [holder_import(email).notes[0].replace(email, "<email>")
                 for email in (people["t_head"].email, "tidak.ada.siapa@contoh.id")]
        assert notes[0] == notes[1] and "dibiarkan kosong" in notes[0]
        assert holder_import(people["blitar_officer"].email).notes == []
        config_import(source={"format": "pintu-config", "version": 1, "positions": [
            {"code": "kepala-uji", "name": "Kepala", "kind": "other", "holder": people["blitar_officer"].email}]})
        assert Position.objects.get(code="kepala-uji").holder == people["blitar_officer"]


def test_acting_official_is_no_platform_wide_lookup(people, blitar, client_for):
    from permits.services.delegation import position_create

    with schema_context(blitar.schema_name):
        position = position_create(code="kepala-plt", name="Kepala", kind="other", holder=people["blitar_officer"])
    client = client_for(blitar, people["admin"])
    answers = []
    for email in (people["t_head"].email, "tidak.ada.siapa@contoh.id"):
        response = client.post("/api/v1/config/acting-officials/", {
            "position": position.pk, "user": email, "kind": "plt", "decree_number": "1",
            "valid_from": "2026-01-01"}, content_type="application/json")
        assert response.status_code == 400, response.content
        assert b"Rahasia" not in response.content
        answers.append(_answer(response))
    assert answers[0] == answers[1]


def test_sign_up_does_not_tell_whether_a_nik_has_an_account(db, client_for, django_capture_on_commit_callbacks):
    owner = UserFactory(full_name="Pemilik NIK", email="pemilik.nik@contoh.id", nik="3503015204850077")
    fresh = "3503015204850078"
    answers = []
    mail.outbox = []
    for email, nik in (("baru.satu@contoh.id", fresh), ("baru.dua@contoh.id", owner.nik)):
        client = client_for(None)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/daftar/", {"full_name": "Orang Baru", "email": email, "nik": nik,
                                                "password": "kopi-tubruk-77"}, follow=True)
        answers.append((response.status_code, response.redirect_chain,
                        [str(m) for m in response.context["messages"]]))
        assert b"sudah terdaftar" not in response.content
    assert answers[0] == answers[1]
    assert User.objects.get(email="baru.satu@contoh.id").nik == fresh
    assert User.objects.get(email="baru.dua@contoh.id").nik is None  # the NIK stays with its owner
    assert User.objects.get(pk=owner.pk).nik == owner.nik
    # The NIK's owner alone is told; both newcomers get the same mail (the address confirmation),
    # so neither the page nor the mailbox tells the second one that the NIK had an account.
    assert [m.to for m in mail.outbox if "NIK" in m.subject] == [[owner.email]]
    subjects = {email: [m.subject for m in mail.outbox if m.to == [email]]
                for email in ("baru.satu@contoh.id", "baru.dua@contoh.id")}
    assert subjects["baru.satu@contoh.id"] == subjects["baru.dua@contoh.id"]
