"""What every permits API view shares: field-level error codes and the administrator check."""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response

from permits.errors import ConfigInvalid
from pintu.access.models import Role
from pintu.access.permissions import RegencyRole
from pintu.api import exception_handler as platform_handler


def _flatten(details, prefix="") -> dict[str, list[dict]]:
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


def exception_handler(exc, context):
    """{"code", "message", "fields": {field: [{"code", "message"}]}} for bad input; else the platform's answer."""
    if isinstance(exc, serializers.ValidationError):
        fields = _flatten(exc.get_full_details())
        first = next(iter(fields.values()))[0]["message"] if fields else "Isian tidak valid."
        return Response({"code": "invalid", "message": first, "fields": fields}, status=400)
    if isinstance(exc, ConfigInvalid):
        detail = {k: v for k, v in exc.detail.items() if k != "fields"}
        return Response({"code": exc.code, "message": exc.message, "fields": exc.detail.get("fields", {}),
                         "detail": detail}, status=exc.status)
    return platform_handler(exc, context)


class StructuredErrors:
    def get_exception_handler(self):
        return exception_handler


class AdminOnly(StructuredErrors):
    """Regency administrators of *this* regency only."""

    permission_classes = [RegencyRole]
    required_roles = (Role.REGENCY_ADMIN,)
