"""/audit/: auditors, administrators and heads browse the log, filter by action, and see the chain's state."""
import io

import pytest
from django_tenants.utils import schema_context

from pintu.access.models import Role
from pintu.audit.models import AuditEntry
from pintu.audit.services import audit_record


@pytest.fixture
def entries(trenggalek):
    from tests.factories import UserFactory

    actor = UserFactory(full_name="Budi Verifikator")
    with schema_context("trenggalek"):
        for i in range(60):
            audit_record(actor=actor, action="test.page", detail={"n": i})
        audit_record(actor=actor, action="test.other", detail={"special": "yes"})
    return actor


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.REGENCY_ADMIN, Role.HEAD])
def test_auditors_admins_and_heads_browse_paginated_with_intact_chain(entries, trenggalek, officer, client_for, role,
                                                                      django_assert_max_num_queries):
    client = client_for(trenggalek, officer(trenggalek, role))
    client.get("/audit/")
    page = client.get("/audit/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Rantai audit utuh" in text and "Budi Verifikator" in text and "test.other" in text
    assert "Halaman 1 dari" in text and "Berikutnya" in text
    filtered = client.get("/audit/", {"aksi": "test.other"}).content.decode()
    assert "special" in filtered and "Halaman 1 dari 1" in filtered


def test_page_shows_a_broken_chain_naming_the_entry(entries, trenggalek, officer, client_for):
    with schema_context("trenggalek"):
        victim = AuditEntry.objects.filter(action="test.page").order_by("seq")[5]
        AuditEntry.objects.filter(pk=victim.pk).update(detail={"n": -1})
    text = client_for(trenggalek, officer(trenggalek, Role.AUDITOR)).get("/audit/").content.decode()
    assert "Rantai audit RUSAK" in text and f"entri #{victim.seq}: isi telah diubah" in text


def test_others_are_refused(entries, trenggalek, blitar, officer, applicant, client_for):
    for user in (officer(trenggalek, Role.VERIFIER), officer(blitar, Role.AUDITOR), applicant):
        assert client_for(trenggalek, user).get("/audit/").status_code == 403
    assert client_for(trenggalek).get("/audit/").status_code == 302
    own = client_for(blitar, officer(blitar, Role.AUDITOR)).get("/audit/").content.decode()
    assert "Budi Verifikator" not in own  # Blitar's log holds nothing of Trenggalek's


def test_the_page_checks_only_entries_since_its_checkpoint_and_the_full_run_catches_older_edits(
        entries, trenggalek, officer, client_for, django_assert_max_num_queries):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    client = client_for(trenggalek, officer(trenggalek, Role.AUDITOR))
    first = client.get("/audit/").content.decode()
    assert "Rantai audit utuh" in first
    with schema_context("trenggalek"):
        for i in range(300):
            audit_record(actor=None, action="test.more", detail={"n": i})
        old = AuditEntry.objects.filter(action="test.page").order_by("seq")[3]
    with django_assert_max_num_queries(12):  # the same few queries however long the log is (+1: the anchor)
        assert "Rantai audit utuh" in client.get("/audit/").content.decode()

    # An entry before the checkpoint edited: the page does not re-read it, and says when the full run last ran.
    with schema_context("trenggalek"):
        AuditEntry.objects.filter(pk=old.pk).update(detail={"n": "diubah"})
    text = client.get("/audit/").content.decode()
    assert "Pemeriksaan penuh terakhir" in text and "perintah audit_verify" in text
    # The full verification (command, nightly task) finds it, and the page shows what it found.
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit_verify", "--schema", "trenggalek", stdout=out)
    assert f"entri #{old.seq}: isi telah diubah" in out.getvalue()
    text = client.get("/audit/").content.decode()
    assert "Rantai audit RUSAK" in text and f"entri #{old.seq}: isi telah diubah" in text

    # An entry after the checkpoint edited is caught on the next view, without a full run.
    with schema_context("trenggalek"):
        AuditEntry.objects.filter(pk=old.pk).update(detail=old.detail)
        call_command("audit_verify", "--schema", "trenggalek", stdout=io.StringIO())
        fresh = audit_record(actor=None, action="test.fresh", detail={"n": 1})
        AuditEntry.objects.filter(pk=fresh.pk).update(action="test.forged")
    text = client.get("/audit/").content.decode()
    assert "Rantai audit RUSAK" in text and f"entri #{fresh.seq}: isi telah diubah" in text
