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


def _before_send(event, hint):
    from django.db import connection

    schema = getattr(connection, "schema_name", None)
    if schema:
        event.setdefault("tags", {})["regency"] = schema
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
    return event


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
