from django.apps import AppConfig


def _nik_recorded(sender, user, **kwargs) -> None:
    from permits.oss.services import oss_files_link_holder

    oss_files_link_holder(user=user)


class OssConfig(AppConfig):
    """A regency's side of the OSS RBA integration (its schema): code mapping, OSS files, the send queue."""

    name = "permits.oss"
    label = "oss"
    verbose_name = "OSS RBA"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from pintu.identity.signals import nik_recorded

        nik_recorded.connect(_nik_recorded, dispatch_uid="permits.oss.link_holder")
