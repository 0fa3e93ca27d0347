from pintu.errors import DomainError


class TargetInvalid(DomainError):
    code = "target_invalid"
    message = "Target harian harus bilangan bulat 0 sampai 10.000."
