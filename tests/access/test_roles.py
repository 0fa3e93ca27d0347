import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from pintu.access.models import Role
from pintu.access.selectors import membership_roles
from pintu.access.services import membership_grant, membership_revoke
from pintu.audit.models import AuditEntry
from pintu.audit.services import audit_verify
from tests.factories import UserFactory


def test_roles_are_per_regency(trenggalek, blitar):
    user = UserFactory()
    with schema_context("trenggalek"):
        membership_grant(user=user, role=Role.VERIFIER)
        assert membership_roles(user=user) == {"verifier"}
    with schema_context("kota_blitar"):
        assert membership_roles(user=user) == set()


def test_technical_team_must_name_its_agency(trenggalek):
    user = UserFactory()
    with schema_context("trenggalek"):
        with pytest.raises(ValidationError) as exc:
            membership_grant(user=user, role=Role.TECHNICAL_TEAM)
        assert "instansi" in str(exc.value)
        membership, created = membership_grant(user=user, role=Role.TECHNICAL_TEAM, agency="Dinas Kesehatan")
        assert created and membership.agency == "Dinas Kesehatan"


def test_unknown_role_is_refused(trenggalek):
    with schema_context("trenggalek"), pytest.raises(ValidationError):
        membership_grant(user=UserFactory(), role="bupati")


def test_revoked_role_grants_nothing_and_both_are_audited(trenggalek):
    user = UserFactory()
    with schema_context("trenggalek"):
        membership, _ = membership_grant(user=user, role=Role.AUDITOR)
        membership_revoke(membership=membership)
        assert membership_roles(user=user) == set()
        actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
        assert actions[-2:] == ["membership.grant", "membership.revoke"]
        assert audit_verify() == []


def test_audit_chain_detects_an_edited_entry(trenggalek):
    with schema_context("trenggalek"):
        membership_grant(user=UserFactory(), role=Role.AUDITOR)
        entry = AuditEntry.objects.order_by("-seq").first()
        AuditEntry.objects.filter(pk=entry.pk).update(detail={"role": "regency_admin"})
        problems = audit_verify()
        assert any(f"#{entry.seq}" in p and "diubah" in p for p in problems)
