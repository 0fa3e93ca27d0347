"""API sign-in: trade an email and password for a token (apex and every regency subdomain)."""
from __future__ import annotations

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from pintu.errors import DomainError


class TokenThrottle(SimpleRateThrottle):
    """Password guessing through the API is throttled per address (django-axes also locks the account)."""

    scope = "auth_token"
    rate = "10/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInRefused(DomainError):
    code = "sign_in_refused"
    message = "Email atau kata sandi salah."
    status = 400


class TokenInput(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenObtainAPI(APIView):
    """POST email + password → {"token": "..."}; send it as `Authorization: Token <token>`."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TokenThrottle]

    @extend_schema(request=TokenInput, responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
                   auth=[])
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(request._request, username=data.validated_data["email"].lower(),
                                password=data.validated_data["password"])
        except AxesBackendPermissionDenied:
            raise SignInRefused("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit.",
                                code="sign_in_locked_out") from None
        if user is None or not user.is_active:
            raise SignInRefused()
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
