"""Domain errors: a stable code for the API, an Indonesian message for people."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.forms import BaseForm

from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """Base of every rule a service refuses. The API answers 400 with `code`."""

    code = "domain_error"
    message = gettext_lazy("Permintaan tidak dapat diproses.")
    status = 400
    #: The API answers detail["fields"] at the top level, beside code and message (configuration input).
    fields_at_top = False

    def __init__(self, message: str | None = None, *, code: str | None = None, **detail: Any) -> None:
        # gettext_lazy on the class: the message is read in the language of this request, once.
        self.message = str(message or self.message)
        self.code = code or self.code
        self.detail = detail
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not_found"
    message = gettext_lazy("Data tidak ditemukan.")
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    message = gettext_lazy("Anda tidak memiliki akses untuk tindakan ini.")
    status = 403


_STEP_PATH = re.compile(r"^steps\[\d+\]\.")


def refusal_fields(exc: Exception) -> dict[str, list[str]]:
    """The messages a refusal names per field: a DomainError's detail["fields"] ({field: [{code,
    message}]} or {field: message}) or detail["field"]; a Django ValidationError's message_dict."""
    if isinstance(exc, DomainError):
        named = exc.detail.get("fields") or {}
        if not named and exc.detail.get("field"):
            named = {exc.detail["field"]: exc.message}
    else:
        named = getattr(exc, "message_dict", None) or {}
    fields: dict[str, list[str]] = {}
    for name, errors in named.items():
        for error in errors if isinstance(errors, list) else [errors]:
            fields.setdefault(str(name), []).append(str(error["message"] if isinstance(error, dict) else error))
    return fields


def errors_onto(form: BaseForm, exc: Exception, *, rename: dict[str, str] | None = None, general: bool = True,
                general_field: str | None = None) -> None:
    """Put a service's refusal next to the fields it names (others above the form).

    A refusal naming no field puts its message above the form (or on `general_field`), unless
    `general` is False because the page already shows it as a message of its own."""
    fields = refusal_fields(exc)
    if not fields:
        if general:
            form.add_error(general_field if general_field in form.fields else None,
                           getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [str(exc)])))
        return
    for name, messages in fields.items():
        target = _STEP_PATH.sub("", name)
        target = (rename or {}).get(target, target)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
