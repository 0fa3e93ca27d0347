"""DRF authentication by API token: `Authorization: Token <key>` (docs/security-findings.md, item 5).

A token works only on the regency (schema) it was issued on, until it expires or is revoked, for an
active account. Its roles are intersected with the person's live, active memberships on every request:
a token issued to a front-office officer stops when that membership is deactivated, and never gains
a role granted later. A read-only token is refused on unsafe methods.
"""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext
from django_tenants.utils import get_public_schema_name
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from pintu.identity.models import ApiToken

_TOUCH_EVERY = dt.timedelta(minutes=5)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if token.kind == ApiToken.Kind.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(gettext("Token ini hanya untuk membaca data."))
        if connection.schema_name != get_public_schema_name():
            from pintu.access.selectors import membership_roles

            live = membership_roles(user=user)
            if token.roles:
                live &= set(token.roles)
                if not live:
                    raise exceptions.AuthenticationFailed(
                        "Token tidak berlaku lagi: peran Anda di daerah ini sudah tidak aktif.")
            elif token.kind == ApiToken.Kind.INTEGRATION:
                raise exceptions.AuthenticationFailed("Token integrasi tanpa peran tidak berlaku.")
            else:
                live = set()  # a token issued without roles (an applicant's) never gains one later
            request._request._pintu_roles = live  # what pintu.access.permissions.has_role reads
        return user, token

    def authenticate_credentials(self, key):
        from pintu.identity.services import api_token_digest

        token = ApiToken.objects.select_related("user").filter(key_digest=api_token_digest(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("Token tidak dikenal atau sudah dicabut.")
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("Token sudah kedaluwarsa. Minta token baru di /api/v1/auth/token/.")
        if token.schema_name != connection.schema_name:
            raise exceptions.AuthenticationFailed("Token ini dibuat untuk daerah lain.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Akun ini tidak aktif.")
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
