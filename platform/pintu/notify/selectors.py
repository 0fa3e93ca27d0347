"""Reads of notifications."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Q, QuerySet

from pintu.notify.models import Channel, Event, Gateway, MessageTemplate, OutboxMessage

if TYPE_CHECKING:
    from django_tenants.models import TenantMixin

    from pintu.identity.models import User
    from pintu.notify.inbox.models import InboxMessage


def template_table() -> list[dict]:
    """Every event × channel with whether the regency uses its own wording (one query)."""
    custom = set(MessageTemplate.objects.values_list("event", "channel"))
    return [{"event": event, "channels": [(channel, (event.value, channel.value) in custom) for channel in Channel]}
            for event in Event]


def outbox_problems() -> QuerySet[OutboxMessage]:
    """What an administrator should look at: failed, uncertain, and pending after a failed attempt."""
    return OutboxMessage.objects.filter(
        Q(status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.UNCERTAIN])
        | Q(status=OutboxMessage.Status.PENDING, attempts__gt=0)).order_by("-created_at", "-pk")


def outbox_recent() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.order_by("-created_at", "-pk")


def inbox_of(*, user: User, regency: TenantMixin) -> QuerySet[InboxMessage]:
    """A person's messages from this regency only."""
    Inbox = apps.get_model("notify_inbox", "InboxMessage")
    return Inbox.objects.filter(user_id=user.pk, regency_id=regency.pk).order_by("-created_at", "-pk")


def text_channels_held() -> list[Channel]:
    """The text channels this regency cannot use right now (their monthly quota is used up): their
    messages go by e-mail until the month ends or the ministry raises the quota."""
    from pintu.notify.services import text_channel_held

    return [channel for channel in (Channel.SMS, Channel.WHATSAPP) if text_channel_held(channel)]


def walk_in_unreachable(*, email: str, phone: str) -> bool:
    """Whether a person without an account, reachable only by `phone`, will get no message at all:
    no e-mail address and no active SMS gateway in this regency (the counter must tell them)."""
    if (email or "").strip() or not (phone or "").strip():
        return False
    return not Gateway.objects.filter(channel=Channel.SMS, is_active=True).exists()


def text_failures_of(*, application_id: int) -> list[OutboxMessage]:
    """SMS/WhatsApp messages about one application that failed for good, or are being retried after a
    failed attempt: what the counter should know when the applicant may not have been told."""
    return list(OutboxMessage.objects.filter(application_id=application_id)
                .exclude(channel=Channel.EMAIL)
                .filter(Q(status=OutboxMessage.Status.FAILED) | Q(status=OutboxMessage.Status.PENDING, attempts__gt=0))
                .order_by("created_at", "pk"))
