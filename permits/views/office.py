"""The office's pages (/kantor/): worklists, a step to act on, an application, revoking a permit.

Thin: each view checks a role in this regency, calls one service or selector, and shows a
domain refusal as its Indonesian message (never a 500).
"""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from permits.actions import step_button_press
from permits.documents.text import datetime_read
from permits.models.applications import Application, ApplicationDocument, Permit, StepTask
from permits.models.workflow import Action
from permits.regency import regency_now, regency_today, regency_zone
from permits.selectors.applications import (
    WorklistRow,
    application_tracking,
    worklist_page_rows,
)
from permits.selectors.delegation import decision_offered, delegation_resolve, worklist_offers
from permits.selectors.forms import form_answers
from permits.selectors.office import (
    WORKLIST_COUNT_CAP,
    application_for_office,
    officer_handles,
    surveyors_here,
    task_for_office,
    worklist_counts,
)
from permits.services.issuance import permit_revoke
from permits.services.office_files import officer_document_open, officer_report_open
from permits.services.processing import document_review, officer_may_act, task_claim
from permits.services.site_survey import survey_schedule, visit_read
from pintu.access.models import Role
from pintu.access.permissions import has_role, request_teams, role_required
from pintu.access.roles import OFFICE_ROLES, PROCESSING_ROLES, REVIEWING_ROLES, REVOKING_ROLES
from pintu.errors import DomainError, NotFound
from pintu.storage.services import document_response

SCOPES = {"mine": "Tugas saya", "due_soon": "Segera jatuh tempo", "late": "Terlambat"}
#: Offered only to whoever holds the signing authority today (the Plh while the head is away).
DECISION_ACTIONS = (Action.APPROVE_SIGN, Action.REJECT)


def _refused(request, exc: DomainError) -> None:
    messages.error(request, exc.message)


def form_rows(application: Application) -> list[tuple[str, str]]:
    """The applicant's answers with their labels (district codes shown by name), in the form's order."""
    return [(label, shown) for _, label, shown in form_answers(application, codes=True)]


#: Rows on one worklist page; the next page starts after the last row shown (keyset, no OFFSET).
WORKLIST_PAGE = 25
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _cursor(task: WorklistRow) -> str:
    return f"{(task.due_at - _EPOCH) // dt.timedelta(microseconds=1)}-{task.pk}"


def _cursor_parse(value: str) -> tuple[dt.datetime, int] | None:
    """`<due_at in µs since 1970>-<pk>` from a "next page" link; None (first page) for anything else."""
    micros, _, pk = value.partition("-")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
        return None
    try:
        return _EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)
    except OverflowError:
        return None


def _url_of(name: str):
    """pk -> the path of URL `name`: reversed once per page, not twice per card (~0.2 ms each)."""
    head, tail = reverse(name, args=[987654321]).split("987654321")
    return lambda pk: f"{head}{pk}{tail}"


def _tabs(counts: dict[str, int]) -> list[tuple[str, str, str, bool]]:
    """Each tab: (scope, label, its badge, late files waiting). Past the cap of `worklist_counts` a badge says "99+"."""
    return [(scope, label, f"{WORKLIST_COUNT_CAP}+" if counts[scope] > WORKLIST_COUNT_CAP else str(counts[scope]),
             scope == "late" and counts[scope] > 0) for scope, label in SCOPES.items()]


@require_GET
@role_required(*PROCESSING_ROLES)
def worklist_page(request):
    scope = request.GET.get("tab", "mine")
    if scope not in SCOPES:
        scope = "mine"
    memberships = request_teams(request)  # the role check's own query
    labels = dict(Role.choices)
    teams = [(f"{role}:{agency}", labels[role] + (f" — {agency}" if agency else "")) for role, agency in memberships
             if role in PROCESSING_ROLES]
    team = request.GET.get("peran", "")
    one_team = None
    if team and team in dict(teams):
        role, _, agency = team.partition(":")
        one_team = (role, agency)
    else:
        team = ""
    after = _cursor_parse(request.GET.get("setelah", ""))
    page = worklist_page_rows(officer=request.user, teams=memberships, scope=scope, team=one_team, after=after,
                              limit=WORKLIST_PAGE + 1)
    now = timezone.now()
    shown = page[:WORKLIST_PAGE]
    # A decision is offered to whoever holds the signing authority today (the Plh while the head is
    # away); everyone else with the role sees who signs it, without a button (issue #16).
    offers = worklist_offers(shown, user=request.user, on=regency_today())
    rows = []
    task_url, claim_url = _url_of("office:task"), _url_of("office:claim")
    zone, me = regency_zone().key, request.user.pk
    for t in shown:
        offer = offers[t.pk]
        # Plain values, formatted here once: a card's template then reads each one by a single key
        # (a model attribute chain per value, the date filter and {% with %} cost ~60 % of rendering).
        rows.append({"number": t.application.registration_number, "permit_type": t.application.permit_type.name,
                     "step": t.step.name, "agency": t.agency, "due": datetime_read(t.due_at, zone),
                     "is_late": t.due_at < now, "claimed_by_me": t.claimed_by_id == me,
                     "authority": offer.authority, "may_decide": offer.may_decide, "may_claim": offer.may_claim,
                     "url": task_url(t.pk), "claim_url": claim_url(t.pk)})
    return render(request, "permits/office/worklist.html", {
        "rows": rows, "scope": scope, "tabs": _tabs(worklist_counts(officer=request.user, teams=memberships,
                                                                         cap=WORKLIST_COUNT_CAP)),
        "teams": teams if len(teams) > 1 else [], "team": team, "is_continued": after is not None,
        "next_cursor": _cursor(page[WORKLIST_PAGE - 1]) if len(page) > WORKLIST_PAGE else "",
    })


