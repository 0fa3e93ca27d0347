from django.apps import AppConfig


class NotifyInboxConfig(AppConfig):
    """Notifications' rows in the public schema: a person's channel choice and their inbox across regencies."""

    name = "pintu.notify.inbox"
    label = "notify_inbox"
    verbose_name = "Kotak masuk dan pilihan saluran"
