"""Which service a step's button runs: the office page and the API receive the SOP's action name
(`Action`, what `SopStep.allowed_actions` stores) and call the named service it stands for. No rule
lives here — each service checks its own (role, SOP, transition table, authority)."""
from __future__ import annotations

from collections.abc import Callable

from permits.models.applications import Application, StepTask
from permits.models.workflow import Action
from permits.services.processing import (
    application_approve,
    application_reject,
    application_return,
    recommendation_give,
    step_forward,
)

#: action -> the service, called as (task, officer, note, checklist, report).
STEP_ACTIONS: dict[str, Callable[..., Application]] = {
    Action.FORWARD: lambda *, task, officer, note, checklist, report: step_forward(
        task=task, officer=officer, note=note, checklist=checklist, report=report),
    Action.RECOMMEND: lambda *, task, officer, note, checklist, report: recommendation_give(
        task=task, officer=officer, note=note, checklist=checklist, report=report),
    Action.RETURN: lambda *, task, officer, note, checklist, report: application_return(
        task=task, officer=officer, note=note),
    Action.REJECT: lambda *, task, officer, note, checklist, report: application_reject(
        task=task, officer=officer, reason=note),
    Action.APPROVE_SIGN: lambda *, task, officer, note, checklist, report: application_approve(
        task=task, officer=officer, note=note),
}


def step_button_press(*, task: StepTask, officer, action: str, note: str = "", checklist: dict | None = None,
                      report=None) -> Application:
    """Run the service of `action` (one of `Action`; the form and the serializer only offer those)."""
    return STEP_ACTIONS[action](task=task, officer=officer, note=note, checklist=checklist, report=report)
