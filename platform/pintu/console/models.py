"""The ministry console's own records (public schema): provisioning jobs, regency snapshots, announcements."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvisioningJob(models.Model):
    """Regencies a ministry administrator asked to put on the platform, provisioned in the background.

    `items` holds one entry per regency: {code, name, subdomain, admin_email,
    status (pending|created|exists|failed), message, admin_password_shown}.
    Initial passwords are never stored here (see pintu.console.services).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        FINISHED = "finished", _("Selesai")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    label = models.CharField(_("permintaan"), max_length=200)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    items = models.JSONField(default=list)
    messages = models.JSONField(default=list)

    class Meta:
        verbose_name = _("pekerjaan penyiapan daerah")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.label}"

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED


class RegencySnapshot(models.Model):
    """Figures of one regency read in its own schema, so the console lists 514 regencies in a few queries."""

    regency = models.OneToOneField("tenants.Regency", on_delete=models.CASCADE, related_name="snapshot")
    officers = models.PositiveIntegerField(_("petugas"), default=0)
    permit_types = models.PositiveIntegerField(_("jenis izin"), default=0)
    applications = models.PositiveIntegerField(_("permohonan"), default=0)
    stored_bytes = models.BigIntegerField(_("penyimpanan (byte)"), default=0)
    taken_at = models.DateTimeField(_("diambil pada"))

    class Meta:
        verbose_name = _("ringkasan daerah")


class Announcement(models.Model):
    """A notice from the ministry to regency officers, shown on their regency's pages while published."""

    class Audience(models.TextChoices):
        ALL = "all", _("Semua daerah")
        LISTED = "listed", _("Daerah tertentu")

    title = models.CharField(_("judul"), max_length=160)
    body = models.TextField(_("isi"))
    audience = models.CharField(_("sasaran"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    regencies = models.ManyToManyField("tenants.Regency", blank=True, related_name="+", verbose_name=_("daerah"))
    published_from = models.DateTimeField(_("tayang mulai"))
    published_until = models.DateTimeField(_("tayang sampai"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        ordering = ["-published_from", "-pk"]
        indexes = [models.Index(fields=["published_from", "published_until"])]

    def __str__(self) -> str:
        return self.title
