"""OSS integration refusals: a stable code, an Indonesian message, the PIA's HTTP status."""
from __future__ import annotations

from pintu.errors import DomainError


class OssRefused(DomainError):
    """A call from OSS that Pintu will not act on; `errors` names each field and why."""

    code = "oss_refused"
    message = "Data Parameter Salah"
    status = 400

    def __init__(self, message: str | None = None, *, status: int = 400, errors: list[dict] | None = None,
                 code: str | None = None) -> None:
        super().__init__(message, code=code, errors=errors or [])
        self.status = status
        self.errors = errors or []


class MappingInvalid(DomainError):
    code = "oss_mapping_invalid"
    message = "Pemetaan kode izin OSS tidak valid."
