"""Meters the application flow's activity, per regency, once per event (idempotency keys)."""
from django.dispatch import receiver

from billing_free.services.metering import meter_add
from permits.signals import application_submitted, document_stored


@receiver(application_submitted)
def _meter_application(*, application, regency, **_kwargs) -> None:
    meter_add(regency=regency, metric="applications",
              idempotency_key=f"application:{regency.schema_name}:{application.pk}:submit")


@receiver(document_stored)
def _meter_document(*, document, regency, **_kwargs) -> None:
    meter_add(regency=regency, metric="stored_bytes", amount=document.size, idempotency_key=f"document:{document.key}")
