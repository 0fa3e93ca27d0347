"""Writes to national data: the holiday calendar and catalog templates (ministry administrators)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

import holidays
from django.db import transaction
from django.utils.translation import gettext

from pintu.access.roles import MINISTRY_ADMIN_ROLES
from pintu.access.selectors import ministry_role_holds
from pintu.national.errors import HolidayInvalid, MinistryAdminRequired, TemplateInvalid
from pintu.national.models import CatalogTemplate, NationalHoliday

log = logging.getLogger(__name__)

# Joint leave days (cuti bersama) written down from the joint decree of three
# ministers (SKB Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB) for
# 2026. The `holidays` package carries them too; this list makes sure they are
# there even when an older package does not.
JOINT_LEAVE_DECREES: dict[int, list[tuple[dt.date, str]]] = {
    2026: [
        (dt.date(2026, 2, 16), "Cuti Bersama Tahun Baru Imlek"),
        (dt.date(2026, 3, 18), "Cuti Bersama Hari Suci Nyepi"),
        (dt.date(2026, 3, 20), "Cuti Bersama Hari Raya Idul Fitri"),
        (dt.date(2026, 3, 23), "Cuti Bersama Hari Raya Idul Fitri"),
        (dt.date(2026, 3, 24), "Cuti Bersama Hari Raya Idul Fitri"),
        (dt.date(2026, 5, 15), "Cuti Bersama Kenaikan Yesus Kristus"),
        (dt.date(2026, 5, 28), "Cuti Bersama Hari Raya Idul Adha"),
        (dt.date(2026, 12, 24), "Cuti Bersama Hari Raya Natal"),
    ],
}


if TYPE_CHECKING:
    from pintu.identity.models import User


def _ministry_admin_check(actor: User | None) -> None:
    if actor is None:  # system seeding (management commands)
        return
    if not ministry_role_holds(user=actor, roles=MINISTRY_ADMIN_ROLES):
        raise MinistryAdminRequired()


def _kind_of(name: str) -> str:
    return NationalHoliday.Kind.JOINT_LEAVE if "cuti bersama" in name.lower() else NationalHoliday.Kind.HOLIDAY


@transaction.atomic
def national_holidays_seed(*, years: list[int]) -> int:
    """Fill the national calendar for `years` from the `holidays` package and the written decrees.

    Days a ministry administrator already edited are left as they are. Returns
    the number of days created.
    """
    created = 0
    calendar = holidays.Indonesia(years=years, categories=holidays.Indonesia.supported_categories, language="id")
    days: dict[dt.date, tuple[str, str]] = {}
    for day, name in sorted(calendar.items()):
        days[day] = (name.split(";")[0].strip(), NationalHoliday.Source.PACKAGE)
    for year in years:
        for day, name in JOINT_LEAVE_DECREES.get(year, []):
            days.setdefault(day, (name, NationalHoliday.Source.DECREE))
    for day, (name, source) in days.items():
        _, was_created = NationalHoliday.objects.get_or_create(
            date=day, defaults={"name": name[:160], "kind": _kind_of(name), "source": source}
        )
        created += was_created
    return created


@transaction.atomic
def national_holiday_set(*, date: dt.date, name: str, kind: str, actor: User | None = None) -> NationalHoliday:
    """Add or change one national day off (ministry administrators)."""
    _ministry_admin_check(actor)
    name = (name or "").strip()
    if not name:
        raise HolidayInvalid(gettext("Nama hari libur wajib diisi."), field="name")
    if kind not in NationalHoliday.Kind.values:
        raise HolidayInvalid(gettext("Jenis hari libur '%(kind)s' tidak dikenal.") % {"kind": kind}, field="kind")
    holiday, _ = NationalHoliday.objects.update_or_create(
        date=date, defaults={"name": name[:160], "kind": kind, "source": NationalHoliday.Source.MINISTRY,
                             "updated_by": actor},
    )
    log.info("national holiday %s set by %s", date, getattr(actor, "pk", None))
    return holiday


@transaction.atomic
def national_holiday_remove(*, date: dt.date, actor: User | None = None) -> bool:
    """Make a day a working day again nationally (e.g. a decree moved a joint leave day)."""
    _ministry_admin_check(actor)
    deleted, _ = NationalHoliday.objects.filter(date=date).delete()
    return bool(deleted)


_TEMPLATE_KEYS = {"permit_type", "requirements", "form_fields", "sop"}


@transaction.atomic
def catalog_template_publish(*, code: str, name: str, data: dict, summary: str = "", actor: User | None = None) -> CatalogTemplate:
    """Publish (or republish, bumping the version) a national catalog template."""
    _ministry_admin_check(actor)
    if not isinstance(data, dict) or not _TEMPLATE_KEYS <= set(data):
        raise TemplateInvalid(
            gettext("Templat harus memuat jenis izin, persyaratan, formulir dan SOP "
                    "(permit_type, requirements, form_fields, sop)."), field="data"
        )
    template = CatalogTemplate.objects.select_for_update().filter(code=code).first()
    if template is None:
        return CatalogTemplate.objects.create(code=code, name=name, summary=summary, data=data, published_by=actor)
    if template.data != data or template.name != name or template.summary != summary or not template.is_published:
        template.version += 1
        template.name, template.summary, template.data = name, summary, data
        template.is_published, template.published_by = True, actor
        template.save()
    return template


@transaction.atomic
def catalog_template_withdraw(*, template: CatalogTemplate, actor: User | None = None) -> CatalogTemplate:
    """Stop offering a template; copies regencies adopted stay theirs."""
    _ministry_admin_check(actor)
    template.is_published = False
    template.save(update_fields=["is_published", "updated_at"])
    return template
