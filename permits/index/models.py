"""One row per application in any regency, in the public schema.

Written in the same transaction as the regency's own rows (the search path
holds both schemas), so the applicant portal lists every file without
visiting 514 schemas. Always filter it by regency or by applicant explicitly.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models


class ApplicationIndex(models.Model):
    regency = models.ForeignKey("tenants.Regency", on_delete=models.CASCADE, related_name="+")
    application_id = models.BigIntegerField()
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="application_index")
    registration_number = models.CharField(max_length=32, blank=True)
    permit_type_name = models.CharField(max_length=200)
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=12)
    status_label = models.CharField(max_length=60)
    next_action = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    # The issued permit, so the portal links its verification page without visiting the regency's schema.
    # The verification code is public (printed as a QR on the permit); status says "revoked" after a revocation.
    permit_number = models.CharField(max_length=120, blank=True)
    verification_code = models.CharField(max_length=32, blank=True)
    permit_valid_until = models.DateField(null=True, blank=True)
    permit_status = models.CharField(max_length=10, blank=True)
    # When it was issued, for the national open-data register (issue #20); null on rows synced before.
    permit_issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regency", "application_id"], name="index_one_row_per_application")]
        indexes = [models.Index(fields=["applicant", "-updated_at"]), models.Index(fields=["regency", "status"])]
