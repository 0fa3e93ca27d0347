"""Refusals of the ministry console, with stable codes and Indonesian messages.

Each carries `field` (in `detail`) when it belongs next to one form field.
"""
from django.utils.translation import gettext_lazy

from pintu.errors import DomainError, NotFound, PermissionDenied


class MinistryRoleRequired(PermissionDenied):
    code = "ministry_role_required"
    message = gettext_lazy("Halaman ini hanya untuk petugas kementerian.")


class MinistryAdministratorRequired(PermissionDenied):
    code = "ministry_administrator_required"
    message = gettext_lazy("Hanya administrator kementerian yang dapat melakukan tindakan ini.")


class ProvisioningRequestInvalid(DomainError):
    code = "provisioning_request_invalid"
    message = gettext_lazy("Permintaan penyiapan daerah tidak valid.")


class StatusReasonRequired(DomainError):
    code = "status_reason_required"
    message = gettext_lazy("Alasan wajib diisi.")


class AnnouncementInvalid(DomainError):
    code = "announcement_invalid"
    message = gettext_lazy("Pengumuman tidak valid.")


class JobNotFound(NotFound):
    code = "provisioning_job_not_found"
    message = gettext_lazy("Pekerjaan penyiapan tidak ditemukan.")
