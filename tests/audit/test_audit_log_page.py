"""/audit/: auditors, administrators and heads browse the log, filter by action, and see the chain's state."""
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