@require_POST
@role_required(*PROCESSING_ROLES)
def task_claim_view(request, pk: int):
    task = task_for_office(pk)
    if task is None:
        raise Http404
    try:
        task_claim(task=task, officer=request.user)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, gettext("Langkah '%(name)s' untuk %(registration_number)s kini menjadi tugas Anda.")
                                  % {"name": task.step.name, "registration_number": task.application.registration_number})
    return redirect("office:task", pk=pk)


class ActForm(forms.Form):
    action = forms.ChoiceField(choices=Action.choices)
    note = forms.CharField(required=False, max_length=5000)
    report = forms.FileField(required=False)


class SurveyScheduleForm(forms.Form):
    date = forms.DateField(input_formats=["%Y-%m-%d"], error_messages={"required": gettext_lazy("Isi tanggal kunjungan.")})
    time = forms.TimeField(input_formats=["%H:%M"], error_messages={"required": gettext_lazy("Isi jam kunjungan.")})
    officer = forms.IntegerField(required=False)
    note = forms.CharField(required=False, max_length=1000)


@role_required(*OFFICE_ROLES)
def task_page(request, pk: int):
    task = task_for_office(pk)
    if task is None:
        raise Http404
    application = application_for_office(task.application_id)
    may_act = task.status == StepTask.Status.OPEN and application.status == Application.Status.IN_PROCESS \
        and officer_may_act(officer=request.user, task=task)
    form = ActForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, gettext("Isian tindakan tidak valid: ") + "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
            return redirect("office:task", pk=pk)
        data = form.cleaned_data
        checklist = {item: f"check-{i}" in request.POST for i, item in enumerate(task.step.checklist)}
        try:  # the report is stored by the service, after its checks: a refused action keeps no file
            step_button_press(task=task, officer=request.user, action=data["action"], note=data["note"] or "",
                              checklist=checklist, report=data["report"])
        except DomainError as exc:
            _refused(request, exc)
            return redirect("office:task", pk=pk)
        messages.success(request, f"{Action(data['action']).label}: {task.step.name} — "
                                  f"{application.registration_number}.")
        return redirect("office:application", pk=application.pk)
    authority = None
    if Action.APPROVE_SIGN in task.step.allowed_actions:
        authority = delegation_resolve(permit_type=application.permit_type, on=regency_today())
    actions = [(a, Action(a).label) for a in task.step.allowed_actions if a in Action.values]
    may_decide = decision_offered(authority, request.user)
    if not may_decide:
        # The decision (approve and sign, or reject) belongs to today's holder of the authority.
        actions = [(a, label) for a, label in actions if a not in DECISION_ACTIONS]
    reviews = [t for t in application.all_tasks if t.role == Role.TECHNICAL_TEAM and t.status == StepTask.Status.DONE]
    return render(request, "permits/office/task.html", {
        "task": task, "application": application, "rows": form_rows(application),
        "is_decision": Action.APPROVE_SIGN in task.step.allowed_actions, "reviews": reviews,
        "documents": application.current_documents, "may_act": may_act, "actions": actions,
        "checklist": list(enumerate(task.step.checklist)), "is_survey": task.role == Role.SURVEYOR,
        "surveyors": surveyors_here() if task.role == Role.SURVEYOR and may_act else [],
        "survey_date": f"{regency_now(at=task.survey_at):%Y-%m-%d}" if task.survey_at else "",
        "survey_time": f"{regency_now(at=task.survey_at):%H:%M}" if task.survey_at else "",
        "may_review": application.status == Application.Status.IN_PROCESS and has_role(request, *REVIEWING_ROLES),
        "authority": authority, "may_decide": may_decide,
        "tracking": application_tracking(application), "is_late": task.due_at < timezone.now(),
    })


