"""Reads about SOPs: the version in force, and the check run before publishing."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.db.models import QuerySet

from permits.models import PermitType, Sop, SopStep
from permits.models.workflow import Action
from pintu.access.models import Membership, Role
from pintu.access.roles import SIGNING_ROLES

_SIGNERS = set(SIGNING_ROLES)


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    step: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class SopReport:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def is_publishable(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"errors": [i.as_dict() for i in self.errors], "warnings": [i.as_dict() for i in self.warnings]}


def sop_in_force(permit_type: PermitType) -> Sop | None:
    """The published SOP of `permit_type` (new applications are frozen on it), or None."""
    return (Sop.objects.filter(permit_type=permit_type, status=Sop.Status.PUBLISHED)
            .prefetch_related("steps").first())


def sop_list(*, permit_type: PermitType | None = None) -> QuerySet[Sop]:
    qs = Sop.objects.select_related("permit_type").prefetch_related("steps")
    if permit_type is not None:
        qs = qs.filter(permit_type=permit_type)
    return qs.order_by("permit_type__name", "-version")


def steps_check(steps: list[SopStep], *, permit_type: PermitType | None = None) -> SopReport:
    """The rules of a usable SOP, with reasons an administrator understands."""
    report = SopReport()
    err, warn = report.errors.append, report.warnings.append
    if not steps:
        err(Issue("no_steps", "SOP belum punya langkah."))
        return report
    signing = [s for s in steps if Action.APPROVE_SIGN in s.allowed_actions]
    if not signing:
        err(Issue("no_signing_step",
                  "Tidak ada langkah penandatanganan: satu langkah harus punya tindakan 'Setujui dan tandatangani'."))
    else:
        final = signing[-1]
        for step in steps:
            if step.order > final.order:
                err(Issue("step_after_decision",
                          f"Langkah {step.order} ({step.name}) berada setelah langkah keputusan akhir "
                          f"({final.order}. {final.name}); keputusan harus menjadi langkah terakhir.", step.order))
        for step in signing:
            if step.parallel_group:
                err(Issue("signing_in_parallel_group",
                          f"Langkah penandatanganan {step.order} ({step.name}) tidak boleh berada dalam kelompok paralel.",
                          step.order))
            if step.role not in _SIGNERS:
                warn(Issue("signer_role",
                           f"Langkah {step.order} ({step.name}) menandatangani keputusan tetapi perannya bukan "
                           "pejabat penandatangan.", step.order))
    groups: dict[str, list[SopStep]] = {}
    for step in steps:
        if step.parallel_group != step.parallel_group.strip() or (step.parallel_group and not step.parallel_group.strip()):
            err(Issue("parallel_group_blank", f"Nama kelompok paralel pada langkah {step.order} kosong.", step.order))
        if step.parallel_group.strip():
            groups.setdefault(step.parallel_group.strip(), []).append(step)
        if not step.allowed_actions:
            err(Issue("no_actions", f"Langkah {step.order} ({step.name}) belum punya tindakan.", step.order))
        if step.role == Role.SURVEYOR and not step.checklist:
            warn(Issue("survey_without_checklist",
                       f"Langkah survei {step.order} ({step.name}) belum punya daftar periksa: laporan survei saja "
                       "yang diminta saat langkah ini diselesaikan.", step.order))
        if step.role == Role.TECHNICAL_TEAM and not step.agency.strip():
            err(Issue("agency_required", f"Langkah {step.order} ({step.name}) dikerjakan tim teknis tanpa nama instansi.",
                      step.order))
    for name, members in groups.items():
        if len(members) < 2:
            err(Issue("parallel_group_empty",
                      f"Kelompok paralel '{name}' hanya berisi satu langkah ({members[0].name}); "
                      "kelompok paralel harus berisi minimal dua langkah yang berjalan bersamaan.", members[0].order))
        orders = [m.order for m in members]
        positions = [i for i, s in enumerate(steps) if s.parallel_group.strip() == name]
        if positions != list(range(positions[0], positions[0] + len(positions))):
            err(Issue("parallel_group_split",
                      f"Langkah kelompok paralel '{name}' ({', '.join(map(str, orders))}) harus berurutan.",
                      members[0].order))
    # Roles nobody holds here: publishable, but the file would wait for nobody.
    held = set(Membership.objects.filter(is_active=True).values_list("role", "agency"))
    held_roles = {role for role, _ in held}
    for step in steps:
        if step.role == Role.TECHNICAL_TEAM:
            if (step.role, step.agency.strip()) not in held:
                warn(Issue("role_unheld",
                           f"Langkah {step.order} ({step.name}): belum ada petugas tim teknis {step.agency} di daerah ini.",
                           step.order))
        elif step.role not in held_roles:
            warn(Issue("role_unheld",
                       f"Langkah {step.order} ({step.name}): belum ada petugas dengan peran "
                       f"{Role(step.role).label} di daerah ini.", step.order))
    if permit_type is not None and not report.errors:
        total = sop_total_working_days(steps)
        if total > permit_type.sla_working_days:
            warn(Issue("sla_exceeded",
                       f"Jumlah batas waktu langkah ({total} hari kerja) melebihi lama layanan jenis izin "
                       f"({permit_type.sla_working_days} hari kerja)."))
    return report


def sop_total_working_days(steps: list[SopStep]) -> int:
    """Working days end to end: a parallel group takes as long as its slowest step."""
    total, seen = 0, {}
    for step in steps:
        group = step.parallel_group.strip()
        if group:
            seen[group] = max(seen.get(group, 0), step.sla_working_days)
        else:
            total += step.sla_working_days
    return total + sum(seen.values())


def sop_validate(sop: Sop) -> SopReport:
    return steps_check(list(sop.steps.order_by("order")), permit_type=sop.permit_type)
