"""The applicant portal's own public rows: the business identity next to the person's account."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantProfile(models.Model):
    """NIB (OSS business identity number, 13 digits) and contact details an applicant keeps once for every regency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant_profile")
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    business_name = models.CharField(_("nama usaha"), max_length=200, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil pemohon")
