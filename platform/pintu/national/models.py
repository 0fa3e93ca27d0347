"""Things the whole nation shares (public schema): the holiday calendar and catalog templates."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NationalHoliday(models.Model):
    """A national holiday or joint leave day (cuti bersama): no regency works on it."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Hari libur nasional")
        JOINT_LEAVE = "joint_leave", _("Cuti bersama")

    class Source(models.TextChoices):
        PACKAGE = "package", _("Kalender bawaan")
        DECREE = "decree", _("SKB tiga menteri (dicatat manual)")
        MINISTRY = "ministry", _("Diubah admin kementerian")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.HOLIDAY)
    source = models.CharField(_("sumber"), max_length=16, choices=Source.choices, default=Source.PACKAGE)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hari libur nasional")
        verbose_name_plural = _("hari libur nasional")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class CatalogTemplate(models.Model):
    """A permit type as the ministry recommends it (type, requirements, form, SOP) for regencies to adopt.

    `data` holds the same structure one permit type has in a regency's
    configuration export (see permits.services.config_io).
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    summary = models.TextField(_("ringkasan"), blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    is_published = models.BooleanField(_("diterbitkan"), default=True)
    data = models.JSONField(_("isi templat"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("templat katalog nasional")
        verbose_name_plural = _("templat katalog nasional")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"
