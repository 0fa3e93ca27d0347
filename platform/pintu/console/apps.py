from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "pintu.console"
    label = "console"
    verbose_name = "Konsol kementerian"
