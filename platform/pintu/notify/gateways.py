"""How a message leaves the platform: email through Django's backend, SMS/WhatsApp through an HTTP gateway.

The gateway protocol is one JSON POST (to, message, sender, channel, reference) with a bearer token;
`reference` is the outbox key, also sent as `Idempotency-Key` for providers that deduplicate.
"""
from __future__ import annotations

import json

from django.core.mail import EmailMessage

from pintu.notify.errors import SendFailed
from pintu.notify.models import Channel, Gateway, OutboxMessage


def email_send(message: OutboxMessage) -> str:
    email = EmailMessage(subject=message.subject, body=message.body, to=[message.recipient],
                         headers={"X-Pintu-Message": message.key})
    try:
        email.send(fail_silently=False)
    except OSError as exc:  # SMTP errors are OSErrors (smtplib.SMTPException subclasses it)
        raise SendFailed(f"SMTP: {exc}") from exc
    return ""


def http_send(message: OutboxMessage, gateway: Gateway) -> str:
    import urllib.error  # here: urllib.request (ssl, http.client, email) is not needed at start-up
    import urllib.request

    payload = json.dumps({"to": message.recipient, "message": message.body, "sender": gateway.sender,
                          "channel": message.channel, "reference": message.key}).encode()
    request = urllib.request.Request(gateway.url, data=payload, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {gateway.token}",
        "Idempotency-Key": message.key})
    try:
        with urllib.request.urlopen(request, timeout=gateway.timeout_seconds) as response:
            body = response.read(4096)
    except urllib.error.HTTPError as exc:
        raise SendFailed(f"Gateway {gateway.get_channel_display()} menjawab HTTP {exc.code}: "
                         f"{exc.read(300).decode(errors='replace')}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise SendFailed(f"Gateway {gateway.get_channel_display()} tidak dapat dihubungi: {exc}") from exc
    try:
        return str(json.loads(body or b"{}").get("id", ""))[:200]
    except (ValueError, AttributeError):
        return ""


def deliver(message: OutboxMessage) -> str:
    """Send one message on its channel; returns the provider's reference; raises SendFailed."""
    if message.channel == Channel.EMAIL:
        return email_send(message)
    gateway = Gateway.objects.filter(channel=message.channel, is_active=True).first()
    if gateway is None:
        raise SendFailed(f"Tidak ada gateway {message.get_channel_display()} yang aktif di daerah ini.")
    return http_send(message, gateway)
