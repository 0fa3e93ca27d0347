"""Refusals of the regency services, with Indonesian messages and stable codes."""
from pintu.errors import DomainError


class RegencyCodeUnknown(DomainError):
    code = "regency_code_unknown"
    message = "Kode wilayah tidak dikenal."


class SubdomainInvalid(DomainError):
    code = "subdomain_invalid"
    message = "Subdomain tidak valid."


class SubdomainTaken(DomainError):
    code = "subdomain_taken"
    message = "Subdomain sudah dipakai daerah lain."
