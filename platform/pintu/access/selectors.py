"""Reads: who holds which role in the current regency (the schema in use)."""
from __future__ import annotations

from django.db.models import QuerySet

from pintu.access.models import Membership


def membership_roles(*, user) -> set[str]:
    """The active roles `user` holds in the current regency; empty for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user_id=user.pk, is_active=True).values_list("role", flat=True))


def officer_list() -> QuerySet[Membership]:
    return Membership.objects.filter(is_active=True).order_by("role", "agency", "user_id")


def membership_is_officer(*, user_id: int) -> bool:
    """True when the account holds an active role in the current regency."""
    return Membership.objects.filter(user_id=user_id, is_active=True).exists()


def officer_users():
    """The accounts holding an active role in the current regency (the schema in use)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(memberships__is_active=True).distinct().order_by("full_name", "email")
