"""An import of the regency's past permit register that runs in the background (large files).

The row holds what the page shows once the job is over (counts, each refused row); the moving figures
while it runs live in the cache (`permits.services.register_import_jobs`), because the import itself is
one transaction whose rows nobody else sees until it commits.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pintu.identity.models import user_reference


class RegisterImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    filename = models.CharField(_("nama berkas"), max_length=255)
    file_key = models.CharField(max_length=255)
    is_dry_run = models.BooleanField(_("uji coba"), default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [[row, reason], ...], the first 1,000
    message = models.TextField(blank=True)  # why the whole file was refused, in Indonesian
    started_by = user_reference(on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor register izin")

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
