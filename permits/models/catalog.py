"""The permit catalog: what a regency offers, what it asks for, and the letter it issues."""
from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PermitType(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    is_active = models.BooleanField(_("ditawarkan"), default=True)
    is_online = models.BooleanField(_("dapat diajukan daring"), default=True,
                                    help_text=_("Jika tidak, hanya dapat diajukan di loket."))
    sla_working_days = models.PositiveSmallIntegerField(
        _("lama layanan (hari kerja)"), validators=[MinValueValidator(1), MaxValueValidator(365)])
    validity_months = models.PositiveSmallIntegerField(_("masa berlaku (bulan)"), null=True, blank=True,
                                                       help_text=_("Kosong: berlaku selama kegiatan berjalan."))
    validity_capped_by = models.CharField(
        _("berlaku paling lama sampai tanggal isian"), max_length=60, blank=True,
        help_text=_("Kunci isian formulir bertipe tanggal (mis. STR berlaku sampai): izin tidak berlaku "
                    "melewati tanggal itu."))
    is_renewable = models.BooleanField(_("dapat diperpanjang"), default=False)
    # Licensing is free; a regional levy (retribusi) is shown with its regulation and paid to the treasury.
    levy_amount = models.DecimalField(_("retribusi (Rp)"), max_digits=14, decimal_places=2, default=Decimal("0"))
    levy_regulation_number = models.CharField(_("nomor perda retribusi"), max_length=60, blank=True)
    levy_regulation_year = models.PositiveSmallIntegerField(_("tahun perda retribusi"), null=True, blank=True)
    levy_regulation_article = models.CharField(_("pasal"), max_length=60, blank=True)
    number_format = models.CharField(_("format nomor izin"), max_length=120,
                                     default="503/{seq:04d}/{code}/DPMPTSP/{year}")
    number_counter_key = models.CharField(
        _("kunci sub-penghitung"), max_length=60, blank=True,
        help_text=_("Kosong: satu urutan per tahun. Isi dengan kunci kolom formulir untuk urutan terpisah per nilainya."))
    is_fiktif_positif = models.BooleanField(_("fiktif positif"), default=False,
                                            help_text=_("Permohonan dianggap dikabulkan bila batas waktu terlewati."))
    letter_title = models.CharField(_("judul surat"), max_length=200, blank=True)
    letter_body = models.TextField(_("isi surat"), blank=True)
    letter_signature_block = models.TextField(_("blok tanda tangan"), blank=True)
    adopted_from = models.CharField(_("diadopsi dari templat"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jenis izin")
        verbose_name_plural = _("jenis izin")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.levy_amount == 0


class Requirement(models.Model):
    class AppliesTo(models.TextChoices):
        NEW = "new", _("Izin baru")
        RENEWAL = "renewal", _("Perpanjangan")
        BOTH = "both", _("Baru dan perpanjangan")

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        JPG = "jpg", "JPG"
        PNG = "png", "PNG"

    permit_type = models.ForeignKey(PermitType, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    name = models.CharField(_("nama"), max_length=200)
    help_text = models.TextField(_("petunjuk"), blank=True)
    allowed_types = ArrayField(models.CharField(max_length=4, choices=FileType.choices), default=list,
                               verbose_name=_("jenis berkas"))
    max_size_kb = models.PositiveIntegerField(_("ukuran maksimum (KB)"), default=2048,
                                              validators=[MinValueValidator(50), MaxValueValidator(20480)])
    is_mandatory = models.BooleanField(_("wajib"), default=True)
    applies_to = models.CharField(_("berlaku untuk"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    is_obtainable_from_agency = models.BooleanField(_("dapat diperoleh dari instansi lain"), default=False)
    # Issue #16: a phone photo of a document asked as PDF becomes a PDF on the server (the regency's choice).
    accepts_photo_as_pdf = models.BooleanField(_("foto dokumen diterima (dijadikan PDF)"), default=False)

    class Meta:
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")
        ordering = ["permit_type", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["permit_type", "name"], name="requirement_unique_name")]

    def __str__(self) -> str:
        return self.name


class FormField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Teks")
        NUMBER = "number", _("Angka")
        DATE = "date", _("Tanggal")
        CHOICE = "choice", _("Pilihan")
        NIK = "nik", _("NIK")
        NIB = "nib", _("NIB")
        DISTRICT = "district", _("Kecamatan")
        ADDRESS = "address", _("Alamat")

    permit_type = models.ForeignKey(PermitType, on_delete=models.CASCADE, related_name="form_fields")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    key = models.SlugField(_("kunci"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("jenis isian"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("pilihan"), default=list, blank=True)
    is_required = models.BooleanField(_("wajib diisi"), default=True)
    help_text = models.CharField(_("petunjuk"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("isian formulir")
        verbose_name_plural = _("isian formulir")
        ordering = ["permit_type", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["permit_type", "key"], name="form_field_unique_key")]

    def __str__(self) -> str:
        return self.label


class PermitNumberCounter(models.Model):
    """The last sequence number issued for a permit type in a year (and sub-counter)."""

    permit_type = models.ForeignKey(PermitType, on_delete=models.CASCADE, related_name="number_counters")
    year = models.PositiveSmallIntegerField()
    sub_key = models.CharField(max_length=120, blank=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["permit_type", "year", "sub_key"], name="counter_unique")]
