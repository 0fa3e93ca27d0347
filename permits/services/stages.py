"""The SOP engine: a frozen SOP version cut into stages; parallel steps form one stage."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from permits.models import Sop, SopStep
from permits.models.applications import Application, StepTask
from permits.selectors.calendar import sla_due_at

if TYPE_CHECKING:
    import datetime as dt


def sop_stages(sop: Sop) -> list[list[SopStep]]:
    """Steps in order, consecutive steps sharing a parallel group run together as one stage."""
    stages: list[list[SopStep]] = []
    for step in sorted(sop.steps.all(), key=lambda s: s.order):
        if stages and step.parallel_group and stages[-1][0].parallel_group == step.parallel_group:
            stages[-1].append(step)
        else:
            stages.append([step])
    return stages


def stage_open(*, application: Application, stage: int, now: dt.datetime | None = None) -> list[StepTask]:
    """Open every step of `stage` (1-based) with its own due date; returns the new tasks."""
    from permits.services.applications import event_record

    now = now or timezone.now()
    steps = sop_stages(application.sop)[stage - 1]
    tasks = StepTask.objects.bulk_create([
        StepTask(application=application, step=step, stage=stage, role=step.role, agency=step.agency,
                 opened_at=now, due_at=sla_due_at(started_at=now, working_days=step.sla_working_days))
        for step in steps
    ])
    for step in steps:
        holder = step.get_role_display() + (f" ({step.agency})" if step.agency else "")
        event_record(application=application, kind="step_opened", step=step,
                     message=f"Tahap '{step.name}' dimulai; ditangani {holder}.")
    return tasks


def stage_count(application: Application) -> int:
    return len(sop_stages(application.sop))
