from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """A regency's notifications: message templates, SMS/WhatsApp gateways, the outbox, guard rows."""

    name = "pintu.notify"
    label = "notify"
    verbose_name = "Notifikasi"
