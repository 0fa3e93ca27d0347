"""SOP workflows: versioned step lists; an application keeps the version in force when submitted."""
from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from permits.models.catalog import PermitType
from pintu.access.models import Role


class Action(models.TextChoices):
    FORWARD = "forward", _("Teruskan")
    RETURN = "return", _("Kembalikan ke pemohon")
    REJECT = "reject", _("Tolak")
    RECOMMEND = "recommend", _("Beri rekomendasi")
    APPROVE_SIGN = "approve_sign", _("Setujui dan tandatangani")


class Sop(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Berlaku")
        RETIRED = "retired", _("Tidak berlaku")

    permit_type = models.ForeignKey(PermitType, on_delete=models.CASCADE, related_name="sops")
    version = models.PositiveSmallIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("catatan perubahan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOP")
        ordering = ["permit_type", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["permit_type", "version"], name="sop_unique_version"),
            models.UniqueConstraint(fields=["permit_type"], condition=models.Q(status="published"),
                                    name="sop_one_published"),
            models.UniqueConstraint(fields=["permit_type"], condition=models.Q(status="draft"), name="sop_one_draft"),
        ]

    def __str__(self) -> str:
        return f"SOP {self.permit_type_id} v{self.version} ({self.status})"


class SopStep(models.Model):
    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("nama langkah"), max_length=200)
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    agency = models.CharField(_("instansi/OPD"), max_length=120, blank=True)
    sla_working_days = models.PositiveSmallIntegerField(_("batas waktu (hari kerja)"), default=1,
                                                        validators=[MaxValueValidator(365)])
    allowed_actions = ArrayField(models.CharField(max_length=16, choices=Action.choices), default=list,
                                 verbose_name=_("tindakan yang boleh"))
    checklist = models.JSONField(_("daftar periksa"), default=list, blank=True)
    parallel_group = models.CharField(_("kelompok paralel"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("langkah SOP")
        verbose_name_plural = _("langkah SOP")
        ordering = ["sop", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["sop", "order"], name="sop_step_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
