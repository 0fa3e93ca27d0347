"""The SOP editor: the draft's steps (add, edit, remove, move), its check, publishing, and the versions."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from permits.models import Sop
from permits.models.workflow import Action
from permits.selectors.workflow import sop_total_working_days, sop_validate
from permits.services import workflow as workflow_services
from permits.views.admin._common import admin_view, attempt, permit_type_of
from permits.views.admin._common import page as _page
from permits.views.admin.forms import StepForm
from pintu.errors import DomainError


def page(request, template: str, context: dict):
    return _page(request, template, {"tab": "sop", **context})


def flow_stages(steps) -> list[list]:
    """Steps grouped into stages: consecutive steps of one parallel group share a stage (drawn side by side)."""
    stages: list[list] = []
    for step in steps:
        group = step.parallel_group.strip()
        if group and stages and stages[-1][0].parallel_group.strip() == group:
            stages[-1].append(step)
        else:
            stages.append([step])
    return stages


def _sop_context(sop: Sop) -> dict:
    steps = list(sop.steps.order_by("order"))
    labels = dict(Action.choices)
    for step in steps:
        step.action_labels = [labels.get(a, a) for a in step.allowed_actions]
    return {"sop": sop, "steps": steps, "stages": flow_stages(steps), "total_days": sop_total_working_days(steps)}


def _draft(permit_type) -> Sop | None:
    return Sop.objects.filter(permit_type=permit_type, status=Sop.Status.DRAFT).first()


@admin_view
def sop_editor(request, code: str):
    permit_type = permit_type_of(code)
    versions = list(Sop.objects.filter(permit_type=permit_type).order_by("-version"))
    draft = next((v for v in versions if v.status == Sop.Status.DRAFT), None)
    in_force = next((v for v in versions if v.status == Sop.Status.PUBLISHED), None)
    shown = draft or in_force
    context = {"permit_type": permit_type, "versions": versions, "draft": draft, "in_force": in_force,
               "form": StepForm(initial={"allowed_actions": ["forward", "return"]})}
    if shown is not None:
        context.update(_sop_context(shown))
        context["report"] = sop_validate(shown)
    return page(request, "sop.html", context)


@require_POST
@admin_view
def sop_revise(request, code: str):
    """Start a draft (a copy of the version in force, or empty) to edit."""
    permit_type = permit_type_of(code)
    draft = workflow_services.sop_revise(permit_type=permit_type, actor=request.user)
    messages.success(request, gettext("Draf SOP versi %(version)s siap diubah. SOP yang berlaku tidak berubah sampai draf ini "
                                      "diberlakukan.") % {"version": draft.version})
    return redirect("permits-admin:sop", code=code)


def _step_page(request, code: str, order: int | None):
    permit_type = permit_type_of(code)
    draft = _draft(permit_type)
    if draft is None:
        raise Http404
    step = None
    if order is not None:
        step = draft.steps.filter(order=order).first()
        if step is None:
            raise Http404
    form = StepForm(request.POST or None, initial=StepForm.initial_of(step) if step else
                    {"allowed_actions": ["forward", "return"], "sla_working_days": 1})
    if request.method == "POST" and form.is_valid():
        if step is None:
            position = request.POST.get("posisi")
            saved = attempt(form, lambda: workflow_services.sop_step_add(
                sop=draft, step=form.values(), position=int(position) if (position or "").isdigit() else None,
                actor=request.user))
        else:
            saved = attempt(form, lambda: workflow_services.sop_step_update(
                sop=draft, order=order, changes=form.values(), actor=request.user))
        if saved is not None:
            messages.success(request, gettext("Langkah '%(name)s' tersimpan.") % {"name": form.cleaned_data['name']})
            return redirect("permits-admin:sop", code=code)
    return page(request, "sop_step.html", {"permit_type": permit_type, "sop": draft, "step": step, "form": form})


@admin_view
def sop_step_add(request, code: str):
    return _step_page(request, code, None)


@admin_view
def sop_step_edit(request, code: str, order: int):
    return _step_page(request, code, order)


@require_POST
@admin_view
def sop_step_action(request, code: str, order: int):
    """Remove a step (`hapus`) or move it up/down (`arah`)."""
    permit_type = permit_type_of(code)
    draft = _draft(permit_type)
    if draft is None:
        raise Http404
    try:
        if "hapus" in request.POST:
            workflow_services.sop_step_remove(sop=draft, order=order, actor=request.user)
            messages.success(request, gettext("Langkah %(order)s dihapus.") % {"order": order})
        else:
            workflow_services.sop_step_move(sop=draft, order=order, direction=request.POST.get("arah", ""),
                                            actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("permits-admin:sop", code=code)


@require_POST
@admin_view
def sop_publish(request, code: str):
    permit_type = permit_type_of(code)
    draft = _draft(permit_type)
    if draft is None:
        messages.error(request, gettext("Tidak ada draf SOP untuk diberlakukan."))
        return redirect("permits-admin:sop", code=code)
    try:
        sop, report = workflow_services.sop_publish(sop=draft, actor=request.user)
    except DomainError as exc:
        for error in exc.detail.get("errors") or [{"message": exc.message}]:
            messages.error(request, error["message"])
        return redirect("permits-admin:sop", code=code)
    messages.success(request, gettext("SOP versi %(version)s kini berlaku untuk permohonan baru. Permohonan yang sudah diajukan tetap "
                                      "memakai SOP lamanya.") % {"version": sop.version})
    for warning in report.warnings:
        messages.warning(request, f"Perhatian: {warning.message}")
    return redirect("permits-admin:sop", code=code)


@require_POST
@admin_view
def sop_discard(request, code: str):
    permit_type = permit_type_of(code)
    draft = _draft(permit_type)
    if draft is not None:
        workflow_services.sop_draft_discard(sop=draft, actor=request.user)
        messages.success(request, gettext("Draf SOP versi %(version)s dibuang.") % {"version": draft.version})
    return redirect("permits-admin:sop", code=code)


@admin_view
def sop_version(request, code: str, version: int):
    permit_type = permit_type_of(code)
    sop = get_object_or_404(Sop, permit_type=permit_type, version=version)
    return page(request, "sop_version.html", {"permit_type": permit_type, **_sop_context(sop),
                                              "report": sop_validate(sop)})
