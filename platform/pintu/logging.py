"""Structured logs: one JSON object a line in production, each carrying the
regency (schema), the request id and the user id — never an e-mail address.

- ``RequestIdMiddleware`` takes ``X-Request-ID`` from the proxy (or makes one),
  keeps it for the request and returns it in the response header.
- ``ContextFilter`` adds ``regency``, ``request_id`` and ``user_id`` to every
  record; ``JsonFormatter`` writes them (settings use it when PINTU_ENV=production
  or LOG_FORMAT=json).
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import datetime, timezone

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("pintu_request_id", default=None)
_request: contextvars.ContextVar[object | None] = contextvars.ContextVar("pintu_request", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def current_request():
    """The request being handled in this context (None outside one)."""
    return _request.get()


def current_user_id() -> int | None:
    """The signed-in user's id, if the request already loaded the user (never queries)."""
    request = _request.get()
    user = getattr(request, "_cached_user", None) if request is not None else None
    return getattr(user, "pk", None) if user is not None and getattr(user, "is_authenticated", False) else None


def current_user():
    request = _request.get()
    user = getattr(request, "_cached_user", None) if request is not None else None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def current_schema() -> str | None:
    try:
        from django.db import connection

        return getattr(connection, "schema_name", None)
    except Exception:  # noqa: BLE001 - logging must never fail
        return None


class RequestIdMiddleware:
    """Keeps one id per request: from the proxy's X-Request-ID when sane, otherwise new."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        id_token = _request_id.set(request_id)
        request_token = _request.set(request)
        try:
            import sentry_sdk

            sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)
        except Exception:  # noqa: BLE001
            pass
        try:
            response = self.get_response(request)
        finally:
            _request.reset(request_token)
            _request_id.reset(id_token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class ContextFilter(logging.Filter):
    """Adds regency, request_id and user_id to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.regency = current_schema()
        record.request_id = current_request_id()
        record.user_id = current_user_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; NIKs and e-mail addresses blanked from the message."""

    def format(self, record: logging.LogRecord) -> str:
        from pintu.sentry import scrub

        payload = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "regency": getattr(record, "regency", None),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        if record.exc_info:
            payload["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False, default=str)


def logging_config(*, json_format: bool, level: str = "INFO") -> dict:
    """The LOGGING dict for settings."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "pintu.logging.ContextFilter"}},
        "formatters": {
            "json": {"()": "pintu.logging.JsonFormatter"},
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(regency)s %(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "json" if json_format else "plain",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}, "pgserver": {"level": "WARNING"}},
    }
