from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Daerah (kabupaten/kota)"

    def ready(self) -> None:
        from tenants import signals  # noqa: F401  (routing cache invalidation)
