"""The regency's audit log: append-only and hash-chained (each entry seals the previous one)."""
from __future__ import annotations

from django.db import models

from pintu.identity.models import user_reference


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = user_reference(null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = "entri audit"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditCheckpoint(models.Model):
    """How far the chain is known intact, so /audit/ checks only newer entries; one row per regency (pk 1).

    `seq`/`hash` is the last entry verified (by the page or a full run); `full_*` is the last verification from
    the first entry (the audit_verify command, the nightly task), the only one that sees an older entry edited.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    full_verified_at = models.DateTimeField(null=True, blank=True)
    full_problems = models.JSONField(default=list, blank=True)
