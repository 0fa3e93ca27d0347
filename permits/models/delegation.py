"""Delegation of signing authority: positions, delegation rules, acting officials (Plh/Plt)."""
from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from permits.models.catalog import PermitType
from pintu.identity.models import user_reference


class Position(models.Model):
    """A post (jabatan) in the regency's government, and who holds it now."""

    class Kind(models.TextChoices):
        REGIONAL_HEAD = "regional_head", _("Kepala daerah (Bupati/Walikota)")
        OFFICE_HEAD = "office_head", _("Kepala DPMPTSP")
        DIVISION_HEAD = "division_head", _("Kepala bidang")
        OTHER = "other", _("Jabatan lain")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama jabatan"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    holder = user_reference(null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("pejabat"))
    # An official who has no Pintu account (a Bupati/Walikota who never signs in): named, not a holder.
    official_name = models.CharField(_("nama pejabat (tanpa akun)"), max_length=150, blank=True)
    official_nip = models.CharField(_("NIP pejabat"), max_length=18, blank=True, validators=[
        RegexValidator(r"^\d{18}$", _("NIP terdiri dari 18 angka."), code="nip_invalid")])
    official_title = models.CharField(_("pangkat/golongan pejabat"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(
            fields=["kind"], condition=models.Q(kind="regional_head"), name="one_regional_head",
            violation_error_code="regional_head_exists",
            violation_error_message=_("Jabatan kepala daerah (Bupati/Walikota) sudah ada; hanya boleh satu."))]

    def __str__(self) -> str:
        return self.name

    @property
    def official_label(self) -> str:
        """Who holds the post, for people: the account's name, else the named official; "" when vacant."""
        if self.holder_id is not None and self.holder is not None:
            return self.holder.full_name or self.holder.email
        return self.official_name


class Delegation(models.Model):
    """A regulation (Perbup/Perwal) handing signing authority from one post to another."""

    from_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="delegations_out",
                                      verbose_name=_("dari jabatan"))
    to_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="delegations_in",
                                    verbose_name=_("kepada jabatan"))
    applies_to_all = models.BooleanField(_("semua jenis izin"), default=False)
    permit_types = models.ManyToManyField(PermitType, blank=True, related_name="delegations",
                                          verbose_name=_("jenis izin"))
    legal_basis_number = models.CharField(_("nomor dasar hukum"), max_length=120)
    legal_basis_date = models.DateField(_("tanggal dasar hukum"))
    legal_basis_file = models.FileField(_("salinan peraturan"), upload_to="delegations/", blank=True)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pelimpahan wewenang")
        verbose_name_plural = _("pelimpahan wewenang")
        ordering = ["valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.legal_basis_number}: {self.from_position_id} -> {self.to_position_id}"


class ActingOfficial(models.Model):
    """Someone acting for a post by mandate: Plh (holder away) or Plt (post vacant)."""

    class Kind(models.TextChoices):
        PLH = "plh", _("Plh (pelaksana harian: pejabat berhalangan sementara)")
        PLT = "plt", _("Plt (pelaksana tugas: jabatan kosong)")

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="acting_officials")
    user = user_reference(on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    decree_number = models.CharField(_("nomor surat perintah"), max_length=120, blank=True)
    # Printed under a Plh/Plt's signature and sent to OSS (receiveLicense nip_ttd).
    nip = models.CharField(_("NIP pelaksana"), max_length=18, blank=True, validators=[
        RegexValidator(r"^\d{18}$", _("NIP terdiri dari 18 angka."), code="nip_invalid")])
    valid_from = models.DateField(_("mulai"))
    valid_until = models.DateField(_("sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pelaksana jabatan")
        verbose_name_plural = _("pelaksana jabatan")
        ordering = ["position", "valid_from"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position_id}"
