"""Domain errors: a stable code for the API, an Indonesian message for people."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every rule a service refuses. The API answers 400 with `code`."""

    code = "domain_error"
    message = "Permintaan tidak dapat diproses."
    status = 400
    #: The API answers detail["fields"] at the top level, beside code and message (configuration input).
    fields_at_top = False

    def __init__(self, message: str | None = None, *, code: str | None = None, **detail: Any) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.detail = detail
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not_found"
    message = "Data tidak ditemukan."
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    message = "Anda tidak memiliki akses untuk tindakan ini."
    status = 403
