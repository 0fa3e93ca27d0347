"""Writes to SOP workflows. A published SOP is never edited in place: edits go to a new draft version,
and publishing it retires the previous one, so an application keeps the version it was submitted under."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from permits.errors import ConfigInvalid, SopInvalid, SopNotEditable
from permits.models import PermitType, Sop, SopStep
from permits.models.workflow import Action
from permits.selectors.workflow import SopReport, sop_validate
from permits.services._common import Errors
from pintu.access.models import Role
from pintu.access.services import agency_ensure
from pintu.audit.services import audit_record

if TYPE_CHECKING:
    from pintu.identity.models import User

STEP_FIELDS = ("name", "role", "agency", "sla_working_days", "allowed_actions", "checklist", "parallel_group")


def step_as_dict(step: SopStep) -> dict:
    return {
        "name": step.name, "role": step.role, "agency": step.agency, "sla_working_days": step.sla_working_days,
        "allowed_actions": list(step.allowed_actions), "checklist": list(step.checklist),
        "parallel_group": step.parallel_group,
    }


def _steps_clean(steps: list[dict]) -> list[dict]:
    """Shape checks on each step (field-level, path `steps[i].field`); structure is checked at publishing."""
    errors = Errors()
    if not isinstance(steps, list):
        raise ConfigInvalid.one("steps", "invalid", gettext("Langkah SOP harus berupa daftar."))
    cleaned = []
    for i, raw in enumerate(steps):
        path = f"steps[{i}]."
        if not isinstance(raw, dict):
            errors.add(f"steps[{i}]", "invalid", gettext("Langkah ke-%(n)d tidak valid.") % {"n": i + 1})
            continue
        unknown = set(raw) - set(STEP_FIELDS) - {"order", "id"}
        for name in sorted(unknown):
            errors.add(path + name, "unknown_field", gettext("Isian '%(name)s' pada langkah ke-%(n)d tidak dikenal.")
                       % {"name": name, "n": i + 1})
        name = str(raw.get("name") or "").strip()
        if not name:
            errors.add(path + "name", "required", gettext("Nama langkah ke-%(n)d wajib diisi.") % {"n": i + 1})
        role = raw.get("role")
        if role not in Role.values:
            errors.add(path + "role", "invalid_choice", gettext("Peran '%(role)s' pada langkah ke-%(n)d tidak dikenal.")
                       % {"role": role, "n": i + 1})
        agency = str(raw.get("agency") or "").strip()
        if role == Role.TECHNICAL_TEAM and not agency:
            errors.add(path + "agency", "agency_required",
                       gettext("Langkah ke-%(n)d (%(name)s) dikerjakan tim teknis: sebutkan instansinya (OPD).") % {
                           "n": i + 1, "name": name})
        try:
            sla = int(raw.get("sla_working_days", 1))
            if not 0 <= sla <= 365:
                raise ValueError
        except (TypeError, ValueError):
            errors.add(path + "sla_working_days", "invalid", gettext("Batas waktu langkah ke-%(n)d harus 0-365 hari kerja.") % {
                "n": i + 1})
            sla = 0
        actions = raw.get("allowed_actions") or []
        if not isinstance(actions, list) or not actions:
            errors.add(path + "allowed_actions", "required", gettext("Langkah ke-%(n)d (%(name)s) belum punya tindakan.") % {
                "n": i + 1, "name": name})
            actions = []
        bad = [a for a in actions if a not in Action.values]
        if bad:
            errors.add(path + "allowed_actions", "invalid_choice",
                       gettext("Tindakan %(actions)s pada langkah ke-%(n)d tidak dikenal.") % {
                           "actions": ", ".join(map(str, bad)), "n": i + 1})
        checklist = raw.get("checklist") or []
        if not isinstance(checklist, list) or not all(isinstance(c, str) and c.strip() for c in checklist):
            errors.add(path + "checklist", "invalid", gettext("Daftar periksa langkah ke-%(n)d harus berupa daftar teks.") % {
                "n": i + 1})
            checklist = []
        group = raw.get("parallel_group") or ""
        if not isinstance(group, str):
            errors.add(path + "parallel_group", "invalid", gettext("Kelompok paralel harus berupa teks."))
            group = ""
        cleaned.append({
            "name": name, "role": role, "agency": agency, "sla_working_days": sla,
            "allowed_actions": [a for a in Action.values if a in actions],
            "checklist": [c.strip() for c in checklist], "parallel_group": group,
        })
    errors.raise_if_any()
    return cleaned


def _steps_write(sop: Sop, steps: list[dict]) -> None:
    for step in steps:  # a technical team's agency is one of the regency's agencies (recorded if new: templates, YAML)
        if step["role"] == Role.TECHNICAL_TEAM and step["agency"]:
            step["agency"] = agency_ensure(name=step["agency"]).name
    sop.steps.all().delete()
    SopStep.objects.bulk_create(SopStep(sop=sop, order=i, **step) for i, step in enumerate(steps, start=1))


@transaction.atomic
def sop_revise(*, permit_type: PermitType, actor: User | None = None, note: str = "") -> Sop:
    """The draft to edit: the existing one, or a new version copied from the SOP in force (or empty)."""
    PermitType.objects.select_for_update(no_key=True).filter(pk=permit_type.pk).first()
    draft = Sop.objects.filter(permit_type=permit_type, status=Sop.Status.DRAFT).first()
    if draft is not None:
        return draft
    latest = Sop.objects.filter(permit_type=permit_type).aggregate(v=Max("version"))["v"] or 0
    source = Sop.objects.filter(permit_type=permit_type, status=Sop.Status.PUBLISHED).first()
    draft = Sop.objects.create(permit_type=permit_type, version=latest + 1, status=Sop.Status.DRAFT, note=note)
    if source is not None:
        _steps_write(draft, [step_as_dict(s) for s in source.steps.order_by("order")])
    audit_record(actor=actor, action="sop.draft", target=draft,
                 detail={"permit_type": permit_type.code, "version": draft.version,
                         "from_version": source.version if source else None})
    return draft


def _editable(sop: Sop, actor: User | None) -> Sop:
    if sop.status == Sop.Status.DRAFT:
        return sop
    return sop_revise(permit_type=sop.permit_type, actor=actor)


@transaction.atomic
def sop_steps_set(*, sop: Sop, steps: list[dict], actor: User | None = None, note: str | None = None) -> Sop:
    """Replace the steps; on a published (or retired) SOP this edits a new draft version, returned."""
    cleaned = _steps_clean(steps)
    draft = _editable(sop, actor)
    _steps_write(draft, cleaned)
    if note is not None:
        draft.note = note[:255]
        draft.save(update_fields=["note"])
    audit_record(actor=actor, action="sop.steps_set", target=draft,
                 detail={"version": draft.version, "steps": len(cleaned)})
    return draft


def _current_steps(sop: Sop) -> list[dict]:
    return [step_as_dict(s) for s in sop.steps.order_by("order")]


@transaction.atomic
def sop_step_add(*, sop: Sop, step: dict, position: int | None = None, actor: User | None = None) -> Sop:
    """Insert one step (at 1-based `position`, default last); returns the draft that holds it."""
    steps = _current_steps(sop)
    index = len(steps) if position is None else max(0, min(len(steps), position - 1))
    steps.insert(index, step)
    return sop_steps_set(sop=sop, steps=steps, actor=actor)


@transaction.atomic
def sop_step_update(*, sop: Sop, order: int, changes: dict, actor: User | None = None) -> Sop:
    steps = _current_steps(sop)
    if not 1 <= order <= len(steps):
        raise ConfigInvalid.one("order", "not_found", gettext("Langkah ke-%(order)s tidak ada.") % {"order": order})
    steps[order - 1].update(changes)
    return sop_steps_set(sop=sop, steps=steps, actor=actor)


@transaction.atomic
def sop_step_remove(*, sop: Sop, order: int, actor: User | None = None) -> Sop:
    steps = _current_steps(sop)
    if not 1 <= order <= len(steps):
        raise ConfigInvalid.one("order", "not_found", gettext("Langkah ke-%(order)s tidak ada.") % {"order": order})
    del steps[order - 1]
    return sop_steps_set(sop=sop, steps=steps, actor=actor)


@transaction.atomic
def sop_step_move(*, sop: Sop, order: int, direction: str, actor: User | None = None) -> Sop:
    """Move step `order` one place up or down (the ends stay put); returns the draft that holds it."""
    steps = _current_steps(sop)
    if not 1 <= order <= len(steps):
        raise ConfigInvalid.one("order", "not_found", gettext("Langkah ke-%(order)s tidak ada.") % {"order": order})
    target = order - 2 if direction == "up" else order
    if direction in ("up", "down") and 0 <= target < len(steps):
        steps[order - 1], steps[target] = steps[target], steps[order - 1]
    return sop_steps_set(sop=sop, steps=steps, actor=actor)


@transaction.atomic
def sop_publish(*, sop: Sop, actor: User | None = None) -> tuple[Sop, SopReport]:
    """Put a draft in force after checking it; the version it replaces is retired (not deleted).

    Errors refuse publishing (SopInvalid with every reason); warnings are returned and allowed.
    """
    sop = Sop.objects.select_for_update().get(pk=sop.pk)
    if sop.status != Sop.Status.DRAFT:
        raise SopNotEditable(gettext("SOP versi %(version)s bukan draf, sehingga tidak dapat diberlakukan lagi.")
                             % {"version": sop.version})
    report = sop_validate(sop)
    if report.errors:
        raise SopInvalid(
            gettext("SOP belum dapat diberlakukan: ") + "; ".join(i.message for i in report.errors),
            errors=[i.as_dict() for i in report.errors], warnings=[i.as_dict() for i in report.warnings],
        )
    now = timezone.now()
    previous = Sop.objects.select_for_update().filter(permit_type_id=sop.permit_type_id, status=Sop.Status.PUBLISHED)
    retired = [p.version for p in previous]
    previous.update(status=Sop.Status.RETIRED, retired_at=now)
    sop.status, sop.published_at = Sop.Status.PUBLISHED, now
    sop.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action="sop.publish", target=sop,
                 detail={"version": sop.version, "retired": retired, "warnings": [i.code for i in report.warnings]})
    return sop, report


@transaction.atomic
def sop_draft_discard(*, sop: Sop, actor: User | None = None) -> None:
    if sop.status != Sop.Status.DRAFT:
        raise SopNotEditable(gettext("Hanya draf SOP yang dapat dibuang."))
    audit_record(actor=actor, action="sop.discard", target=sop, detail={"version": sop.version})
    sop.delete()
