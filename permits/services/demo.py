"""Demo configuration for the five regencies of the articles: national templates with local differences."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django_tenants.utils import schema_context

from permits.models import Delegation, LocalHoliday, PermitType, Position
from permits.services import calendar as calendar_services
from permits.services import delegation as delegation_services
from permits.services.templates import template_adopt
from pintu.access.models import Membership, Role
from pintu.identity.models import User
from pintu.national.models import CatalogTemplate

if TYPE_CHECKING:
    from tenants.models import Regency

# code -> what differs locally, as the articles describe them.
LOCAL = {
    # Trenggalek offers only some types online; billboards and buildings stay at the counter.
    "3503": {"overrides": {"reklame": {"is_online": False}, "pbg": {"is_online": False}},
             "regulation": ("Peraturan Bupati Trenggalek Nomor 27 Tahun 2019", dt.date(2019, 6, 3)),
             "anniversary": (dt.date(2026, 8, 31), "Hari Jadi Kabupaten Trenggalek")},
    # Kota Blitar: everything online and free of charge; research permits in two working days.
    "3572": {"overrides": {"izin-penelitian": {"sla_working_days": 2}},
             "regulation": ("Peraturan Walikota Blitar Nomor 15 Tahun 2018", dt.date(2018, 4, 2)),
             "anniversary": (dt.date(2026, 4, 1), "Hari Jadi Kota Blitar")},
    # Cilegon: the Perwal delegating signing to the DPMPTSP head (KPK's push).
    "3672": {"overrides": {},
             "regulation": ("Peraturan Walikota Cilegon Nomor 36 Tahun 2017", dt.date(2017, 9, 1)),
             "anniversary": (dt.date(2026, 4, 27), "Hari Jadi Kota Cilegon")},
    # Mataram: walk-ins are common; the TK permit is counter-only for now.
    "5271": {"overrides": {"izin-operasional-tk": {"is_online": False}},
             "regulation": ("Peraturan Walikota Mataram Nomor 9 Tahun 2019", dt.date(2019, 2, 11)),
             "anniversary": (dt.date(2026, 8, 31), "Hari Ulang Tahun Kota Mataram")},
    # Rembang: its first online applicant was a physiotherapist; billboards are not fiktif positif.
    "3317": {"overrides": {"reklame": {"is_fiktif_positif": False}},
             "regulation": ("Peraturan Bupati Rembang Nomor 40 Tahun 2018", dt.date(2018, 10, 1)),
             "anniversary": (dt.date(2026, 7, 27), "Hari Jadi Kabupaten Rembang")},
}


def _signing_official() -> User | None:
    membership = Membership.objects.filter(role=Role.SIGNING_OFFICIAL, is_active=True).order_by("pk").first()
    return User.objects.filter(pk=membership.user_id).first() if membership else None


def demo_catalog_seed(regency: Regency) -> list[str]:
    """Adopt every published national template into `regency`, plus positions, a delegation and a holiday.

    Idempotent: what already exists is left as it is. Returns what was added.
    """
    local = LOCAL.get(regency.code, {"overrides": {}, "regulation": None, "anniversary": None})
    added: list[str] = []
    with schema_context(regency.schema_name), transaction.atomic():
        for template in CatalogTemplate.objects.filter(is_published=True).order_by("code"):
            if PermitType.objects.filter(code=template.code).exists():
                continue
            template_adopt(template=template, overrides=local["overrides"].get(template.code))
            added.append(template.code)
        head_title = "Walikota" if regency.kind == "kota" else "Bupati"
        place = regency.name.replace("Kab. ", "").replace("Kota ", "")
        head = Position.objects.filter(kind=Position.Kind.REGIONAL_HEAD).first() or delegation_services.position_create(
            code=head_title.lower(), name=f"{head_title} {place}", kind=Position.Kind.REGIONAL_HEAD)
        office = Position.objects.filter(code="kepala-dpmptsp").first() or delegation_services.position_create(
            code="kepala-dpmptsp", name="Kepala DPMPTSP", kind=Position.Kind.OFFICE_HEAD, holder=_signing_official())
        if local["regulation"] and not Delegation.objects.filter(from_position=head).exists():
            number, date = local["regulation"]
            delegation_services.delegation_create(
                from_position=head, to_position=office, applies_to_all=True, legal_basis_number=number,
                legal_basis_date=date, valid_from=date)
            added.append("delegation")
        if local["anniversary"] and not LocalHoliday.objects.filter(date=local["anniversary"][0]).exists():
            calendar_services.local_holiday_create(date=local["anniversary"][0], name=local["anniversary"][1])
            added.append("local_holiday")
    return added
