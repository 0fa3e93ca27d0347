"""Refusals while signing or verifying permits."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from pintu.errors import DomainError


class SignerNotReady(DomainError):
    """The official's certificate cannot sign today: checked before a file is routed to them."""

    code = "signer_not_ready"
    message = gettext_lazy("Sertifikat elektronik penandatangan tidak dapat digunakan.")


class SigningFailed(DomainError):
    code = "signing_failed"
    message = "Penandatanganan elektronik gagal."


class SigningUnavailable(DomainError):
    code = "signing_unavailable"
    message = gettext_lazy("Layanan tanda tangan elektronik sedang tidak dapat dihubungi. Dokumen belum ditandatangani; silakan coba lagi.")
    status = 503
