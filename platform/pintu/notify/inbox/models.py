"""Public-schema rows of notifications (one account per person, valid in every regency).

- `ChannelPreference`: which channels a person wants (email always; SMS/WhatsApp opt-in).
- `InboxMessage`: every message sent to a person, from any regency. Written in the same
  transaction as the regency's outbox row (the search path holds both schemas), and always
  read filtered by regency on a regency subdomain, so one regency never shows another's.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference")
    wants_sms = models.BooleanField(_("SMS"), default=False)
    wants_whatsapp = models.BooleanField(_("WhatsApp"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pilihan saluran notifikasi")


class InboxMessage(models.Model):
    # By string: pintu infrastructure imports no domain app.
    regency = models.ForeignKey("tenants.Regency", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages")
    key = models.CharField(max_length=200)
    event = models.CharField(max_length=40)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["regency", "key"], name="inbox_unique_key")]
        indexes = [models.Index(fields=["user", "regency", "-created_at"])]
