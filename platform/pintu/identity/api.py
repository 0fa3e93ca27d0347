"""API sign-in: trade an email and password for a token (apex and every regency subdomain)."""
from __future__ import annotations

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.db import connection
from django.utils.translation import gettext, gettext_lazy
from django_tenants.utils import get_public_schema_name
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from pintu.access.permissions import PUBLIC
from pintu.access.selectors import membership_roles
from pintu.api import ApiView
from pintu.api_docs import extend_schema
from pintu.errors import DomainError
from pintu.identity.models import ApiToken
from pintu.identity.services import api_token_issue


class TokenThrottle(SimpleRateThrottle):
    """Password guessing through the API is throttled per address (django-axes also locks the account)."""

    scope = "auth_token"
    rate = "10/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInRefused(DomainError):
    code = "sign_in_refused"
    message = gettext_lazy("Email atau kata sandi salah.")
    status = 400


class TokenInput(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    kind = serializers.ChoiceField(choices=ApiToken.Kind.choices, default=ApiToken.Kind.OFFICER, required=False,
                                   help_text="read: safe methods only; officer (default): acts with your live roles "
                                             "here; integration: for a system, needs a role here.")
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    kind = serializers.CharField()
    regency = serializers.CharField(help_text="The schema the token works on (public: the apex).")
    roles = serializers.ListField(child=serializers.CharField())


class TokenObtainAPI(ApiView):
    """POST email + password → {"token": "...", "expires_at": ...}; send it as `Authorization: Token <token>`.

    The token works on this host's regency only (or the apex when asked there), until `expires_at`,
    with at most the roles the person holds here now (checked live on every request)."""

    access = PUBLIC
    throttle_classes = [TokenThrottle]

    @extend_schema(request=TokenInput, responses=TokenOutput, auth=[])
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(request._request, username=data.validated_data["email"].lower(),
                                password=data.validated_data["password"])
        except AxesBackendPermissionDenied:
            raise SignInRefused(gettext("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."),
                                code="sign_in_locked_out") from None
        if user is None or not user.is_active:
            raise SignInRefused()
        schema = connection.schema_name
        roles = sorted(membership_roles(user=user)) if schema != get_public_schema_name() else []
        token, key = api_token_issue(user=user, schema_name=schema, kind=data.validated_data["kind"], roles=roles,
                                     name=data.validated_data["name"] or "API")
        return Response({"token": key, "expires_at": token.expires_at, "kind": token.kind, "regency": schema,
                         "roles": roles})
