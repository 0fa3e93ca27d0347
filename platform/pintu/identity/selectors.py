"""Reads about people."""
from __future__ import annotations

from django.db.models import QuerySet

from pintu.identity.models import ApiToken, MinistryRole, User


def user_ministry_roles(*, user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(MinistryRole.objects.filter(user=user).values_list("role", flat=True))


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """A person's tokens on every regency, newest first (revoked and expired ones too, marked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")[:200]
