from django.utils.translation import gettext_lazy

from pintu.errors import DomainError


class TemplateInvalid(DomainError):
    code = "notify_template_invalid"
    message = gettext_lazy("Templat pesan tidak valid.")


class GatewayInvalid(DomainError):
    code = "notify_gateway_invalid"
    message = gettext_lazy("Konfigurasi gateway tidak valid.")


class SettingsInvalid(DomainError):
    code = "notify_settings_invalid"
    message = gettext_lazy("Pengaturan notifikasi tidak valid.")


class MessageNotRetryable(DomainError):
    code = "notify_message_not_retryable"
    message = gettext_lazy("Pesan ini sudah terkirim atau sedang dikirim.")


class SendFailed(Exception):
    """A provider refused or could not be reached (kept as the row's last error; retried with backoff)."""
