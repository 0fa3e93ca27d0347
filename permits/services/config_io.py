"""A regency's whole configuration as one readable YAML file, and back into another regency.

Imports merge by natural keys (permit type code, requirement name, form field
key, position code, ...): entries in the file are created or updated, a permit
type's requirements and form fields not in the file are removed, and things the
file does not mention stay. An import runs in one transaction: a bad entry
changes nothing, and a dry run does the whole import and rolls it back, so its
list of changes is exactly what a real run would do.

A file may come from another regency, so an import never carries that regency's people or
local days into this one: a position holder or an acting official who is not a member of the
importing regency is left out (said in the report's notes), and local holidays are only taken
from the regency's own file. Notes are not changes: a re-import of the same file reports none.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from permits.errors import ConfigImportInvalid
from permits.models import ActingOfficial, Delegation, FormField, LocalHoliday, PermitType, Position, Requirement, Sop
from permits.regency import current_regency
from permits.services import calendar as calendar_services
from permits.services import catalog as catalog_services
from permits.services import delegation as delegation_services
from permits.services import workflow as workflow_services
from pintu.access.selectors import officer_users
from pintu.errors import DomainError
from pintu.identity.models import User

FORMAT = "pintu-config"
FORMAT_VERSION = 1
_PT_EXPORT = [
    "code", "name", "description", "legal_basis", "is_active", "is_online", "sla_working_days", "validity_months",
    "validity_capped_by",
    "is_renewable", "levy_amount", "levy_regulation_number", "levy_regulation_year", "levy_regulation_article",
    "number_format", "number_counter_key", "is_fiktif_positif", "letter_title", "letter_body",
    "letter_signature_block",
]
_REQ_EXPORT = ["name", "help_text", "allowed_types", "max_size_kb", "is_mandatory", "applies_to",
               "is_obtainable_from_agency", "accepts_photo_as_pdf"]
_FIELD_EXPORT = ["key", "label", "kind", "choices", "is_required", "help_text"]


# --- Export ----------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def permit_type_data(permit_type: PermitType) -> dict:
    """One permit type with its requirements, form and SOP (in force and draft), as plain data."""
    pt = {name: getattr(permit_type, name) for name in _PT_EXPORT}
    pt["levy_amount"] = f"{permit_type.levy_amount:.2f}"
    sops = {s.status: s for s in permit_type.sops.all() if s.status != Sop.Status.RETIRED}
    entry = {
        "permit_type": pt,
        "requirements": [{n: getattr(r, n) for n in _REQ_EXPORT} for r in permit_type.requirements.all()],
        "form_fields": [{n: getattr(f, n) for n in _FIELD_EXPORT} for f in permit_type.form_fields.all()],
        "sop": _sop_data(sops.get(Sop.Status.PUBLISHED)),
    }
    if Sop.Status.DRAFT in sops:
        entry["sop_draft"] = _sop_data(sops[Sop.Status.DRAFT])
    return entry


def _sop_data(sop: Sop | None) -> dict | None:
    if sop is None:
        return None
    return {"note": sop.note, "steps": [workflow_services.step_as_dict(s) for s in sop.steps.all()]}


def config_export() -> dict:
    """The current regency's whole configuration as plain data (see config_export_yaml)."""
    from django.db.models import Prefetch

    from permits.models import SopStep

    regency = current_regency()
    permit_types = PermitType.objects.order_by("code").prefetch_related(
        Prefetch("requirements", queryset=Requirement.objects.order_by("order", "pk")),
        Prefetch("form_fields", queryset=FormField.objects.order_by("order", "pk")),
        Prefetch("sops", queryset=Sop.objects.prefetch_related(
            Prefetch("steps", queryset=SopStep.objects.order_by("order")))),
    )
    positions = Position.objects.select_related("holder").order_by("code")
    delegations = (Delegation.objects.select_related("from_position", "to_position").prefetch_related("permit_types")
                   .order_by("valid_from", "from_position__code", "legal_basis_number"))
    acting = ActingOfficial.objects.select_related("position", "user").order_by("position__code", "valid_from")
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_from": {"code": getattr(regency, "code", None), "name": getattr(regency, "name", None)},
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "permit_types": [permit_type_data(pt) for pt in permit_types],
        "positions": [{"code": p.code, "name": p.name, "kind": p.kind, "holder": p.holder.email if p.holder else None}
                      for p in positions],
        "delegations": [{
            "from": d.from_position.code, "to": d.to_position.code, "applies_to_all": d.applies_to_all,
            "permit_types": sorted(pt.code for pt in d.permit_types.all()),
            "legal_basis_number": d.legal_basis_number, "legal_basis_date": _iso(d.legal_basis_date),
            "legal_basis_file": d.legal_basis_file.name or "",
            "valid_from": _iso(d.valid_from), "valid_until": _iso(d.valid_until),
        } for d in delegations],
        "acting_officials": [{
            "position": a.position.code, "user": a.user.email, "kind": a.kind, "decree_number": a.decree_number,
            "valid_from": _iso(a.valid_from), "valid_until": _iso(a.valid_until),
        } for a in acting],
        "local_holidays": [{"date": _iso(h.date), "name": h.name} for h in LocalHoliday.objects.order_by("date")],
    }


