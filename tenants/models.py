"""Regencies (tenants) and their domains, in the public schema."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.regions import TIME_ZONE_LABELS, WIB, WIT, WITA


class Regency(TenantMixin):
    """A kabupaten or kota on the platform: its own schema, subdomain and rules.

    The public schema itself is one row too (schema `public`, no code):
    django-tenants routes the apex domain through it.
    """

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        SUSPENDED = "suspended", _("Dinonaktifkan")

    class TimeZone(models.TextChoices):
        WIB = WIB, "WIB (Asia/Jakarta)"
        WITA = WITA, "WITA (Asia/Makassar)"
        WIT = WIT, "WIT (Asia/Jayapura)"

    code = models.CharField(_("kode wilayah"), max_length=4, unique=True, null=True, blank=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, blank=True)
    province_code = models.CharField(_("kode provinsi"), max_length=2, blank=True)
    province_name = models.CharField(_("provinsi"), max_length=100, blank=True)
    time_zone = models.CharField(_("zona waktu"), max_length=32, choices=TimeZone.choices, default=WIB)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("alasan status"), max_length=255, blank=True)
    # Letterhead (kop surat) of the one-stop office.
    office_name = models.CharField(_("nama dinas"), max_length=200, blank=True)
    office_address = models.CharField(_("alamat kantor"), max_length=255, blank=True)
    office_phone = models.CharField(_("telepon kantor"), max_length=40, blank=True)
    office_email = models.EmailField(_("email kantor"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("daerah")
        verbose_name_plural = _("daerah")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """The schema is cloned from the template by tenants.clone (fast at 500+ regencies)."""
        from django_tenants.postgresql_backend.base import _check_schema_name
        from django_tenants.utils import schema_exists

        from tenants.clone import regency_schema_create

        _check_schema_name(self.schema_name)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        regency_schema_create(self.schema_name, verbosity=verbosity, sync_schema=sync_schema)
        return True

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def time_zone_label(self) -> str:
        return TIME_ZONE_LABELS.get(self.time_zone, self.time_zone)


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
