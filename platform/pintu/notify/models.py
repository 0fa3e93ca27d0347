"""A regency's notifications (each regency's schema): what it says, how it is sent, what is owed.

The outbox is transactional: a message row is written in the same transaction as the event it
tells about, and sent afterwards by a Celery task; a periodic sweeper re-queues anything unsent,
so a broker outage delays messages but loses none.
"""
from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Event(models.TextChoices):
    SUBMITTED = "submitted", _("Permohonan diterima")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    REVIEW_SCHEDULED = "review_scheduled", _("Kajian teknis / survei dijadwalkan")
    SURVEY_SCHEDULED = "survey_scheduled", _("Jadwal kunjungan survei lapangan (dan perubahannya)")
    DECIDED = "decided", _("Permohonan diputuskan (ditolak)")
    ISSUED = "issued", _("Izin terbit")
    REVOKED = "revoked", _("Izin dicabut")
    EXPIRING = "expiring", _("Masa berlaku izin akan berakhir")
    STEP_DUE = "step_due", _("Pengingat petugas: langkah jatuh tempo besok")
    LATE_DIGEST = "late_digest", _("Ringkasan harian kepala dinas: langkah terlambat")
    EXPIRING_DIGEST = "expiring_digest", _("Ringkasan harian kantor: izin yang akan berakhir")


class MessageTemplate(models.Model):
    """A regency's own wording for one event on one channel (absent: the shipped Indonesian default)."""

    event = models.CharField(_("peristiwa"), max_length=40, choices=Event.choices)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("judul"), max_length=255, blank=True)
    body = models.TextField(_("isi"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("templat pesan")
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="notify_template_unique")]


class Gateway(models.Model):
    """An SMS or WhatsApp provider reached over HTTP: URL, token and sender are configuration, not code."""

    channel = models.CharField(_("saluran"), max_length=10, choices=[c for c in Channel.choices if c[0] != "email"],
                               unique=True)
    url = models.URLField(_("alamat API penyedia"), max_length=500)
    token = models.CharField(_("token"), max_length=500, blank=True)
    sender = models.CharField(_("pengirim"), max_length=60, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    timeout_seconds = models.PositiveSmallIntegerField(_("batas waktu (detik)"), default=15)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gateway pesan")


class NotifySettings(models.Model):
    """One row per regency: how long before a permit's end its holder and the office are reminded."""

    expiry_lead_days = ArrayField(models.PositiveSmallIntegerField(), default=list,
                                  verbose_name=_("pengingat sebelum masa berlaku berakhir (hari)"))
    updated_at = models.DateTimeField(auto_now=True)


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal (batas percobaan habis)")
        UNCERTAIN = "uncertain", _("Terputus saat dikirim; periksa sebelum kirim ulang")

    key = models.CharField(max_length=200, unique=True, help_text="<subject>:<event>:<channel>; one message per key.")
    event = models.CharField(max_length=40, choices=Event.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # "sms", "whatsapp" or both (comma-separated): text channels this e-mail stands in for, held back
    # because the regency's monthly quota for them was used up.
    fallback_from = models.CharField(max_length=20, blank=True)

    class FallbackReason(models.TextChoices):
        QUOTA = "quota", _("kuota habis")
        GATEWAY_FAILED = "gateway_failed", _("gateway gagal")

    # why this e-mail stands in for `fallback_from` (blank on rows written before the reason was kept: quota)
    fallback_reason = models.CharField(max_length=20, choices=FallbackReason.choices, blank=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    recipient = models.CharField(max_length=254)
    recipient_name = models.CharField(max_length=150, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    application_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class Guard(models.Model):
    """A scheduled action that has happened (a reminder for a step, a day's digest): never twice."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
