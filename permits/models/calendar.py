"""The regency's own days off (national holidays live in the public schema, pintu.national)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class LocalHoliday(models.Model):
    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=160)

    class Meta:
        verbose_name = _("hari libur daerah")
        verbose_name_plural = _("hari libur daerah")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
