"""Reads about people."""
from __future__ import annotations

from django.db.models import QuerySet

from pintu.identity.models import ApiToken, User


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """A person's tokens on every regency, newest first (revoked and expired ones too, marked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")[:200]
