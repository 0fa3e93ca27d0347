"""Writes on the office's side: claim a step, review requirements, and each action an SOP step offers —
`step_forward`, `recommendation_give`, `application_return`, `application_reject`, `application_approve` —
with `application_decide` for the decision itself. Status changes go through `transitions.status_change`."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from permits.errors import ActionNotAllowed, ApplicationNotEditable, NotAuthorizedToSign, StepAlreadyActed
from permits.models.applications import Application, ApplicationDocument, Decision, StepTask
from permits.models.workflow import Action
from permits.regency import regency_today
from permits.selectors.delegation import chain_as_recorded, delegation_resolve
from permits.services.applications import event_record
from permits.services.index import application_index_sync
from permits.services.stages import stage_count, stage_open
from permits.services.transitions import By, status_change, status_change_check
from pintu.access.models import Role
from pintu.access.roles import REVIEWING_ROLES
from pintu.access.selectors import membership_roles
from pintu.audit.services import audit_record
from pintu.errors import PermissionDenied
from pintu.replication import synchronous_commit_require
from pintu.storage.services import document_discard

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from pintu.identity.models import User


def officer_may_act(*, officer: User, task: StepTask) -> bool:
    """True when `officer` holds the step's role here (and, for a technical team, its agency)."""
    from pintu.access.models import Membership

    memberships = Membership.objects.filter(user_id=officer.pk, is_active=True, role=task.role)
    if task.role == Role.TECHNICAL_TEAM and task.agency:
        memberships = memberships.filter(agency=task.agency)
    return memberships.exists()


def task_lock(task: StepTask, *, verb: str = "", by: By | None = None) -> tuple[Application, StepTask]:
    """Lock the application, then the task (always in that order), and check the task is still open and the
    application in process — or, for an action that moves it (`verb`), that the transition table allows it."""
    application = Application.objects.select_for_update(of=("self",), no_key=True).select_related("permit_type").get(pk=task.application_id)
    task = StepTask.objects.select_for_update(of=("self",)).select_related("step").get(pk=task.pk)
    if task.status != StepTask.Status.OPEN:
        raise StepAlreadyActed()
    if verb and by is not None:
        status_change_check(application=application, verb=verb, by=by)
    elif application.status != Application.Status.IN_PROCESS:
        raise ApplicationNotEditable(gettext("Permohonan ini sedang tidak dalam proses di kantor."))
    return application, task


@transaction.atomic
def task_claim(*, task: StepTask, officer: User) -> StepTask:
    """Take a step as mine; a step already claimed by someone else is refused."""
    application, task = task_lock(task)
    if not officer_may_act(officer=officer, task=task):
        raise PermissionDenied(gettext("Langkah ini bukan untuk peran Anda."))
    if task.claimed_by_id and task.claimed_by_id != officer.pk:
        raise StepAlreadyActed(gettext("Langkah ini sudah diambil petugas lain."))
    task.claimed_by = officer
    task.save(update_fields=["claimed_by"])
    audit_record(actor=officer, action="task.claim", target=application, detail={"task": task.pk})
    return task


@transaction.atomic
def document_review(*, document: ApplicationDocument, officer: User, accepted: bool,
                    reason: str = "") -> ApplicationDocument:
    """Verify one requirement: accept it, or mark it for the applicant to fix, with a reason."""
    application = Application.objects.select_for_update(no_key=True).get(pk=document.application_id)
    if application.status != Application.Status.IN_PROCESS:
        raise ApplicationNotEditable(gettext("Berkas hanya dapat diperiksa saat permohonan diproses."))
    if not membership_roles(user=officer) & set(REVIEWING_ROLES):
        raise PermissionDenied(gettext("Hanya verifikator, petugas loket, atau tim teknis yang dapat memeriksa berkas."))
    if not accepted and not reason.strip():
        raise ActionNotAllowed(gettext("Tuliskan alasan agar pemohon tahu apa yang harus diperbaiki."), code="reason_required")
    limit = ApplicationDocument._meta.get_field("review_reason").max_length
    if len(reason.strip()) > limit:
        raise ActionNotAllowed(gettext("Alasan terlalu panjang (paling banyak %(limit)s karakter).")
                               % {"limit": limit}, code="reason_too_long")
    document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
    document.review = ApplicationDocument.Review.ACCEPTED if accepted else ApplicationDocument.Review.REJECTED
    document.review_reason = "" if accepted else reason.strip()
    document.reviewed_by = officer
    document.reviewed_at = timezone.now()
    document.save()
    audit_record(actor=officer, action="document.review", target=application,
                 detail={"document": document.pk, "accepted": accepted, "reason": document.review_reason})
    return document