@require_POST
@role_required(Role.SURVEYOR)
def survey_schedule_view(request, pk: int):
    """Set or move the site visit of a survey step (the applicant is told the date)."""
    task = task_for_office(pk)
    if task is None:
        raise Http404
    form = SurveyScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Jadwal survei tidak valid: ") + " ".join(
            " ".join(errors) for errors in form.errors.values()))
        return redirect("office:task", pk=pk)
    data = form.cleaned_data
    surveyor = request.user
    if data["officer"]:
        surveyor = next((u for u in surveyors_here() if u.pk == data["officer"]), None)
        if surveyor is None:
            messages.error(request, gettext("Pilih petugas survei lapangan dari daerah ini."))
            return redirect("office:task", pk=pk)
    at = dt.datetime.combine(data["date"], data["time"], tzinfo=regency_zone())
    try:
        task = survey_schedule(task=task, officer=request.user, at=at, surveyor=surveyor, note=data["note"] or "")
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, gettext("Survei dijadwalkan %(visit_text)s; pemohon diberi tahu.")
                                  % {"visit_text": visit_read(task.survey_at)})
    return redirect("office:task", pk=pk)


@require_POST
@role_required(*REVIEWING_ROLES)
def document_review_view(request, pk: int):
    document = ApplicationDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    accepted = request.POST.get("verdict") == "accept"
    try:
        document_review(document=document, officer=request.user, accepted=accepted,
                        reason=request.POST.get("reason", ""))
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, (gettext("Berkas diterima: ") if accepted else gettext("Berkas ditandai perlu diperbaiki: "))
                         + document.requirement.name)
    task = request.POST.get("task", "")
    if task.isdigit() and request.POST.get("then", "").isdigit():
        return redirect("office:document-preview", pk=int(task), document_pk=int(request.POST["then"]))
    if task.isdigit():
        return redirect("office:task", pk=int(task))
    return redirect("office:application", pk=document.application_id)


def _office_document(pk: int) -> ApplicationDocument:
    """A requirement file of this regency, with its application and requirement (404 when there is none)."""
    return get_object_or_404(ApplicationDocument.objects.select_related("application", "requirement"), pk=pk)


@require_GET
@role_required(hidden=True)
def document_download(request, pk: int):
    """Stream one requirement file to an officer who handles the file (audited as document.download);
    anyone else gets 404."""
    document = _office_document(pk)
    try:
        key = officer_document_open(document=document, officer=request.user)
        extension = key.rsplit(".", 1)[-1]
        name = f"{document.application.registration_number or 'draf'}-{document.requirement.name}.{extension}"
        return document_response(key, download_name=name)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        _refused(request, exc)
        return redirect("office:application", pk=document.application_id)


#: Headers of a document shown inside an office page (iframe or img): only this site may frame it and
#: nothing in it may reach out; the browser's own PDF viewer still runs (a sandbox would block it).
PREVIEW_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; " \
              "frame-ancestors 'self'"
ZOOMS = (50, 75, 100, 150, 200)
TURNS = (0, 90, 180, 270)


def _inline(response):
    response["Content-Security-Policy"] = PREVIEW_CSP
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_GET
@role_required(*OFFICE_ROLES, hidden=True)
def document_inline(request, pk: int):
    """One requirement file shown in the page (not downloaded), for the officers who handle the file."""
    document = _office_document(pk)
    try:
        key = officer_document_open(document=document, officer=request.user)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        _refused(request, exc)
        return redirect("office:application", pk=document.application_id)
    turn = request.GET.get("putar", "")
    if document.content_type.startswith("image/") and turn.isdigit() and int(turn) in TURNS[1:]:
        # Turned here, not by CSS: a turned photo keeps its own box, so zoom and scroll stay right.
        from pintu.storage.services import document_read

        return _inline(HttpResponse(image_turned(document_read(key), degrees=int(turn)),
                                    content_type=document.content_type))
    return _inline(document_response(key, as_attachment=False))


