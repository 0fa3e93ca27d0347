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


class Agency(models.Model):
    """A regency agency (OPD, e.g. Dinas Kesehatan) whose officers form a technical team.

    Memberships, SOP steps and their tasks carry the agency's name (the key the worklists match on);
    renaming an agency goes through one service that renames it everywhere in the same transaction.
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama instansi/OPD"), max_length=120, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("instansi/OPD")
        verbose_name_plural = _("instansi/OPD")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A regency administrator's invitation of a person (by e-mail) to hold roles here.

    The link's token is stored only as its SHA-256: the link works once, until `expires_at`.
    `roles` is a list of {"role": ..., "agency": <Agency id or null>}.
    """

    email = models.EmailField(_("email"))
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    roles = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    invited_by = user_reference(null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = user_reference(null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("undangan petugas")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