def _step_begin(task: StepTask, officer: User, action: str, *, verb: str = "",
                by: By | None = None) -> tuple[Application, StepTask]:
    """The checks every step action starts with: locked and open, the officer's role, the SOP allows it."""
    application, task = task_lock(task, verb=verb, by=by)
    if not officer_may_act(officer=officer, task=task):
        raise PermissionDenied(gettext("Langkah ini bukan untuk peran Anda."))
    if action not in task.step.allowed_actions:
        raise ActionNotAllowed(gettext("Tindakan '%(label)s' tidak diperbolehkan pada langkah '%(name)s'.")
                               % {"label": Action(action).label, "name": task.step.name})
    return application, task


def _step_close(task: StepTask, officer: User, action: str, note: str, checklist: dict | None, now: dt.datetime,
                report_key: str = "") -> None:
    task.status = StepTask.Status.DONE
    task.completed_at, task.completed_by, task.action, task.note = now, officer, action, note
    task.checklist_result = checklist or {}
    if report_key:
        task.report_key = report_key
    task.save()


def _advance(*, task: StepTask, officer: User, action: str, note: str, checklist: dict | None,
             report: UploadedFile | None) -> Application:
    """Close the step with `action` (forward or recommend) and open the next stage once this one is done."""
    from permits.services.office_files import survey_report_store
    from permits.services.site_survey import survey_close_require

    application, task = _step_begin(task, officer, action)
    is_survey = task.role == Role.SURVEYOR
    if is_survey:
        survey_close_require(task=task, checklist=checklist or {}, report=report)
    elif report is not None:
        raise ActionNotAllowed(gettext("Laporan survei hanya dapat dilampirkan pada langkah survei lapangan."),
                               code="report_not_expected")
    now = timezone.now()
    # Stored last, after every check: a refused action leaves no file behind (issue #19).
    stored = survey_report_store(file=report, filename=report.name) if is_survey else None
    try:
        _step_close(task, officer, action, note, checklist, now, report_key=stored.key if stored else "")
        label = "Rekomendasi diberikan" if action == Action.RECOMMEND else "Selesai"
        event_record(application=application, kind=action, step=task.step, message=f"{label}: {task.step.name}.")
        audit_record(actor=officer, action=f"task.{action}", target=application,
                     detail={"task": task.pk, "step": task.step.name, "note": note,
                             **({"report_sha256": stored.sha256} if stored else {})})
        if not StepTask.objects.filter(application=application, stage=task.stage, status=StepTask.Status.OPEN).exists():
            if task.stage < stage_count(application):
                stage_open(application=application, stage=task.stage + 1, now=now)
        application.save(update_fields=["updated_at"])
        application_index_sync(application)
    except BaseException:
        if stored is not None:
            document_discard(stored.key)
        raise
    return application


@transaction.atomic
def step_forward(*, task: StepTask, officer: User, note: str = "", checklist: dict[str, bool] | None = None,
                 report: UploadedFile | None = None) -> Application:
    """Close my SOP step and pass the file on; the next stage opens when every parallel step of this one is done.

    A site-survey step closes only after its visit (scheduled and due), with its report file and every
    checklist item ticked (`site_survey.survey_close_require`); the report is stored here, last.
    Audit: `task.forward`. Errors: StepAlreadyActed (409, another officer was first), PermissionDenied (not my
    role), ActionNotAllowed (the SOP step does not offer it), SurveyNotReady, an upload refusal for the report.
    """
    return _advance(task=task, officer=officer, action=Action.FORWARD, note=note, checklist=checklist, report=report)


