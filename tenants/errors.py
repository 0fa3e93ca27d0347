"""Refusals of the regency services, with Indonesian messages and stable codes."""
from django.utils.translation import gettext_lazy

from pintu.errors import DomainError


class RegencyCodeUnknown(DomainError):
    code = "regency_code_unknown"
    message = gettext_lazy("Kode wilayah tidak dikenal.")


class SubdomainInvalid(DomainError):
    code = "subdomain_invalid"
    message = gettext_lazy("Subdomain tidak valid.")


class SubdomainTaken(DomainError):
    code = "subdomain_taken"
    message = gettext_lazy("Subdomain sudah dipakai daerah lain.")
