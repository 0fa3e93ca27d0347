"""Refusals about national data, with stable codes and Indonesian messages."""
from django.utils.translation import gettext_lazy

from pintu.errors import DomainError, PermissionDenied


class MinistryAdminRequired(PermissionDenied):
    code = "ministry_admin_required"
    message = gettext_lazy("Hanya administrator kementerian yang dapat mengubah data nasional.")


class HolidayInvalid(DomainError):
    code = "holiday_invalid"
    message = gettext_lazy("Data hari libur tidak valid.")


class TemplateInvalid(DomainError):
    code = "template_invalid"
    message = gettext_lazy("Templat katalog tidak valid.")
