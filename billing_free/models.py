"""Zero-fee guarantee, usage meters and the confidential illegal-fee channel (see issue #7).

Everything here lives in the public schema. Rows describe a regency's activity or
concern a regency, so every query names the regency explicitly; pungli reports are
never reachable from any regency page except the submit form and the status-by-code page.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    APPLICATIONS = "applications", _("Permohonan")
    STORED_BYTES = "stored_bytes", _("Penyimpanan berkas")
    OFFICERS = "officers", _("Petugas aktif")
    API_CALLS = "api_calls", _("Panggilan API")
    EMAILS = "emails", _("Email terkirim")
    SMS = "sms", _("SMS terkirim")
    WHATSAPP = "whatsapp", _("Pesan WhatsApp terkirim")


# Counted afresh each month; the others carry their level over from the previous month.
MONTHLY_COUNTERS = frozenset({Metric.APPLICATIONS, Metric.API_CALLS, Metric.EMAILS, Metric.SMS, Metric.WHATSAPP})
LEVEL_METRICS = frozenset({Metric.STORED_BYTES, Metric.OFFICERS})


class UsageMeter(models.Model):
    """How much of one metric a regency used in one month (its own calendar month)."""

    regency = models.ForeignKey("tenants.Regency", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("Hari pertama bulan, menurut zona waktu daerah."))
    metric = models.CharField(max_length=20, choices=Metric.choices)
    value = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meter pemakaian")
        constraints = [models.UniqueConstraint(fields=["regency", "month", "metric"], name="meter_one_row")]


class MeterIdempotencyKey(models.Model):
    """A metered event already counted: a retried task with the same key counts nothing."""

    regency = models.ForeignKey("tenants.Regency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    metric = models.CharField(max_length=20, choices=Metric.choices)
    amount = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regency", "key"], name="meter_key_once")]


class Quota(models.Model):
    """A monthly fair-use limit. `regency` empty: the platform default for every regency."""

    regency = models.ForeignKey("tenants.Regency", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    metric = models.CharField(_("metrik"), max_length=20, choices=Metric.choices)
    limit = models.BigIntegerField(_("batas"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kuota")
        constraints = [
            models.UniqueConstraint(fields=["regency", "metric"], condition=models.Q(regency__isnull=False),
                                    name="quota_one_per_regency_metric"),
            models.UniqueConstraint(fields=["metric"], condition=models.Q(regency__isnull=True),
                                    name="quota_one_default_per_metric"),
            models.CheckConstraint(condition=models.Q(limit__gt=0), name="quota_limit_positive"),
        ]


class QuotaAlert(models.Model):
    """Sent once per regency, month, metric and level: the guard that keeps warnings from repeating."""

    class Level(models.TextChoices):
        WARNING = "warning", _("Mendekati kuota (80%)")
        OVER = "over", _("Melampaui kuota (100%)")

    regency = models.ForeignKey("tenants.Regency", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    metric = models.CharField(max_length=20, choices=Metric.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    used = models.BigIntegerField()
    limit = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regency", "month", "metric", "level"], name="quota_alert_once")]


class PungliReport(models.Model):
    """A report that someone asked for money (pungutan liar, "pungli"). Ministry inspectors only."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        IN_REVIEW = "in_review", _("Sedang ditelaah")
        FOLLOWED_UP = "followed_up", _("Ditindaklanjuti")
        CLOSED = "closed", _("Selesai")

    regency = models.ForeignKey("tenants.Regency", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("daerah"))
    registration_number = models.CharField(_("nomor registrasi permohonan"), max_length=32, blank=True)
    description = models.TextField(_("uraian kejadian"))
    file_key = models.CharField(max_length=255, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_content_type = models.CharField(max_length=60, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    contact = models.CharField(_("kontak pelapor"), max_length=150, blank=True)
    # Only the SHA-256 of the follow code is kept: the code is shown once to the reporter.
    follow_code_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    inspector_notes = models.TextField(_("catatan inspektur"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("laporan pungli")
        verbose_name_plural = _("laporan pungli")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["regency", "status"])]


class PungliFollowUp(models.Model):
    """One inspector step on a report: triage, follow-up, closing (with its note)."""

    report = models.ForeignKey(PungliReport, on_delete=models.CASCADE, related_name="follow_ups")
    at = models.DateTimeField(auto_now_add=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=12, choices=PungliReport.Status.choices)
    to_status = models.CharField(max_length=12, choices=PungliReport.Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class MinistryLogEntry(models.Model):
    """The ministry side's own log (public schema): quota changes and inspectors' actions.

    Pungli work must never appear in a regency's audit log, which its officers can read.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
