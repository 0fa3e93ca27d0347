from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pintu.web"
    label = "web"
    verbose_name = "Halaman web"