@transaction.atomic
def recommendation_give(*, task: StepTask, officer: User, note: str = "", checklist: dict[str, bool] | None = None,
                        report: UploadedFile | None = None) -> Application:
    """A technical team (or survey) gives its recommendation on the file; the rest as `step_forward`.

    Audit: `task.recommend`. Errors: as `step_forward`.
    """
    return _advance(task=task, officer=officer, action=Action.RECOMMEND, note=note, checklist=checklist,
                    report=report)


@transaction.atomic
def application_return(*, task: StepTask, officer: User, note: str = "") -> Application:
    """Send the file back to the applicant to fix what was marked (or what the note says); the SLA clock pauses
    until they resubmit, and the step stays open for when it comes back.

    Transition `return` (in process → returned, by the step's officer). Audit: `application.return`.
    Errors: StepAlreadyActed, StatusChangeRefused, PermissionDenied, ActionNotAllowed (not offered; or
    `return_reason_required` when no requirement is marked and no note written).
    """
    application, task = _step_begin(task, officer, Action.RETURN, verb="return", by=By.STEP_OFFICER)
    rejected = list(application.documents.filter(is_current=True, review=ApplicationDocument.Review.REJECTED)
                    .select_related("requirement"))
    if not rejected and not note.strip():
        raise ActionNotAllowed(gettext("Tandai persyaratan yang perlu diperbaiki atau tuliskan catatan untuk pemohon."),
                               code="return_reason_required")
    status_change(application=application, verb="return", by=By.STEP_OFFICER)
    application.paused_at = timezone.now()
    application.save(update_fields=["status", "paused_at", "updated_at"])
    # Reasons are typed as sentences ("tidak jelas."): no double full stop before what follows.
    what = "; ".join(f"{d.requirement.name}: {d.review_reason.strip().rstrip('.')}" for d in rejected)
    message = "Dikembalikan kepada pemohon untuk perbaikan" + (f" — {what}" if what else "") + \
              (f". Catatan: {note.strip().rstrip('.')}." if note.strip() else ".")
    event_record(application=application, kind="returned", step=task.step, message=message)
    audit_record(actor=officer, action="application.return", target=application,
                 detail={"task": task.pk, "requirements": [d.requirement_id for d in rejected], "note": note})
    application_index_sync(application)
    return application


@transaction.atomic
def application_reject(*, task: StepTask, officer: User, reason: str) -> Application:
    """Refuse the permit at a step whose SOP offers rejection, with the reason the applicant will read.

    Transition `reject` (in process → rejected, by the step's officer); decided by `application_decide`.
    Audit: `application.decide` (outcome rejected). Errors: StepAlreadyActed, StatusChangeRefused,
    PermissionDenied, ActionNotAllowed (not offered; `reason_required`).
    """
    application, task = _step_begin(task, officer, Action.REJECT, verb="reject", by=By.STEP_OFFICER)
    now = timezone.now()
    _step_close(task, officer, Action.REJECT, reason, None, now)
    return application_decide(application=application, official=officer, outcome=Decision.Outcome.REJECTED,
                              reason=reason, task=task, now=now)


@transaction.atomic
def application_approve(*, task: StepTask, officer: User, note: str = "") -> Application:
    """Approve and sign: only the official who holds signing authority for the permit type today (delegation
    or Plh/Plt); the permit is numbered, rendered, signed and issued in this same transaction.

    Transition `approve` (in process → issued, by the authority). Audit: `application.decide` and
    `permit.sign`. Errors: StepAlreadyActed, StatusChangeRefused, PermissionDenied, ActionNotAllowed,
    NotAuthorizedToSign (403, with the authority chain), SignerNotReady.
    """
    application, task = _step_begin(task, officer, Action.APPROVE_SIGN, verb="approve", by=By.AUTHORITY)
    now = timezone.now()
    _step_close(task, officer, Action.APPROVE_SIGN, note, None, now)
    return application_decide(application=application, official=officer, outcome=Decision.Outcome.APPROVED,
                              reason=note, task=task, now=now)


