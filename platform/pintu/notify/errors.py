from pintu.errors import DomainError


class TemplateInvalid(DomainError):
    code = "notify_template_invalid"
    message = "Templat pesan tidak valid."


class GatewayInvalid(DomainError):
    code = "notify_gateway_invalid"
    message = "Konfigurasi gateway tidak valid."


class SettingsInvalid(DomainError):
    code = "notify_settings_invalid"
    message = "Pengaturan notifikasi tidak valid."


class MessageNotRetryable(DomainError):
    code = "notify_message_not_retryable"
    message = "Pesan ini sudah terkirim atau sedang dikirim."


class SendFailed(Exception):
    """A provider refused or could not be reached (kept as the row's last error; retried with backoff)."""
