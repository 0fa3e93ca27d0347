"""What a person may do in one regency (lives in that regency's schema).

No membership, no access: a session alone grants nothing on a subdomain.
"""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pintu.identity.models import user_reference


class Role(models.TextChoices):
    FRONT_OFFICE = "front_office", _("Petugas loket")
    VERIFIER = "verifier", _("Verifikator berkas")
    TECHNICAL_TEAM = "technical_team", _("Tim teknis")
    SURVEYOR = "surveyor", _("Petugas survei lapangan")
    SIGNING_OFFICIAL = "signing_official", _("Pejabat penandatangan")
    REGENCY_ADMIN = "regency_admin", _("Administrator instansi")
    AUDITOR = "auditor", _("Auditor")
    HEAD = "head", _("Kepala dinas")


class Membership(models.Model):
    """One role of one person in this regency; a technical team role names its agency (OPD)."""

    user = user_reference(on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    agency = models.CharField(_("instansi/OPD"), max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency"], name="membership_unique"),
            models.CheckConstraint(
                condition=~models.Q(role="technical_team") | ~models.Q(agency=""),
                name="technical_team_names_agency",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.agency})" if self.agency else ""
        return f"{self.user_id} · {self.get_role_display()}{suffix}"
