"""Refusals about officers, their roles and invitations (stable codes, Indonesian messages)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from pintu.errors import DomainError


class OfficerInvalid(DomainError):
    """Input refused field by field: `detail["fields"]` maps a field to [{code, message}]."""

    code = "officer_invalid"
    message = gettext_lazy("Data petugas belum benar. Periksa isian yang ditandai.")

    @classmethod
    def one(cls, field: str, code: str, message: str) -> "OfficerInvalid":
        return cls(message, fields={field: [{"code": code, "message": message}]})


class InvitationNotFound(DomainError):
    code = "invitation_not_found"
    message = gettext_lazy("Tautan undangan tidak dikenal. Mintalah administrator instansi mengirim undangan baru.")
    status = 404


class InvitationExpired(DomainError):
    code = "invitation_expired"
    message = gettext_lazy("Tautan undangan sudah kedaluwarsa. Mintalah administrator instansi mengirim ulang undangan.")
    status = 410


class InvitationUsed(DomainError):
    code = "invitation_used"
    message = gettext_lazy("Tautan undangan ini sudah dipakai. Silakan masuk dengan akun Anda.")
    status = 410


class InvitationCancelled(DomainError):
    code = "invitation_cancelled"
    message = gettext_lazy("Undangan ini sudah dibatalkan oleh administrator instansi.")
    status = 410


class InvitationWrongAccount(DomainError):
    code = "invitation_wrong_account"
    message = gettext_lazy("Undangan ini ditujukan ke alamat email lain. Keluar lalu buka tautan ini dengan akun yang diundang.")
    status = 403
