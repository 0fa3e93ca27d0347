from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "pintu.identity"
    label = "identity"
    verbose_name = "Identitas"
