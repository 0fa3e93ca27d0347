"""Writes about signing authority: positions and their holders, delegation rules, acting officials."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from permits.documents.text import date_id
from permits.errors import ActingOverlap, DelegationOverlap, PositionInUse
from permits.models import ActingOfficial, Delegation, PermitType, Position
from permits.services._common import Errors, full_clean_into, record_delete, record_save
from pintu.access.models import Membership, Role
from pintu.access.services import membership_grant
from pintu.audit.services import audit_record

if TYPE_CHECKING:
    from pintu.identity.models import User
    from pintu.storage.services import Upload

POSITION_FIELDS = {"code", "name", "kind", "holder", "official_name", "official_nip", "official_title"}
DELEGATION_FIELDS = {"from_position", "to_position", "applies_to_all", "legal_basis_number", "legal_basis_date",
                     "legal_basis_file", "valid_from", "valid_until"}
ACTING_FIELDS = {"position", "user", "kind", "decree_number", "nip", "valid_from", "valid_until"}


def _fmt(day: dt.date | None) -> str:
    return date_id(day) if day else "seterusnya"


def _dates_overlap(q_from: dt.date, q_until: dt.date | None) -> Q:
    """Rows whose [valid_from, valid_until] meets [q_from, q_until] (None = open-ended)."""
    q = Q(valid_until__isnull=True) | Q(valid_until__gte=q_from)
    if q_until is not None:
        q &= Q(valid_from__lte=q_until)
    return q


# --- Positions -------------------------------------------------------------


def _new_position_check(position: Position) -> None:
    errors = Errors()
    full_clean_into(position, errors)
    if position.kind == Position.Kind.REGIONAL_HEAD and "kind" not in errors.fields and \
            Position.objects.filter(kind=Position.Kind.REGIONAL_HEAD).exists():
        errors.add("kind", "regional_head_exists", gettext("Jabatan kepala daerah (Bupati/Walikota) sudah ada."))
    errors.raise_if_any()


@transaction.atomic
def position_create(*, actor: User | None = None, **values: Any) -> Position:
    return record_save(Position(), values, POSITION_FIELDS, actor=actor, action="position.create",
                       check=_new_position_check, detail=lambda p: {"code": p.code, "holder": p.holder_id})


@transaction.atomic
def position_update(*, position: Position, actor: User | None = None, **values: Any) -> Position:
    """Change a post, e.g. a new holder after an appointment (pelantikan)."""
    return record_save(position, values, POSITION_FIELDS, actor=actor, action="position.update",
                       detail=lambda p: {"changed": sorted(values), "holder": p.holder_id})


@transaction.atomic
def position_delete(*, position: Position, actor: User | None = None) -> None:
    if Delegation.objects.filter(Q(from_position=position) | Q(to_position=position)).exists():
        raise PositionInUse(gettext("Jabatan %(name)s masih dipakai oleh pelimpahan wewenang; hapus pelimpahannya dulu.")
                            % {"name": position.name})
    record_delete(position, actor=actor, action="position.delete", detail={"code": position.code})


# --- Delegation rules ------------------------------------------------------


def _delegation_check(delegation: Delegation, permit_types: list[PermitType]) -> None:
    errors = Errors()
    full_clean_into(delegation, errors)
    if delegation.from_position_id and delegation.from_position_id == delegation.to_position_id:
        errors.add("to_position", "same_position", gettext("Wewenang tidak dapat dilimpahkan kepada jabatan yang sama."))
    if delegation.valid_from and delegation.valid_until and delegation.valid_until < delegation.valid_from:
        errors.add("valid_until", "ends_before_start", gettext("Tanggal akhir berlaku tidak boleh sebelum tanggal mulai."))
    if not delegation.applies_to_all and not permit_types:
        errors.add("permit_types", "scope_required", gettext("Pilih jenis izin yang dilimpahkan, atau pilih semua jenis izin."))
    errors.raise_if_any()
    # Overlap: the same post handing the same permit type on the same day twice would make authority ambiguous.
    Position.objects.select_for_update().filter(pk=delegation.from_position_id).first()
    others = (Delegation.objects.filter(from_position_id=delegation.from_position_id)
              .filter(_dates_overlap(delegation.valid_from, delegation.valid_until))
              .exclude(pk=delegation.pk).prefetch_related("permit_types"))
    wanted = {p.pk for p in permit_types}
    for other in others:
        theirs = {p.pk for p in other.permit_types.all()}
        if delegation.applies_to_all or other.applies_to_all or wanted & theirs:
            both = {p.name for p in permit_types if p.pk in theirs}
            scope = gettext("semua jenis izin") if (delegation.applies_to_all or other.applies_to_all) else ", ".join(sorted(both))
            raise DelegationOverlap.one(
                "valid_from", "delegation_overlap",
                gettext("Bertumpang tindih dengan pelimpahan %(legal_basis_number)s (%(fmt)s s.d. %(fmt2)s) dari "
                        "jabatan yang sama untuk %(scope)s. Akhiri pelimpahan lama lebih dulu atau ubah tanggalnya.")
                % {"legal_basis_number": other.legal_basis_number, "fmt": _fmt(other.valid_from),
                   "fmt2": _fmt(other.valid_until), "scope": scope},
            )


def _delegation_save(delegation: Delegation, permit_types: list[PermitType], values: dict, *, actor: User | None,
                     action: str) -> Delegation:
    return record_save(delegation, values, DELEGATION_FIELDS, actor=actor, action=action,
                       check=lambda d: _delegation_check(d, permit_types), detail=_delegation_detail,
                       then=lambda d: d.permit_types.set(permit_types))


@transaction.atomic
def delegation_create(*, permit_types: list[PermitType] | None = None, actor: User | None = None,
                      **values: Any) -> Delegation:
    """Record a regulation delegating signing authority (e.g. Perbup: Bupati -> Kepala DPMPTSP)."""
    return _delegation_save(Delegation(), list(permit_types or []), values, actor=actor, action="delegation.create")


@transaction.atomic
def delegation_update(*, delegation: Delegation, permit_types: list[PermitType] | None = None,
                      actor: User | None = None, **values: Any) -> Delegation:
    if permit_types is None:
        permit_types = list(delegation.permit_types.all())
    return _delegation_save(delegation, list(permit_types), values, actor=actor, action="delegation.update")


@transaction.atomic
def delegation_legal_basis_attach(*, delegation: Delegation, file: Upload, actor: User | None = None) -> Delegation:
    """Keep the scanned regulation (PDF/JPG/PNG, checked by content) with its delegation rule."""
    from pintu.storage.services import document_store

    stored = document_store(file=file, kind="delegation", allowed_types=["pdf", "jpg", "png"])
    delegation.legal_basis_file = stored.key
    delegation.save(update_fields=["legal_basis_file"])
    audit_record(actor=actor, action="delegation.legal_basis_attach", target=delegation,
                 detail={"key": stored.key, "sha256": stored.sha256})
    return delegation


@transaction.atomic
def delegation_end(*, delegation: Delegation, on: dt.date, actor: User | None = None) -> Delegation:
    """End a rule on a date (a regulation revoked), keeping the record the old decisions point to."""
    return delegation_update(delegation=delegation, valid_until=on, actor=actor)


@transaction.atomic
def delegation_delete(*, delegation: Delegation, actor: User | None = None) -> None:
    record_delete(delegation, actor=actor, action="delegation.delete", detail=_delegation_detail(delegation))


def _delegation_detail(delegation: Delegation) -> dict:
    return {
        "from": delegation.from_position_id, "to": delegation.to_position_id,
        "all": delegation.applies_to_all, "permit_types": sorted(delegation.permit_types.values_list("code", flat=True)),
        "legal_basis": delegation.legal_basis_number, "valid_from": delegation.valid_from,
        "valid_until": delegation.valid_until,
    }


# --- Acting officials (Plh / Plt) ------------------------------------------


def _acting_check(acting: ActingOfficial, *, grant_signing_role: bool = True) -> None:
    errors = Errors()
    full_clean_into(acting, errors)
    if acting.user_id and not grant_signing_role and not Membership.objects.filter(
            user_id=acting.user_id, role=Role.SIGNING_OFFICIAL, is_active=True).exists():
        errors.add("user", "acting_not_signer",
                   gettext("Pelaksana ini belum memegang peran pejabat penandatangan di daerah ini: centang "
                           "\"beri peran pejabat penandatangan\" atau berikan perannya di halaman Petugas."))
    if acting.valid_from and acting.valid_until and acting.valid_until < acting.valid_from:
        errors.add("valid_until", "ends_before_start", gettext("Tanggal akhir tidak boleh sebelum tanggal mulai."))
    if acting.kind == ActingOfficial.Kind.PLH and not acting.valid_until:
        errors.add("valid_until", "plh_needs_end",
                   gettext("Plh menggantikan pejabat yang berhalangan sementara: isi sampai tanggal berapa."))
    if acting.kind == ActingOfficial.Kind.PLH and acting.position_id and acting.position.holder_id is None \
            and not acting.position.official_name:
        errors.add("kind", "plh_needs_holder", gettext("Jabatan ini kosong: tunjuk Plt (pelaksana tugas), bukan Plh."))
    if acting.user_id and acting.position_id and acting.user_id == acting.position.holder_id:
        errors.add("user", "acting_is_holder", gettext("Pelaksana tidak boleh pejabat itu sendiri."))
    errors.raise_if_any()
    Position.objects.select_for_update().filter(pk=acting.position_id).first()
    other = (ActingOfficial.objects.filter(position_id=acting.position_id)
             .filter(_dates_overlap(acting.valid_from, acting.valid_until)).exclude(pk=acting.pk).first())
    if other is not None:
        raise ActingOverlap.one(
            "valid_from", "acting_overlap",
            gettext("Sudah ada %(value)s untuk jabatan ini (%(fmt)s s.d. %(fmt2)s).")
            % {"value": other.get_kind_display().split(' (')[0], "fmt": _fmt(other.valid_from), "fmt2": _fmt(other.valid_until)},
        )


def _signing_role_give(acting: ActingOfficial, actor: User | None, grant: bool | None) -> None:
    if grant:
        membership_grant(user=acting.user, role=Role.SIGNING_OFFICIAL, granted_by=actor)


@transaction.atomic
def acting_official_create(*, actor: User | None = None, grant_signing_role: bool | None = None,
                           **values: Any) -> ActingOfficial:
    """Appoint a Plh (holder away) or Plt (post vacant) for a post, for a period.

    The acting official must hold the signing role here, or be given it with the appointment
    (`grant_signing_role`); None keeps the older callers' behaviour of not checking it."""
    acting = record_save(ActingOfficial(), values, ACTING_FIELDS, actor=actor, action="acting.create",
                         check=lambda a: _acting_check(a, grant_signing_role=grant_signing_role is not False),
                         detail=lambda a: {"position": a.position_id, "user": a.user_id, "kind": a.kind,
                                           "from": a.valid_from, "until": a.valid_until})
    _signing_role_give(acting, actor, grant_signing_role)
    return acting


@transaction.atomic
def acting_official_update(*, acting: ActingOfficial, actor: User | None = None,
                           grant_signing_role: bool | None = None, **values: Any) -> ActingOfficial:
    acting = record_save(acting, values, ACTING_FIELDS, actor=actor, action="acting.update",
                         check=lambda a: _acting_check(a, grant_signing_role=grant_signing_role is not False),
                         detail=lambda a: {"changed": sorted(values)})
    _signing_role_give(acting, actor, grant_signing_role)
    return acting


@transaction.atomic
def acting_official_delete(*, acting: ActingOfficial, actor: User | None = None) -> None:
    record_delete(acting, actor=actor, action="acting.delete", detail={"position": acting.position_id})


