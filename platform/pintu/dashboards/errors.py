from django.utils.translation import gettext_lazy

from pintu.errors import DomainError


class TargetInvalid(DomainError):
    code = "target_invalid"
    message = gettext_lazy("Target harian harus bilangan bulat 0 sampai 10.000.")
