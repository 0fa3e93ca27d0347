"""API plumbing shared by every app: one base view, and domain errors as structured 4xx answers.

Every API view derives from `ApiView` (PostHog's routing mixin does the same for its team views):
it declares who may call it as an `Access` (`pintu.access.permissions`), and the base turns that
into DRF's permission and authentication classes and installs the error handler. A subclass that
sets `permission_classes`, `authentication_classes` or its own error handling is refused when the
class is created, so a new endpoint can neither forget its checks nor answer errors in another shape.
`tests/api/test_api_base.py` walks every URL pattern and checks each API view derives from it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from pintu.access.permissions import Access
from pintu.api_docs import LazyDefaultSchema
from pintu.errors import DomainError

#: What a subclass may not set: the base derives them from `access`, or owns them.
GUARDED = ("permission_classes", "authentication_classes", "get_permissions", "get_authenticators",
           "get_exception_handler", "handle_exception", "permission_denied", "check_permissions")


def _flatten(details: object, prefix: str = "") -> dict[str, list[dict]]:
    fields: dict[str, list[dict]] = {}
    if isinstance(details, dict):
        for name, value in details.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            if isinstance(value, dict) and set(value) == {"message", "code"}:
                fields.setdefault(key, []).append({"code": str(value["code"]), "message": str(value["message"])})
            else:
                for sub, errors in _flatten(value, key).items():
                    fields.setdefault(sub, []).extend(errors)
    elif isinstance(details, list):
        for i, value in enumerate(details):
            if isinstance(value, dict) and set(value) == {"message", "code"}:
                fields.setdefault(prefix or "non_field_errors", []).append(
                    {"code": str(value["code"]), "message": str(value["message"])})
            else:
                for sub, errors in _flatten(value, f"{prefix}[{i}]").items():
                    fields.setdefault(sub, []).extend(errors)
    return fields


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """{"code", "message"} for every refusal; bad input adds "fields": {field: [{"code", "message"}]}."""
    if isinstance(exc, serializers.ValidationError):
        fields = _flatten(exc.get_full_details())
        first = next(iter(fields.values()))[0]["message"] if fields else "Isian tidak valid."
        return Response({"code": "invalid", "message": first, "fields": fields}, status=400)
    if isinstance(exc, DomainError):
        if exc.fields_at_top:
            detail = {k: v for k, v in exc.detail.items() if k != "fields"}
            return Response({"code": exc.code, "message": exc.message, "fields": exc.detail.get("fields", {}),
                             "detail": detail}, status=exc.status)
        return Response({"code": exc.code, "message": exc.message, "detail": exc.detail}, status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data and len(response.data) == 1:
        detail = response.data["detail"]
        response.data = {"code": getattr(detail, "code", "error"), "message": str(detail)}
    return response


class ApiView(APIView):
    """Base of every Pintu API view (mix it in first: `class X(ApiView, ListAPIView)`).

    Declare `access` (one of `pintu.access.permissions`' PUBLIC, ANYONE, SIGNED_IN,
    SIGNED_IN_ON_APEX, REGENCY_ROLE with `required_roles`, MINISTRY_ROLE with
    `read_roles`/`write_roles`); nothing else about permissions, authentication or errors.
    """

    access: ClassVar[Access | None] = None
    # DRF's default, without importing the schema machinery when the URLconf is loaded (pintu.api_docs).
    schema = LazyDefaultSchema()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in GUARDED:
            if name in cls.__dict__:
                raise ImproperlyConfigured(
                    f"{cls.__module__}.{cls.__qualname__} sets {name}: an API view declares `access` "
                    "(pintu.access.permissions) and ApiView sets permissions, authentication and errors.")
        access = cls.access
        if access is None:
            return  # an abstract base; as_view() refuses to serve it
        if not isinstance(access, Access):
            raise ImproperlyConfigured(f"{cls.__qualname__}.access must be a pintu.access.permissions.Access")
        # Set on each class (the check above looks at the class's own attributes only).
        cls.permission_classes = list(access.permissions)
        cls.authentication_classes = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES) if access.authenticate else []

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        if cls.access is None:
            raise ImproperlyConfigured(f"{cls.__module__}.{cls.__qualname__} declares no `access`.")
        return super().as_view(*args, **kwargs)

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return exception_handler

    def handle_exception(self, exc: Exception) -> Response:
        """Refusals are JSON ({code, message}) whatever format was asked for (CSV and XLSX exports)."""
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format not in ("json", "api"):
            self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)
