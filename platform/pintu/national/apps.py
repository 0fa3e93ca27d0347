from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "pintu.national"
    label = "national"
    verbose_name = "Data nasional"
