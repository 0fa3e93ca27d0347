from django.apps import AppConfig


class OssConfig(AppConfig):
    """A regency's side of the OSS RBA integration (its schema): code mapping, OSS files, the send queue."""

    name = "permits.oss"
    label = "oss"
    verbose_name = "OSS RBA"
    default_auto_field = "django.db.models.BigAutoField"
