"""Writes to the regency's agencies (OPD): the list technical-team roles and SOP steps pick from.

Memberships, SOP steps (of every version) and open tasks carry the agency's name, which the worklists
and "who may act" match on; a rename therefore renames it everywhere in one transaction, so steps in
use keep finding their officers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext

from permits.models import SopStep, StepTask
from pintu.access.errors import OfficerInvalid
from pintu.access.models import Agency, Membership
from pintu.audit.services import audit_record

if TYPE_CHECKING:
    from pintu.identity.models import User


def _check(*, code: str, name: str, agency: Agency | None) -> tuple[str, str]:
    from django.utils.text import slugify

    code, name = slugify(code or "").strip(), " ".join((name or "").split())
    fields: dict[str, list[dict]] = {}
    if not name:
        fields["name"] = [{"code": "required", "message": gettext("Nama instansi wajib diisi, mis. Dinas Kesehatan.")}]
    if not code:
        fields["code"] = [{"code": "required", "message": gettext("Kode instansi wajib diisi, mis. dinkes.")}]
    others = Agency.objects.exclude(pk=getattr(agency, "pk", None))
    if name and others.filter(name__iexact=name).exists():
        fields.setdefault("name", []).append({"code": "duplicate", "message": gettext("Instansi %(name)s sudah ada.") % {"name": name}})
    if code and others.filter(code=code).exists():
        fields.setdefault("code", []).append({"code": "duplicate", "message": gettext("Kode %(code)s sudah dipakai.") % {"code": code}})
    if len(name) > 120 or len(code) > 40:
        fields.setdefault("name", []).append({"code": "too_long", "message": gettext("Nama paling banyak 120 huruf, kode 40.")})
    if fields:
        raise OfficerInvalid(gettext("Data instansi belum benar."), fields=fields)
    return code, name


@transaction.atomic
def agency_create(*, code: str, name: str, actor: User | None) -> Agency:
    """Record an agency (OPD) of this regency, e.g. dinkes — Dinas Kesehatan."""
    code, name = _check(code=code, name=name, agency=None)
    agency = Agency.objects.create(code=code, name=name)
    audit_record(actor=actor, action="agency.create", target=agency, detail={"code": code, "name": name})
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, code: str, name: str, actor: User | None) -> Agency:
    """Rename an agency: its officers, SOP steps and open tasks follow in the same transaction."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    code, name = _check(code=code, name=name, agency=agency)
    old = agency.name
    agency.code, agency.name = code, name
    agency.save(update_fields=["code", "name"])
    moved = {}
    if old != name:
        moved = {"memberships": Membership.objects.filter(agency=old).update(agency=name),
                 "steps": SopStep.objects.filter(agency=old).update(agency=name),
                 "tasks": StepTask.objects.filter(agency=old).update(agency=name)}
    audit_record(actor=actor, action="agency.update", target=agency,
                 detail={"code": code, "from": old, "to": name, **moved})
    return agency


@transaction.atomic
def agency_delete(*, agency: Agency, actor: User | None) -> None:
    if Membership.objects.filter(agency=agency.name).exists() or SopStep.objects.filter(agency=agency.name).exists():
        raise OfficerInvalid.one("agency", "agency_in_use",
                                 gettext("Instansi %(name)s masih dipakai petugas atau langkah SOP; ubah itu dulu.")
                                 % {"name": agency.name})
    audit_record(actor=actor, action="agency.delete", target=agency, detail={"code": agency.code, "name": agency.name})
    agency.delete()
