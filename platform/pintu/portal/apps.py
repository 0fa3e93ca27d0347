from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pintu.portal"
    label = "portal"
    verbose_name = "Portal pemohon"
