from django.apps import AppConfig


class OssHubConfig(AppConfig):
    """The platform's side of OSS RBA (public schema): per-regency keys, every call received, send health."""

    name = "permits.oss.hub"
    label = "oss_hub"
    verbose_name = "OSS RBA (platform)"
    default_auto_field = "django.db.models.BigAutoField"
