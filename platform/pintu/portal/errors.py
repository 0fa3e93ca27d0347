from pintu.errors import DomainError


class NikInvalid(DomainError):
    code = "nik_invalid"
    message = "NIK tidak valid."


class NikTaken(DomainError):
    code = "nik_taken"
    message = "NIK ini sudah terdaftar pada akun lain."


class NibInvalid(DomainError):
    code = "nib_invalid"
    message = "NIB harus 13 angka."