def _system_actor(fiktif_positif: bool, official: User | None) -> dict:
    """The audit detail of an act the system did under the fiktif-positif rule, in whose name."""
    if not fiktif_positif:
        return {}
    return {"by": "system", "under": "fiktif_positif", "in_name_of": getattr(official, "pk", None)}


@transaction.atomic
def application_decide(*, application: Application, official: User | None, outcome: str, reason: str = "",
                       task: StepTask | None = None, now: dt.datetime | None = None,
                       fiktif_positif: bool = False) -> Application:
    """Decide an application in process: a rejection with its reason, or an approval signed by the official who
    holds authority today — or, under fiktif positif, by the system in that official's name (or the office's).

    Every open step is cancelled. Transitions `reject` (by the step's officer), `approve` (by the authority)
    or `fiktif_positif` (by the system). Audit: `application.decide` (no person as actor under fiktif
    positif), and `permit.sign` on approval. Errors: StatusChangeRefused, NotAuthorizedToSign,
    ActionNotAllowed (`reason_required`), SignerNotReady.
    """
    now = now or timezone.now()
    approves = outcome == Decision.Outcome.APPROVED
    verb, by = (("fiktif_positif", By.SYSTEM) if fiktif_positif else ("approve", By.AUTHORITY)) if approves \
        else ("reject", By.STEP_OFFICER)
    application = Application.objects.select_for_update(of=("self",), no_key=True).select_related("permit_type").get(pk=application.pk)
    status_change_check(application=application, verb=verb, by=by)
    synchronous_commit_require()  # a decision told to the applicant must survive the primary
    authority = delegation_resolve(permit_type=application.permit_type, on=regency_today(at=now))
    if approves and not fiktif_positif:
        if authority.official is None or official is None or authority.official.pk != official.pk:
            raise NotAuthorizedToSign(
                gettext("Anda tidak memegang wewenang menandatangani izin ini hari ini. ")
                + " ".join(str(line) for line in authority.chain),
                chain=[str(line) for line in authority.chain],
            )
    if not approves and not reason.strip():
        raise ActionNotAllowed(gettext("Tuliskan alasan penolakan."), code="reason_required")
    decision = Decision.objects.create(
        application=application, outcome=outcome, official=official, decided_at=now, reason=reason,
        position=authority.position if approves else None, rule=authority.rule if approves else None,
        acting=authority.acting if approves else None,
        authority_chain=chain_as_recorded(authority.chain) if approves else [],
        is_fiktif_positif=fiktif_positif,
    )
    StepTask.objects.filter(application=application, status=StepTask.Status.OPEN) \
        .update(status=StepTask.Status.CANCELLED, completed_at=now)
    application.decided_at = now
    # Fiktif positif: no person decided; the system did, under the rule (the official is only named).
    audit_record(actor=None if fiktif_positif else official, action="application.decide", target=application,
                 detail={"outcome": outcome, "rule": decision.rule_id, "acting": decision.acting_id,
                         "reason": reason, **_system_actor(fiktif_positif, official)})
    if not approves:
        status_change(application=application, verb=verb, by=by)
        application.save(update_fields=["status", "decided_at", "updated_at"])
        event_record(application=application, kind="rejected", step=getattr(task, "step", None),
                     message=f"Permohonan ditolak. Alasan: {reason}")
    else:
        from permits.services.issuance import permit_issue

        signer: Any = official
        # Issue #5: a fiktif-positif grant with no official in authority is signed in the office's name.
        if signer is None:
            from permits.services.fiktif_positif import office_signer

            signer = office_signer()
        permit_issue(application=application, decision=decision, signer=signer)  # moves it to issued
    application_index_sync(application)
    return application
