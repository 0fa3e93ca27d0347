"""Sentry: errors tagged with the regency, no personal data sent."""
from __future__ import annotations

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

_NIK = re.compile(r"\b\d{16}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def scrub(text: str) -> str:
    """Blank NIKs and e-mail addresses out of a message."""
    return _EMAIL.sub("[email]", _NIK.sub("[nik]", text))


# Keys whose values are personal data wherever they appear (frame variables,
# extra, breadcrumbs, request bodies).
PII_KEYS = {
    "nik", "email", "full_name", "name", "nama", "phone", "phone_number", "address", "alamat",
    "applicant_name", "password", "username", "first_name", "last_name",
}
FILTERED = "[Filtered]"


_DATA_KEYS = {"vars", "extra", "data", "request", "breadcrumbs", "contexts", "user"}


def _scrub_tree(value, names: tuple[str, ...], by_key: bool = False):
    """Walk the event: blank NIKs, e-mails and known names in every string; inside
    data (frame variables, extra, breadcrumbs, request) blank PII keys outright."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if by_key and isinstance(key, str) and key.lower() in PII_KEYS and item not in (None, ""):
                out[key] = FILTERED
            else:
                out[key] = _scrub_tree(item, names, by_key or key in _DATA_KEYS)
        return out
    if isinstance(value, (list, tuple)):
        return [_scrub_tree(item, names, by_key) for item in value]
    if isinstance(value, str):
        text = scrub(value)
        for name in names:
            text = text.replace(name, "[name]")
        return text
    return value


def _known_names() -> tuple[str, ...]:
    """The signed-in person's name, so it is blanked even inside a free-text message."""
    from pintu.logging import current_user

    user = current_user()
    full_name = (getattr(user, "full_name", "") or "").strip() if user is not None else ""
    return (full_name,) if len(full_name) >= 3 else ()


def _before_send(event, hint):
    from django.db import connection

    from pintu.logging import current_request_id

    schema = getattr(connection, "schema_name", None)
    if schema:
        event.setdefault("tags", {})["regency"] = schema
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    event.pop("user", None)
    request = event.get("request") or {}
    for key in ("cookies", "data", "headers"):
        request.pop(key, None)
    for entry in (event.get("logentry") or {},):
        if "message" in entry and isinstance(entry["message"], str):
            entry["message"] = scrub(entry["message"])
    for exc in (event.get("exception") or {}).get("values", []):
        if isinstance(exc.get("value"), str):
            exc["value"] = scrub(exc["value"])
    return _scrub_tree(event, _known_names())


def sentry_init(*, dsn: str, environment: str, transport=None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=__import__("os").environ.get("PINTU_RELEASE", "dev"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        before_send=_before_send,
        transport=transport,
    )
