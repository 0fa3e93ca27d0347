"""Writes: granting and revoking roles in the current regency."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from pintu.access.models import Membership, Role
from pintu.audit.services import audit_record


@transaction.atomic
def membership_grant(*, user, role: str, agency: str = "", granted_by=None) -> tuple[Membership, bool]:
    """Give `user` a role here; a technical team role must name its agency (OPD)."""
    if role not in Role.values:
        raise ValidationError({"role": [f"Peran '{role}' tidak dikenal."]})
    if role == Role.TECHNICAL_TEAM and not agency.strip():
        raise ValidationError({"agency": ["Tim teknis harus menyebut instansi (OPD)."]})
    membership, created = Membership.objects.get_or_create(
        user_id=user.pk, role=role, agency=agency.strip(), defaults={"is_active": True}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        created = True
    if created:
        audit_record(actor=granted_by, action="membership.grant", target=membership,
                     detail={"user": user.pk, "role": role, "agency": agency})
    return membership, created


@transaction.atomic
def membership_revoke(*, membership: Membership, revoked_by=None) -> None:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(actor=revoked_by, action="membership.revoke", target=membership,
                 detail={"user": membership.user_id, "role": membership.role})
