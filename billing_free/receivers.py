"""Meters what the application flow and the notifier announce, per regency, once per event (idempotency
keys), and answers the notifier's question whether a text message may still go out this month."""
from django.dispatch import receiver

from billing_free.models import Metric
from billing_free.services.metering import meter_add, sms_allowed
from permits.signals import application_submitted, document_stored
from pintu.notify.signals import message_sent, text_channel_allowed

# A notification channel and the meter its sends count on.
CHANNEL_METRICS = {"email": Metric.EMAILS, "sms": Metric.SMS, "whatsapp": Metric.WHATSAPP}


@receiver(application_submitted)
def _meter_application(*, application, regency, **_kwargs) -> None:
    meter_add(regency=regency, metric="applications",
              idempotency_key=f"application:{regency.schema_name}:{application.pk}:submit")


@receiver(document_stored)
def _meter_document(*, document, regency, **_kwargs) -> None:
    meter_add(regency=regency, metric="stored_bytes", amount=document.size, idempotency_key=f"document:{document.key}")


@receiver(message_sent)
def _meter_message(*, message, regency, **_kwargs) -> None:
    meter_add(regency=regency, metric=CHANNEL_METRICS[message.channel], on=message.sent_at,
              idempotency_key=f"message:{message.pk}")


@receiver(text_channel_allowed)
def _text_within_quota(*, channel, regency, **_kwargs) -> bool:
    return sms_allowed(regency, channel=CHANNEL_METRICS[channel])
