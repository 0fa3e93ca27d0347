"""The OpenAPI document of each host: error shapes and the permission of every operation, written once.

The apex and a regency subdomain serve different URLconfs, so each host generates its document
from its own (`urlconf=`): the apex document lists only what answers on the apex. Every operation
says who may call it (``x-permission`` and a line in its description), derived from the view's own
permission classes and roles, so the document cannot drift from the check that runs.
"""
from __future__ import annotations

from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema

from pintu.api_docs import annotations_apply

ERROR_COMPONENT = "Error"
VALIDATION_COMPONENT = "ValidationError"

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every refusal: a stable machine code and an Indonesian message for people.",
    "properties": {
        "code": {"type": "string", "example": "permission_denied"},
        "message": {"type": "string", "example": "Anda tidak memiliki peran di daerah ini."},
        "detail": {"description": "Extra facts for some domain errors (e.g. the field concerned)."},
    },
    "required": ["code", "message"],
}
VALIDATION_SCHEMA = {
    "type": "object",
    "description": (
        "Bad input. Structured views answer {code, message, fields: {field: [{code, message}]}}; "
        "plain DRF views answer {field: [message]}."
    ),
    "properties": {
        "code": {"type": "string", "example": "invalid"},
        "message": {"type": "string", "example": "Kolom ini wajib diisi."},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object"}}},
    },
    "additionalProperties": True,
}

ERROR_DESCRIPTIONS = {
    "400": "Bad input (see ValidationError).",
    "401": "Not signed in (no or a bad token).",
    "403": "Signed in, but without the permission this operation needs.",
    "404": "No such object here (objects of another regency or person are never found).",
    "429": "Too many requests for this token; retry after the `Retry-After` header's seconds.",
}


def permission_text(view) -> str:
    """Who may call `view`, in the words of its permission classes and `required_roles`."""
    parts = []
    for cls in getattr(view, "permission_classes", []):
        text = getattr(cls, "schema_text", None)
        if text is None:
            name = cls.__name__
            text = {
                "AllowAny": "anyone, no sign-in",
                "IsAuthenticated": "any signed-in account",
                "RegencyRole": "a membership in this regency",
            }.get(name, name)
        parts.append(text)
    for attribute, label in (("read_roles", "to read"), ("write_roles", "to write")):
        if getattr(view, attribute, None):
            parts.append(f"{label}: " + " or ".join(str(r) for r in getattr(view, attribute)))
    roles = getattr(view, "required_roles", ())
    if roles and any(getattr(c, "__name__", "") == "RegencyRole" for c in view.permission_classes):
        parts.append("with role " + " or ".join(str(r) for r in roles))
    return ", ".join(parts) or "any signed-in account"


class PintuAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the permission and the error answers of each operation."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        permission = permission_text(self.view)
        operation["x-permission"] = permission
        description = operation.get("description", "")
        operation["description"] = (description + "\n\n" if description else "") + f"**Permission:** {permission}."
        responses = operation.setdefault("responses", {})
        public = all(getattr(c, "__name__", "") == "AllowAny" for c in getattr(self.view, "permission_classes", []))
        codes = ["400", "404", "429"] if public else ["400", "401", "403", "404", "429"]
        for code in codes:
            if code in responses:
                continue
            component = VALIDATION_COMPONENT if code == "400" else ERROR_COMPONENT
            responses[code] = {
                "description": ERROR_DESCRIPTIONS[code],
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
            }
        return operation


def add_error_components(result, generator, request, public):
    """Postprocessing hook: the two error shapes every operation refers to, and the token scheme's help."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    schemas.setdefault(VALIDATION_COMPONENT, VALIDATION_SCHEMA)
    schemes = result["components"].get("securitySchemes", {})
    if "tokenAuth" in schemes:
        schemes["tokenAuth"]["description"] = (
            "`Authorization: Token <key>`; get a key from POST /api/v1/auth/token/ (email + password).")
    return result


# Whatever generates a document (the schema view, `manage.py spectacular`) imports this module first:
# the views' `pintu.api_docs.extend_schema` annotations are in place before it reads them.
annotations_apply()


# Each generated document, once per process: the code alone shapes it (the URLconf, the version, the
# language of its texts), never the caller or the rows, and generating one takes 0.5-1.5 CPU seconds,
# which an anonymous visitor of /api/schema/ would otherwise make the server spend on every request.
_documents: dict[tuple, Any] = {}


def _language() -> str:
    """The language the document's texts come out in: one of LANGUAGES, whatever `?lang=` asked for (an
    unknown one falls back to the default), so that no visitor can grow `_documents` by inventing languages."""
    from django.conf import settings
    from django.utils import translation

    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


class PintuSchemaGenerator(SchemaGenerator):
    """drf-spectacular's generator, with every view of the URLconf imported and its annotations applied
    first (`pintu.api_docs` defers them): the document view and `check --deploy`'s schema check alike."""

    def get_schema(self, request: Any = None, public: bool = False) -> Any:
        from django.urls import get_resolver

        key = (self.urlconf, self.api_version, _language(), public)
        if key not in _documents:
            get_resolver(self.urlconf).url_patterns  # noqa: B018 (imports every API view: their annotations)
            annotations_apply()
            _documents[key] = super().get_schema(request=request, public=public)
        return _documents[key]
