"""Service-level figures of every regency, kept in public so national pages read a fixed number of queries."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegencyDailyStats(models.Model):
    """One regency's figures for one of its days (midnight to midnight in its own zone), upserted by the rollup.

    `respondents` and `survey_score_sum` let any period's IKM be computed exactly from the daily rows;
    `decision_days` ({working days: files}) lets any period's median be computed from them.
    """

    regency = models.ForeignKey("tenants.Regency", on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField(_("tanggal"))
    received_online = models.PositiveIntegerField(_("diterima daring"), default=0)
    received_counter = models.PositiveIntegerField(_("diterima loket"), default=0)
    decided = models.PositiveIntegerField(_("diputus"), default=0)
    issued = models.PositiveIntegerField(_("terbit"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    sla_met = models.PositiveIntegerField(_("tepat waktu"), default=0)
    sla_missed = models.PositiveIntegerField(_("terlambat"), default=0)
    decision_days = models.JSONField(default=dict)
    median_working_days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    avg_working_days = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    backlog = models.PositiveIntegerField(_("tunggakan"), default=0)
    late = models.PositiveIntegerField(_("berkas terlambat"), default=0)
    complaints_open = models.PositiveIntegerField(_("pengaduan terbuka"), default=0)
    respondents = models.PositiveIntegerField(_("responden SKM"), default=0)
    survey_score_sum = models.PositiveIntegerField(default=0)
    ikm = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    ikm_grade = models.CharField(max_length=1, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("angka harian daerah")
        constraints = [models.UniqueConstraint(fields=["regency", "day"], name="daily_stats_one_row_per_day")]
        indexes = [models.Index(fields=["day", "regency"])]

    @property
    def received(self) -> int:
        return self.received_online + self.received_counter


class RegencyTarget(models.Model):
    """Targets a regency's head sets for its office (Mataram's daily target of online applications)."""

    regency = models.OneToOneField("tenants.Regency", on_delete=models.CASCADE, related_name="service_target")
    online_daily_target = models.PositiveIntegerField(_("target permohonan daring per hari"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target layanan daerah")
