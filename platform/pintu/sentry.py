"""Sentry: errors tagged with the regency, no personal data sent.

A regency page handles walk-ins' and applicants' files: their names, NIKs, phone numbers,
addresses and scanned documents sit in frame variables, form data and exception text. So an
event from a regency page carries no local variables and no request data at all; in every
event, NIKs (however written: 16 digits, with spaces, dots or dashes), phone numbers and
e-mail addresses are blanked, and so is every personal value the request saw: what the person
typed, the names of uploaded files, and what a domain app declared personal while handling
it (`personal_data_seen`, e.g. the applicant of each application loaded).
"""
from __future__ import annotations

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

# 16 digits, each pair optionally apart by one space, dot or dash: 3503014501900002,
# 3503 0145 0190 0002, 35.03.01.450190.0002
_NIK = re.compile(r"(?<![\d])\d(?:[ .\-]?\d){15}(?![\d])")
_PHONE = re.compile(r"(?<![\w+])(?:\+?62|0)[ .\-]?8(?:[ .\-]?\d){7,11}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_MIN_SEEN = 4  # shorter typed values ("1", "ya") are not worth blanking everywhere


def scrub(text: str) -> str:
    """Blank NIKs, phone numbers and e-mail addresses out of a message."""
    return _EMAIL.sub("[email]", _PHONE.sub("[telepon]", _NIK.sub("[nik]", text)))


def personal_data_seen(*values) -> None:
    """Declare values met while handling the current request as personal: Sentry blanks them."""
    from pintu.logging import current_request

    request = current_request()
    if request is None:
        return
    seen = request.__dict__.setdefault("_pintu_personal", set())
    for value in values:
        if isinstance(value, str) and len(value.strip()) >= _MIN_SEEN:
            seen.add(value.strip())


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
    """Personal values of this request, longest first, so they are blanked even inside free text:
    the signed-in person's name, everything typed into the form, uploaded file names, and what
    domain code declared (`personal_data_seen`)."""
    from pintu.logging import current_request, current_user

    user = current_user()
    full_name = (getattr(user, "full_name", "") or "").strip() if user is not None else ""
    names = {full_name} if len(full_name) >= 3 else set()
    request = current_request()
    if request is not None:
        names |= set(request.__dict__.get("_pintu_personal", ()))
        try:
            post = request.POST if request.method == "POST" else {}
            files = request.FILES if request.method == "POST" else {}
        except Exception:  # noqa: BLE001 - an unreadable body has nothing to add
            post, files = {}, {}
        for key in post:
            if key != "csrfmiddlewaretoken":
                names |= {v.strip() for v in post.getlist(key) if len(v.strip()) >= _MIN_SEEN}
        for key in files:
            for upload in files.getlist(key):
                name = (getattr(upload, "name", "") or "").strip()
                if len(name) >= _MIN_SEEN:
                    names |= {name, name.rsplit(".", 1)[0]}
    return tuple(sorted(names, key=len, reverse=True))


def _is_regency_page(schema: str | None) -> bool:
    return bool(schema) and schema != "public"


def _frames_strip(event) -> None:
    """No frame variables: a regency page's frames hold applicants' data and file contents."""
    values = list((event.get("exception") or {}).get("values", []))
    values += list((event.get("threads") or {}).get("values", []))
    for item in values:
        for frame in (item.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)


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
    if _is_regency_page(schema):
        # no request data of any kind and no local variables from a regency page
        for key in ("query_string", "env"):
            request.pop(key, None)
        event.pop("extra", None)
        _frames_strip(event)
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
        max_request_body_size="never",
        before_send=_before_send,
        transport=transport,
    )
