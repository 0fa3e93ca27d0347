from django.apps import AppConfig


class BillingFreeConfig(AppConfig):
    name = "billing_free"
    verbose_name = "Layanan gratis dan pemakaian wajar"

    def ready(self) -> None:
        from billing_free import receivers  # noqa: F401  (meters what the permits domain announces)
