from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "pintu.access"
    label = "access"
    verbose_name = "Hak akses regional"
