"""Each regency's audit chain head, outside the regency's schema.

The chain in a regency's schema proves that no entry was edited or reordered, but not that the
newest ones were not cut off: a truncated chain is still a valid chain. So every `audit_record`
also writes the new head (sequence number = count of entries, and hash) here, in the public
schema, in the same transaction; verification checks the chain still reaches this head. Whoever
can rewrite a regency's schema (or restore an old copy of it) cannot rewind this row with it.
"""
from __future__ import annotations

from django.db import models


class AuditAnchor(models.Model):
    schema_name = models.CharField(max_length=63, unique=True)
    seq = models.PositiveBigIntegerField()  # the head's sequence number: the chain's entry count
    hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "jangkar rantai audit"

    def __str__(self) -> str:
        return f"{self.schema_name} #{self.seq}"
