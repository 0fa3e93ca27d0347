"""Refusals of billing_free: stable codes for the API, Indonesian messages for people."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from pintu.errors import DomainError, NotFound, PermissionDenied


class MetricUnknown(DomainError):
    code = "metric_unknown"
    message = gettext_lazy("Metrik pemakaian tidak dikenal.")


class QuotaInvalid(DomainError):
    code = "quota_invalid"
    message = gettext_lazy("Batas kuota harus bilangan bulat lebih dari nol.")


class MonthInvalid(DomainError):
    code = "month_invalid"
    message = gettext_lazy("Bulan tidak valid. Gunakan format TTTT-BB, misalnya 2026-05.")


class PungliReportInvalid(DomainError):
    code = "pungli_report_invalid"
    message = gettext_lazy("Laporan belum lengkap.")


class PungliReportNotFound(NotFound):
    code = "pungli_report_not_found"
    message = gettext_lazy("Laporan dengan kode tersebut tidak ditemukan. Periksa kembali kode yang Anda terima.")


class PungliTransitionNotAllowed(DomainError):
    code = "pungli_transition_not_allowed"
    message = gettext_lazy("Langkah ini tidak dapat dilakukan pada status laporan saat ini.")


class InspectorRequired(PermissionDenied):
    code = "inspector_required"
    message = gettext_lazy("Hanya inspektur kementerian yang dapat menangani laporan pungli.")


class MinistryAdministratorRequired(PermissionDenied):
    code = "ministry_administrator_required"
    message = gettext_lazy("Hanya administrator kementerian yang dapat mengubah kuota.")


class TooManyRequests(DomainError):
    code = "too_many_requests"
    message = gettext_lazy("Terlalu banyak permintaan dari alamat Anda. Silakan coba lagi beberapa saat lagi.")
    status = 429
