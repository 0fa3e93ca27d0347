"""Service-level figures of every regency, kept in public so national pages read a fixed number of queries."""
from __future__ import annotations

import json
from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def histogram_list(days: Mapping) -> list[int]:
    """{working days: files} -> [files decided in 0 working days, in 1, ...], up to the longest (no trailing 0)."""
    counts = {int(k): int(v) for k, v in days.items() if v}
    if not counts:
        return []
    if min(counts) < 0:
        raise ValueError("a decision cannot take fewer than 0 working days")
    histogram = [0] * (max(counts) + 1)
    for working_days, files in counts.items():
        histogram[working_days] = files
    return histogram


def histogram_dict(histogram: list[int]) -> dict[str, int]:
    """[files in 0 working days, in 1, ...] -> {"working days": files} of the days that have files."""
    return {str(working_days): files for working_days, files in enumerate(histogram) if files}


class WorkingDaysHistogram(models.Field):
    """Working days to decision -> files: `{"3": 2}` in Python, `integer[]` in PostgreSQL (`{0,0,0,2}`:
    element n + 1 counts the files decided in n working days).

    The national dashboard sums a period's histograms position by position in its aggregate
    (`sum(decision_days[n])`), where a JSON object per day had to be decoded and merged in Python,
    514 regencies x 30 days on every page and export (bench/README.md).
    """

    description = "histogram of working days to decision"

    def db_type(self, connection) -> str:
        return "integer[]"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else histogram_list(value)

    def from_db_value(self, value, expression, connection):
        return None if value is None else histogram_dict(value)

    def to_python(self, value):
        if isinstance(value, str):  # as a serializer wrote it
            value = json.loads(value)
        if isinstance(value, list):
            return histogram_dict(value)
        return value

    def value_to_string(self, obj) -> dict:  # the object itself, as JSONField gives it to serializers
        return self.value_from_object(obj)


class RegencyDailyStats(models.Model):
    """One regency's figures for one of its days (midnight to midnight in its own zone), upserted by the rollup.

    `respondents` and `survey_score_sum` let any period's IKM be computed exactly from the daily rows;
    `decision_days` ({working days: files}, an integer array in the table) lets any period's median be computed
    from them.
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
    decision_days = WorkingDaysHistogram(default=dict)
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