def config_export_yaml() -> str:
    import yaml  # here, not at start-up (the admin pages' URLconf imports this module)

    return yaml.safe_dump(config_export(), allow_unicode=True, sort_keys=False, width=110)


# --- Import ----------------------------------------------------------------


@dataclass
class ImportReport:
    dry_run: bool
    changes: list[str] = field(default_factory=list)
    #: what the import left out or mapped on purpose (foreign people, foreign local holidays); not changes
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


# Position codes of the file mapped onto this regency's own (its regional head), for one import.
_aliases: dict[str, str] = {}
# What the running import left out on purpose (see ImportReport.notes), for one import.
_notes: list[str] = []


class _RollBack(Exception):
    pass


@contextlib.contextmanager
def _at(path: str) -> Iterator[None]:
    """Name the entry a refusal came from: `permit_types[2] (pbg).requirements[0]: ...`."""
    try:
        yield
    except ConfigImportInvalid:
        raise
    except DomainError as exc:
        raise ConfigImportInvalid(f"{path}: {exc.message}", path=path, cause=exc.code,
                                  fields=exc.detail.get("fields", {})) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigImportInvalid(gettext("%(path)s: isian tidak lengkap atau salah bentuk (%(exc)s).")
                                  % {"path": path, "exc": exc}, path=path) from None


