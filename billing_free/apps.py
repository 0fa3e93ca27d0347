from django.apps import AppConfig


class BillingFreeConfig(AppConfig):
    name = "billing_free"
    verbose_name = "Layanan gratis dan pemakaian wajar"
