"""Reads about people."""
from __future__ import annotations

from pintu.identity.models import MinistryRole, User


def user_ministry_roles(*, user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(MinistryRole.objects.filter(user=user).values_list("role", flat=True))
