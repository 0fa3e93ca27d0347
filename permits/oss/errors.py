"""OSS integration refusals: a stable code, an Indonesian message, the PIA's HTTP status."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from pintu.errors import DomainError


class OssRefused(DomainError):
    """A call from OSS that Pintu will not act on; `errors` names each field and why."""

    code = "oss_refused"
    message = gettext_lazy("Data Parameter Salah")
    status = 400

    def __init__(self, message: str | None = None, *, status: int = 400, errors: list[dict] | None = None,
                 code: str | None = None) -> None:
        super().__init__(message, code=code, errors=errors or [])
        self.status = status
        self.errors = errors or []


class MappingInvalid(DomainError):
    code = "oss_mapping_invalid"
    message = gettext_lazy("Pemetaan kode izin OSS tidak valid.")


# --- asking OSS (permits.oss.lookups): inqueryNIB from the forms and the counter -----------------


class OssLookupFailed(DomainError):
    code = "oss_lookup_failed"
    message = gettext_lazy("Data NIB tidak dapat diambil dari OSS saat ini. Silakan isi manual atau coba lagi nanti.")
    status = 502


class NibNotYours(DomainError):
    code = "oss_nib_not_yours"
    message = (gettext_lazy("Data usaha NIB ini hanya dapat diambil oleh penanggung jawab usaha yang tercatat di OSS. "
                            "Pastikan NIK pada profil akun Anda sama dengan NIK penanggung jawab, atau isi formulir secara manual."))
    status = 403


class NibLookupsExhausted(DomainError):
    code = "oss_nib_lookups_exhausted"
    message = gettext_lazy("Terlalu banyak pencarian NIB dari akun ini. Coba lagi dalam satu jam, atau isi formulir secara manual.")
    status = 429


class NibNotUsed(DomainError):
    code = "oss_nib_not_used"
    message = gettext_lazy("Jenis izin ini tidak memakai data usaha dari OSS; kosongkan NIB.")
    status = 400


class NibNotFound(DomainError):
    code = "oss_nib_not_found"
    message = gettext_lazy("NIB tidak ditemukan di OSS. Periksa kembali 13 angka NIB.")
    status = 404
