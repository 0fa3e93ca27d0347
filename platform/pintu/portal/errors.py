from django.utils.translation import gettext_lazy

from pintu.errors import DomainError


class NikInvalid(DomainError):
    code = "nik_invalid"
    message = gettext_lazy("NIK tidak valid.")


class NikTaken(DomainError):
    code = "nik_taken"
    message = gettext_lazy("NIK ini sudah terdaftar pada akun lain.")


class NibInvalid(DomainError):
    code = "nib_invalid"
    message = gettext_lazy("NIB harus 13 angka.")
