"""A regency's OSS RBA rows (its own schema).

`PermitCodeMapping` is how the regency administrator says which of the regency's permit types an OSS
permit code (`kd_izin`) is; every code OSS sends is recorded here, mapped or not, so the administrator
sees what is waiting. `OssFile` ties an application to the OSS checklist item (`id_izin`) it came from
(unique: the same item sent twice creates nothing). `OssSend` is the outbox towards OSS: one row per
change, numbered per file so that OSS hears the changes of one file in the order they happened.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from permits.models import Application, PermitType


class PermitCodeMapping(models.Model):
    kd_izin = models.CharField(_("kode izin OSS"), max_length=13, unique=True)
    nama_izin = models.CharField(_("nama izin di OSS"), max_length=255, blank=True)
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("jenis izin Pintu"))
    times_seen = models.PositiveIntegerField(default=0)
    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pemetaan kode izin OSS")
        ordering = ["kd_izin"]


class OssFile(models.Model):
    """An application that started in OSS: the identifiers OSS needs back in every report."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="oss_file")
    id_izin = models.CharField(max_length=25, unique=True)
    kd_izin = models.CharField(max_length=13)
    nama_izin = models.CharField(max_length=255, blank=True)
    kd_daerah = models.CharField(max_length=10)
    nib = models.CharField(max_length=13, db_index=True)
    oss_id = models.CharField(max_length=25, blank=True)
    id_proyek = models.CharField(max_length=25, blank=True)
    id_produk = models.CharField(max_length=25, blank=True)
    business = models.JSONField(default=dict, help_text="The business data of the receiveNIB payload, as received.")
    signed_file_url = models.TextField(blank=True, help_text="receiveFileDS: the file OSS signed.")
    received_at = models.DateTimeField()
    last_kd_status = models.CharField(max_length=2, blank=True)


class OssSend(models.Model):
    class Method(models.TextChoices):
        STATUS = "receiveLicenseStatus", "receiveLicenseStatus"
        LICENSE = "receiveLicense", "receiveLicense"
        UPDATE = "updateLicense", "updateLicense"

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal (batas percobaan habis)")

    file = models.ForeignKey(OssFile, on_delete=models.CASCADE, related_name="sends")
    seq = models.PositiveIntegerField(help_text="Order within the file: sent strictly one after another.")
    key = models.CharField(max_length=120, unique=True, help_text="One row per change: <event>:<method>:<code>.")
    method = models.CharField(max_length=24, choices=Method.choices)
    kd_status = models.CharField(max_length=2, blank=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    response = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["file_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["file", "seq"], name="oss_send_seq_unique")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