def image_turned(data: bytes, *, degrees: int) -> bytes:
    """A scan turned clockwise by 90, 180 or 270 degrees, in its own format (Pillow)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        kind = image.format or "PNG"
        turned = image.rotate(-degrees, expand=True)
        buffer = io.BytesIO()
        turned.save(buffer, format=kind)
    return buffer.getvalue()


@require_GET
@role_required(*OFFICE_ROLES, hidden=True)
def document_preview(request, pk: int, document_pk: int):
    """A scan beside its checklist row: the file in the page (zoom, rotate), accept or mark it, and
    previous / next between the file's requirements; no JavaScript needed. Only for the officers who
    handle the file (anyone else: 404)."""
    task = task_for_office(pk)
    if task is None or not officer_handles(officer=request.user, application_id=task.application_id):
        raise Http404
    application = application_for_office(task.application_id)
    documents = application.current_documents
    index = next((i for i, d in enumerate(documents) if d.pk == document_pk), None)
    if index is None:
        raise Http404
    document = documents[index]
    zoom = int(request.GET["zoom"]) if request.GET.get("zoom", "").isdigit() and \
        int(request.GET["zoom"]) in ZOOMS else 100
    turn = int(request.GET["putar"]) if request.GET.get("putar", "").isdigit() and \
        int(request.GET["putar"]) in TURNS else 0
    return render(request, "permits/office/document_preview.html", {
        "task": task, "application": application, "document": document, "position": index + 1,
        "count": len(documents), "previous": documents[index - 1] if index else None,
        "next": documents[index + 1] if index + 1 < len(documents) else None,
        "is_image": document.content_type.startswith("image/"), "zoom": zoom, "turn": turn,
        "zooms": ZOOMS, "zoom_in": next((z for z in ZOOMS if z > zoom), zoom),
        "zoom_out": next((z for z in reversed(ZOOMS) if z < zoom), zoom), "next_turn": (turn + 90) % 360,
        "checklist": task.step.checklist,
        "may_review": application.status == Application.Status.IN_PROCESS and has_role(request, *REVIEWING_ROLES),
    })


@require_GET
@role_required(*OFFICE_ROLES)
def task_draft_pdf(request, pk: int):
    """The permit as it will be printed if signed today: unsigned, watermarked DRAF (decision steps only)."""
    from permits.services.issuance import permit_draft_pdf

    task = task_for_office(pk)
    if task is None or Action.APPROVE_SIGN not in task.step.allowed_actions:
        raise Http404
    application = application_for_office(task.application_id)
    try:
        pdf = permit_draft_pdf(application=application)
    except DomainError as exc:
        return HttpResponse(exc.message, content_type="text/plain; charset=utf-8", status=409)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draf-{application.registration_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return _inline(response)


@require_GET
@role_required(hidden=True)
def report_download(request, pk: int):
    task = task_for_office(pk)
    if task is None or not officer_handles(officer=request.user, application_id=task.application_id):
        raise Http404
    try:
        key = officer_report_open(task=task, officer=request.user)
        return document_response(key, download_name=f"laporan-survei-{task.application.registration_number}."
                                                     f"{key.rsplit('.', 1)[-1]}")
    except DomainError as exc:
        _refused(request, exc)
        return redirect("office:task", pk=pk)


@require_GET
@role_required(*OFFICE_ROLES)
def application_page(request, pk: int):
    application = application_for_office(pk)
    if application is None:
        raise Http404
    permit = getattr(application, "permit", None) if application.status == Application.Status.ISSUED else None
    decision = getattr(application, "decision", None) if application.decided_at else None
    return render(request, "permits/office/application.html", {
        "application": application, "rows": form_rows(application), "documents": application.current_documents,
        "tasks": application.all_tasks, "tracking": application_tracking(application), "permit": permit,
        "decision": decision, "may_revoke": permit is not None and permit.status == Permit.Status.VALID
        and has_role(request, *REVOKING_ROLES),
    })


@require_POST
@role_required(*REVOKING_ROLES)
def permit_revoke_view(request, pk: int):
    permit = get_object_or_404(Permit.objects.select_related("application", "application__permit_type"), pk=pk)
    reason = request.POST.get("reason", "")
    if permit.status == Permit.Status.VALID and request.POST.get("confirm") != permit.number:
        # A revocation cannot be undone: the signer sees what they revoke, and why, once more.
        if not reason.strip():
            messages.error(request, gettext("Tuliskan alasan pencabutan."))
            return redirect("office:application", pk=permit.application_id)
        return render(request, "permits/office/revoke_confirm.html", {"permit": permit, "reason": reason})
    try:
        permit_revoke(permit=permit, actor=request.user, reason=reason)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, gettext("Izin %(number)s dicabut. Halaman verifikasi kini menunjukkan status dicabut.")
                                  % {"number": permit.number})
    return redirect("office:application", pk=permit.application_id)
