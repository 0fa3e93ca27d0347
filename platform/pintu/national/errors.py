"""Refusals about national data, with stable codes and Indonesian messages."""
from pintu.errors import DomainError, PermissionDenied


class MinistryAdminRequired(PermissionDenied):
    code = "ministry_admin_required"
    message = "Hanya administrator kementerian yang dapat mengubah data nasional."


class HolidayInvalid(DomainError):
    code = "holiday_invalid"
    message = "Data hari libur tidak valid."


class TemplateInvalid(DomainError):
    code = "template_invalid"
    message = "Templat katalog tidak valid."
