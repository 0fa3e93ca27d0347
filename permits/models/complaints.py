"""Complaints (pengaduan) about the regency's service, and the regency's own answer deadline.

Anyone may file one; the complainant follows it with a code that is stored only as a hash.
Illegal-fee reports are NOT complaints: they go, confidentially, to billing_free's pungli channel.
"""
from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permits.models.applications import Application
from permits.models.catalog import PermitType
from pintu.identity.models import user_reference

DEFAULT_ANSWER_WORKING_DAYS = 5


class ComplaintPolicy(models.Model):
    """The regency's answer deadline for complaints (one row; absent means the default)."""

    answer_working_days = models.PositiveSmallIntegerField(
        _("batas waktu jawaban (hari kerja)"), default=DEFAULT_ANSWER_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aturan pengaduan")


class Complaint(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        ASSIGNED = "assigned", _("Sedang ditangani")
        ANSWERED = "answered", _("Sudah dijawab")
        CLOSED = "closed", _("Selesai")

    code_hash = models.CharField(max_length=64, unique=True)
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("layanan"))
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="complaints")
    registration_number = models.CharField(_("nomor registrasi"), max_length=32, blank=True)
    description = models.TextField(_("isi pengaduan"), max_length=5000)
    contact = models.CharField(_("kontak pelapor"), max_length=150, blank=True)
    complainant = user_reference(on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    filed_at = models.DateTimeField(_("diterima"), db_index=True)
    due_at = models.DateTimeField(_("batas waktu jawaban"), db_index=True)
    assigned_to = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("petugas"))
    assigned_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("jawaban"), blank=True, max_length=5000)
    answered_by = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_by = user_reference(on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.CharField(_("catatan penutupan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"ADU#{self.pk}"

    @property
    def is_late(self) -> bool:
        """Answered after its deadline, or still unanswered past it."""
        return (self.answered_at or timezone.now()) > self.due_at
