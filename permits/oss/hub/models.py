"""The platform's OSS RBA rows (public schema), always filtered by regency.

`OssCredential`: the `user_key` OSS presents when it calls Pintu for a regency, kept only as an HMAC
(it is a random 32-byte token, so a keyed hash is enough and lets a call find its regency in one
indexed lookup; the comparison is still constant-time), and the key Pintu presents to OSS.
`OssInbound`: every call OSS made, accepted or refused, with the reason, for the administrator and the
ministry. `OssHealth`: a regency's send figures, updated by the sender, for the ministry console.
`OssHolderWaiting`: files waiting for their person in charge to record their NIK on an account.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Regency


class OssCredential(models.Model):
    regency = models.OneToOneField(Regency, on_delete=models.CASCADE, related_name="oss_credential")
    key_digest = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(max_length=8, help_text="The key's last characters, to recognise it.")
    rotated_at = models.DateTimeField()
    rotated_by_id = models.BigIntegerField(null=True, blank=True)
    outbound_user_key = models.CharField(_("user_key dari OSS"), max_length=200, blank=True)


class OssInbound(models.Model):
    received_at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=30)
    regency = models.ForeignKey(Regency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    http_status = models.PositiveSmallIntegerField()
    nib = models.CharField(max_length=13, blank=True)
    id_izin = models.JSONField(default=list, blank=True)
    keterangan = models.CharField(max_length=255, blank=True)
    errors = models.JSONField(default=list, blank=True)
    body_excerpt = models.TextField(blank=True)
    created_applications = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["regency", "-received_at"])]


class OssHealth(models.Model):
    regency = models.OneToOneField(Regency, on_delete=models.CASCADE, related_name="oss_health")
    files_received = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed_attempts = models.PositiveIntegerField(default=0)
    consecutive_failures = models.PositiveIntegerField(default=0)
    queue_depth = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)


class OssReference(models.Model):
    """A row of one of OSS's code tables (getDataReferensi, Lampiran 29's numbers), kept current daily."""

    table = models.CharField(max_length=3)
    code = models.CharField(max_length=25)
    description = models.TextField()
    note = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="oss_reference_unique")]
        ordering = ["table", "code"]


class OssHolderWaiting(models.Model):
    """An OSS file whose person in charge had no Pintu account with that NIK when it arrived: found by the
    NIK's keyed hash (the public schema keeps no NIK of a person who has no account) when they record it."""

    regency = models.ForeignKey(Regency, on_delete=models.CASCADE, related_name="+")
    application_id = models.BigIntegerField()
    id_izin = models.CharField(max_length=25)
    nik_digest = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regency", "application_id"], name="oss_holder_waiting_unique")]