def _date(value: object, path: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ConfigImportInvalid(gettext("%(path)s: tanggal wajib diisi.") % {"path": path}, path=path)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigImportInvalid(gettext("%(path)s: '%(value)s' bukan tanggal (format TTTT-BB-HH).")
                                  % {"path": path, "value": value}, path=path) from None


def _officer(email: str | None) -> User | None:
    """The active officer of this regency with that e-mail, else None. Unknown accounts and other
    regencies' people get the same answer, so an import is no way to learn who has an account."""
    if not email:
        return None
    return officer_users().filter(email__iexact=str(email).strip()).first()


def _is_own_file(data: dict) -> bool:
    """Whether the file was exported from the importing regency itself (a restore, not a share)."""
    regency = current_regency()
    source = data.get("exported_from") or {}
    return bool(getattr(regency, "code", None)) and isinstance(source, dict) and source.get("code") == regency.code


def _list(data: dict, key: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ConfigImportInvalid(gettext("%(key)s: harus berupa daftar.") % {"key": key}, path=key)
    return value


def config_parse(source: str | bytes | dict) -> dict:
    import yaml

    if isinstance(source, dict):
        return source
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (baris {mark.line + 1})" if mark else ""
        raise ConfigImportInvalid(gettext("Berkas tidak dapat dibaca sebagai YAML%(where)s.") % {"where": where}) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigImportInvalid(gettext("Berkas ini bukan ekspor konfigurasi Pintu (format: pintu-config)."))
    if data.get("version") != FORMAT_VERSION:
        raise ConfigImportInvalid(gettext("Versi berkas %(get)s tidak didukung (harus %(FORMAT_VERSION)s).")
                                  % {"get": data.get('version'), "FORMAT_VERSION": FORMAT_VERSION})
    return data


def config_import(*, source: str | bytes | dict, dry_run: bool = False, actor: User | None = None) -> ImportReport:
    """Bring a configuration file into the current regency; all of it or (on any error) none of it."""
    data = config_parse(source)
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _import(data, report.changes, actor)
            report.notes = list(_notes)
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    return report


def _import(data: dict, changes: list[str], actor: User) -> None:
    _aliases.clear()
    _notes.clear()
    holidays = _list(data, "local_holidays")
    if holidays and not _is_own_file(data):
        source = (data.get("exported_from") or {}).get("name") or "daerah lain"
        _notes.append(f"! {len(holidays)} hari libur daerah dari {source} tidak diimpor: "
                      "hari libur daerah hanya berlaku di daerahnya sendiri")
        data = dict(data, local_holidays=[])
    sections = [  # in this order: delegations name positions and permit types
        ("positions", lambda raw: raw.get("code"), _position_apply),
        ("permit_types", lambda raw: (raw.get("permit_type") or {}).get("code"),
         lambda raw, changes, actor, path: permit_type_apply(raw, changes=changes, actor=actor, path=path)),
        ("delegations", lambda raw: raw.get("legal_basis_number"), _delegation_apply),
        ("acting_officials", lambda raw: raw.get("position"), _acting_apply),
        ("local_holidays", lambda raw: raw.get("date"), _holiday_apply),
    ]
    for name, label, apply in sections:
        for i, raw in enumerate(_list(data, name)):
            path = f"{name}[{i}] ({label(raw) if isinstance(raw, dict) else '?'})"
            with _at(path):
                apply(raw, changes, actor, path)


def _upsert(existing: Any, values: dict, *, create: Callable[..., Any], update: Callable[..., Any],
            changes: list[str], added: Callable[[object], str],
            changed: Callable[[list[str]], str | None], force: bool = False) -> Any:
    """Create the row when there is none; otherwise update only the values that differ; note each change."""
    if existing is None:
        created = create(**values)
        changes.append(added(created))
        return created
    diff = [k for k, v in values.items() if getattr(existing, k) != v]
    if diff or force:
        update(existing, **{k: values[k] for k in diff})
        note = changed(diff)
        if note:
            changes.append(note)
    return existing


def _holiday_apply(raw: dict, changes: list[str], actor: User, path: str) -> None:
    day = _date(raw.get("date"), path)
    _upsert(LocalHoliday.objects.filter(date=day).first(), {"date": day, "name": raw.get("name", "")},
            create=lambda **v: calendar_services.local_holiday_create(actor=actor, **v),
            update=lambda h, **v: calendar_services.local_holiday_update(holiday=h, actor=actor, **v),
            changes=changes, added=lambda h: f"+ hari libur daerah {day.isoformat()} {h.name}",
            changed=lambda diff: f"~ hari libur daerah {day.isoformat()}: nama diubah")


def _position_apply(raw: dict, changes: list[str], actor: User, path: str) -> None:
    values = {"code": raw["code"], "name": raw["name"], "kind": raw.get("kind", Position.Kind.OTHER),
              "holder": _officer(raw.get("holder"))}
    existing = Position.objects.filter(code=values["code"]).first()
    if raw.get("holder") and values["holder"] is None:
        # Another regency's official never signs here: leave the holder to this regency's administrator.
        values["holder"] = existing.holder if existing is not None else None
        now = f"tetap {values['holder'].email}" if values["holder"] else "dibiarkan kosong"
        _notes.append(f"! jabatan {values['code']}: pemegang {now} ('{raw.get('holder')}' bukan petugas aktif di "
                      "daerah ini; pemegangnya ditetapkan oleh administrator daerah ini)")
    if existing is None and values["kind"] == Position.Kind.REGIONAL_HEAD:
        # Another regency's Bupati/Walikota is this regency's own regional head: map, don't duplicate.
        head = Position.objects.filter(kind=Position.Kind.REGIONAL_HEAD).first()
        if head is not None:
            _aliases[values["code"]] = head.code
            _notes.append(f"= jabatan {values['code']} dipetakan ke {head.code} ({head.name}), kepala daerah di sini")
            return
    before = {k: getattr(existing, k) for k in values} if existing is not None else {}
    _upsert(existing, values, changes=changes,
            create=lambda **v: delegation_services.position_create(actor=actor, **v),
            update=lambda p, **v: delegation_services.position_update(position=p, actor=actor, **v),
            added=lambda p: f"+ jabatan {values['code']} ({values['name']})",
            changed=lambda diff: f"~ jabatan {values['code']}: " + "; ".join(
                f"{_POSITION_LABELS.get(k, k)} {_shown(before[k])} -> {_shown(values[k])}" for k in diff))


_POSITION_LABELS = {"name": "nama", "kind": "jenis", "holder": "pemegang"}


def _shown(value: object) -> str:
    """A value as the dry run names it: an account by its e-mail, nothing as 'kosong'."""
    if value in (None, ""):
        return "kosong"
    return value.email if isinstance(value, User) else f"'{value}'"


def _permit_type_values(raw: dict) -> dict:
    values = {k: v for k, v in raw.items() if k in catalog_services.PERMIT_TYPE_FIELDS}
    if "levy_amount" in values:
        try:
            values["levy_amount"] = Decimal(str(values["levy_amount"] or "0")).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ConfigImportInvalid(gettext("retribusi '%(levy_amount)s' bukan angka.")
                                      % {"levy_amount": values['levy_amount']}) from None
    return values


def permit_type_apply(entry: dict, *, changes: list[str], actor: User | None = None, path: str = "", create_only: bool = False,
                      publish_sop: bool = True) -> PermitType:
    """Create or update one permit type with its requirements, form and SOP from plain data."""
    raw = entry["permit_type"]
    try:
        values = _permit_type_values(raw)
    except ConfigImportInvalid as exc:
        raise ConfigImportInvalid(f"{path}: {exc.message}", path=path) from None
    # The date field that caps validity is set once the form holds it (it names one of its fields).
    cap = values.pop("validity_capped_by", None)
    existing = PermitType.objects.filter(code=str(values.get("code", "")).strip().lower()).first()
    if existing is not None and create_only:
        raise catalog_services.PermitTypeCodeTaken.one(
            "code", "code_taken", gettext("Kode jenis izin '%(code)s' sudah dipakai di daerah ini.") % {"code": existing.code})
    permit_type = _upsert(
        existing, values, changes=changes,
        create=lambda **v: catalog_services.permit_type_create(actor=actor, **v),
        update=lambda pt, **v: catalog_services.permit_type_update(permit_type=pt, actor=actor, **v),
        added=lambda pt: f"+ jenis izin {pt.code} ({pt.name})",
        changed=lambda diff: f"~ jenis izin {existing.code}: {', '.join(sorted(diff))} diubah")
    code = permit_type.code

    # Requirements matched by name, form fields by key; the file's order wins; those not in the file go.
    for kind in _CHILDREN:
        _children_apply(kind, entry.get(kind), permit_type=permit_type, actor=actor, path=f"{path}.{kind}",
                        changes=changes)
    if cap is not None and cap != permit_type.validity_capped_by:
        with _at(f"{path}.permit_type.validity_capped_by"):
            catalog_services.permit_type_update(permit_type=permit_type, actor=actor, validity_capped_by=cap)
        changes.append(f"~ jenis izin {code}: validity_capped_by diubah")

    # SOP: a new version only when the steps differ from the one in force.
    from permits.selectors.workflow import sop_in_force

    sop_data = entry.get("sop")
    if sop_data:
        with _at(f"{path}.sop"):
            in_force = sop_in_force(permit_type)
            steps = sop_data.get("steps") or []
            if in_force is None or _steps_of(in_force) != workflow_services._steps_clean(copy.deepcopy(steps)):
                draft = workflow_services.sop_steps_set(
                    sop=in_force or workflow_services.sop_revise(permit_type=permit_type, actor=actor),
                    steps=steps, note=sop_data.get("note", ""), actor=actor)
                if publish_sop:
                    workflow_services.sop_publish(sop=draft, actor=actor)
                    changes.append(f"~ {code}: SOP versi {draft.version} diberlakukan ({len(steps)} langkah)")
                else:
                    changes.append(f"~ {code}: draf SOP versi {draft.version} ({len(steps)} langkah)")
    draft_data = entry.get("sop_draft")
    if draft_data:
        with _at(f"{path}.sop_draft"):
            draft = Sop.objects.filter(permit_type=permit_type, status=Sop.Status.DRAFT).first()
            if draft is None or _steps_of(draft) != workflow_services._steps_clean(copy.deepcopy(draft_data["steps"])):
                draft = workflow_services.sop_steps_set(
                    sop=draft or workflow_services.sop_revise(permit_type=permit_type, actor=actor),
                    steps=draft_data.get("steps") or [], note=draft_data.get("note", ""), actor=actor)
                changes.append(f"~ {code}: draf SOP versi {draft.version}")
    return permit_type


#: A permit type's children in the file: the key they are matched by, their name in the list of changes,
#: the fields the services take, the services' name and the keyword they take the record by.
_CHILDREN = {
    "requirements": ("name", "persyaratan", catalog_services.REQUIREMENT_FIELDS, "requirement", "requirement"),
    "form_fields": ("key", "isian", catalog_services.FORM_FIELD_FIELDS, "form_field", "field"),
}


def _children_apply(kind: str, rows: list[dict], *, permit_type: PermitType, actor: User, path: str, changes: list[str]) -> None:
    key, label, allowed, service, keyword = _CHILDREN[kind]
    create, update, delete = (getattr(catalog_services, f"{service}_{verb}") for verb in ("create", "update", "delete"))
    current = {getattr(item, key): item for item in getattr(permit_type, kind).all()}
    code, wanted = permit_type.code, []
    for i, row in enumerate(rows or []):
        values = {k: v for k, v in row.items() if k in allowed}
        values["order"] = i + 1
        name = values.get(key, "")
        wanted.append(name)
        with _at(f"{path}[{i}] ({name})"):
            _upsert(current.get(name), values, changes=changes,
                    create=lambda **v: create(permit_type=permit_type, actor=actor, **v),
                    update=lambda item, **v: update(**{keyword: item}, actor=actor, **v),
                    added=lambda _: f"+ {code}: {label} '{name}'",
                    changed=lambda diff: None if diff == ["order"] else f"~ {code}: {label} '{name}' diubah")
    for name, item in current.items():
        if name not in wanted:
            delete(**{keyword: item}, actor=actor)
            changes.append(f"- {code}: {label} '{name}'")


def _steps_of(sop: Sop) -> list[dict]:
    return [workflow_services.step_as_dict(s) for s in sop.steps.order_by("order")]


def _delegation_apply(raw: dict, changes: list[str], actor: User, path: str) -> None:
    raw = dict(raw, **{end: _aliases.get(raw.get(end), raw.get(end)) for end in ("from", "to")})
    positions = {p.code: p for p in Position.objects.filter(code__in=[raw.get("from"), raw.get("to")])}
    for end in ("from", "to"):
        if raw.get(end) not in positions:
            raise ConfigImportInvalid(gettext("%(path)s: jabatan '%(get)s' tidak ada.") % {"path": path, "get": raw.get(end)}, path=path)
    codes = list(raw.get("permit_types") or [])
    permit_types = list(PermitType.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {p.code for p in permit_types})
    if missing:
        raise ConfigImportInvalid(gettext("%(path)s: jenis izin %(join)s tidak ada.")
                                  % {"path": path, "join": ', '.join(missing)}, path=path)
    values = {
        "from_position": positions[raw["from"]], "to_position": positions[raw["to"]],
        "applies_to_all": bool(raw.get("applies_to_all")), "legal_basis_number": raw.get("legal_basis_number", ""),
        "legal_basis_date": _date(raw.get("legal_basis_date"), f"{path}.legal_basis_date"),
        "valid_from": _date(raw.get("valid_from"), f"{path}.valid_from"),
        "valid_until": _date(raw.get("valid_until"), f"{path}.valid_until", required=False),
    }
    if raw.get("legal_basis_file"):
        values["legal_basis_file"] = raw["legal_basis_file"]
    existing = Delegation.objects.filter(
        from_position=values["from_position"], to_position=values["to_position"],
        legal_basis_number=values["legal_basis_number"], valid_from=values["valid_from"]).first()
    _upsert(existing, values, changes=changes,
            force=existing is not None and {p.pk for p in existing.permit_types.all()} != {p.pk for p in permit_types},
            create=lambda **v: delegation_services.delegation_create(permit_types=permit_types, actor=actor, **v),
            update=lambda d, **v: delegation_services.delegation_update(delegation=d, permit_types=permit_types,
                                                                        actor=actor, **v),
            added=lambda _: f"+ pelimpahan {raw['from']} -> {raw['to']} ({values['legal_basis_number']})",
            changed=lambda _: f"~ pelimpahan {values['legal_basis_number']} diubah")


def _acting_apply(raw: dict, changes: list[str], actor: User, path: str) -> None:
    position = Position.objects.filter(code=_aliases.get(raw.get("position"), raw.get("position"))).first()
    if position is None:
        raise ConfigImportInvalid(gettext("%(path)s: jabatan '%(get)s' tidak ada.") % {"path": path, "get": raw.get('position')}, path=path)
    if not raw.get("user"):
        raise ConfigImportInvalid(gettext("%(path)s: akun pelaksana wajib diisi.") % {"path": path}, path=path)
    user = _officer(raw.get("user"))
    if user is None:
        _notes.append(f"! {str(raw.get('kind', '')).upper()} {position.code}: '{raw.get('user')}' bukan petugas aktif"
                      " di daerah ini; tidak diimpor")
        return
    values = {"position": position, "user": user, "kind": raw.get("kind"), "decree_number": raw.get("decree_number") or "",
              "valid_from": _date(raw.get("valid_from"), f"{path}.valid_from"),
              "valid_until": _date(raw.get("valid_until"), f"{path}.valid_until", required=False)}
    existing = ActingOfficial.objects.filter(position=position, user=user, kind=values["kind"],
                                             valid_from=values["valid_from"]).first()
    _upsert(existing, values, changes=changes,
            create=lambda **v: delegation_services.acting_official_create(actor=actor, **v),
            update=lambda a, **v: delegation_services.acting_official_update(acting=a, actor=actor, **v),
            added=lambda _: f"+ {str(values['kind']).upper()} {position.code}: {user.email}",
            changed=lambda _: f"~ {str(values['kind']).upper()} {position.code} diubah")
