"""Writes on the office's side: claim a step, review requirements, act as the SOP allows, decide."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from permits.errors import ActionNotAllowed, ApplicationNotEditable, NotAuthorizedToSign, StepAlreadyActed
from permits.models.applications import Application, ApplicationDocument, Decision, StepTask
from permits.models.workflow import Action
from permits.regency import regency_today
from permits.selectors.delegation import delegation_resolve
from permits.services.applications import event_record
from permits.services.index import application_index_sync
from permits.services.stages import stage_count, stage_open
from pintu.access.models import Role
from pintu.access.selectors import membership_roles
from pintu.audit.services import audit_record
from pintu.errors import PermissionDenied
from pintu.replication import synchronous_commit_require


def officer_may_act(*, officer, task: StepTask) -> bool:
    """True when `officer` holds the step's role here (and, for a technical team, its agency)."""
    from pintu.access.models import Membership

    memberships = Membership.objects.filter(user_id=officer.pk, is_active=True, role=task.role)
    if task.role == Role.TECHNICAL_TEAM and task.agency:
        memberships = memberships.filter(agency=task.agency)
    return memberships.exists()


def _lock(task: StepTask) -> tuple[Application, StepTask]:
    """Lock the application, then the task (always in that order), and check the task is still open."""
    application = Application.objects.select_for_update().get(pk=task.application_id)
    task = StepTask.objects.select_for_update(of=("self",)).select_related("step").get(pk=task.pk)
    if task.status != StepTask.Status.OPEN:
        raise StepAlreadyActed()
    if application.status != Application.Status.IN_PROCESS:
        raise ApplicationNotEditable("Permohonan ini sedang tidak dalam proses di kantor.")
    return application, task


@transaction.atomic
def task_claim(*, task: StepTask, officer) -> StepTask:
    """Take a step as mine; a step already claimed by someone else is refused."""
    application, task = _lock(task)
    if not officer_may_act(officer=officer, task=task):
        raise PermissionDenied("Langkah ini bukan untuk peran Anda.")
    if task.claimed_by_id and task.claimed_by_id != officer.pk:
        raise StepAlreadyActed("Langkah ini sudah diambil petugas lain.")
    task.claimed_by = officer
    task.save(update_fields=["claimed_by"])
    audit_record(actor=officer, action="task.claim", target=application, detail={"task": task.pk})
    return task


@transaction.atomic
def document_review(*, document: ApplicationDocument, officer, accepted: bool, reason: str = "") -> ApplicationDocument:
    """Verify one requirement: accept it, or mark it for the applicant to fix, with a reason."""
    application = Application.objects.select_for_update().get(pk=document.application_id)
    if application.status != Application.Status.IN_PROCESS:
        raise ApplicationNotEditable("Berkas hanya dapat diperiksa saat permohonan diproses.")
    if not membership_roles(user=officer) & {Role.VERIFIER, Role.FRONT_OFFICE, Role.TECHNICAL_TEAM}:
        raise PermissionDenied("Hanya verifikator, petugas loket, atau tim teknis yang dapat memeriksa berkas.")
    if not accepted and not reason.strip():
        raise ActionNotAllowed("Tuliskan alasan agar pemohon tahu apa yang harus diperbaiki.", code="reason_required")
    limit = ApplicationDocument._meta.get_field("review_reason").max_length
    if len(reason.strip()) > limit:
        raise ActionNotAllowed(f"Alasan terlalu panjang (paling banyak {limit} karakter).", code="reason_too_long")
    document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
    document.review = ApplicationDocument.Review.ACCEPTED if accepted else ApplicationDocument.Review.REJECTED
    document.review_reason = "" if accepted else reason.strip()
    document.reviewed_by = officer
    document.reviewed_at = timezone.now()
    document.save()
    audit_record(actor=officer, action="document.review", target=application,
                 detail={"document": document.pk, "accepted": accepted, "reason": document.review_reason})
    return document


@transaction.atomic
def task_act(*, task: StepTask, officer, action: str, note: str = "", checklist: dict | None = None,
             survey_on=None, report_key: str = "") -> Application:
    """Do what the SOP step allows: forward, recommend, return to the applicant, reject, or approve and sign.

    Two officers acting on the same step at once: the first wins, the second gets StepAlreadyActed.
    """
    application, task = _lock(task)
    if not officer_may_act(officer=officer, task=task):
        raise PermissionDenied("Langkah ini bukan untuk peran Anda.")
    if action not in task.step.allowed_actions:
        raise ActionNotAllowed(f"Tindakan '{Action(action).label if action in Action.values else action}' "
                               f"tidak diperbolehkan pada langkah '{task.step.name}'.")
    now = timezone.now()
    if action == Action.RETURN:
        return _return(application, task, officer, note, now)
    task.status = StepTask.Status.DONE
    task.completed_at, task.completed_by, task.action, task.note = now, officer, action, note
    task.checklist_result = checklist or {}
    task.survey_on = survey_on
    task.report_key = report_key
    task.save()
    if action == Action.REJECT:
        return _decide(application, officer, Decision.Outcome.REJECTED, note, now, task=task)
    if action == Action.APPROVE_SIGN:
        return _decide(application, officer, Decision.Outcome.APPROVED, note, now, task=task)
    label = "Rekomendasi diberikan" if action == Action.RECOMMEND else "Selesai"
    event_record(application=application, kind=action, step=task.step, message=f"{label}: {task.step.name}.")
    audit_record(actor=officer, action=f"task.{action}", target=application,
                 detail={"task": task.pk, "step": task.step.name, "note": note})
    if not StepTask.objects.filter(application=application, stage=task.stage, status=StepTask.Status.OPEN).exists():
        if task.stage < stage_count(application):
            stage_open(application=application, stage=task.stage + 1, now=now)
    application.save(update_fields=["updated_at"])
    application_index_sync(application)
    return application


def _return(application, task, officer, note, now) -> Application:
    rejected = list(application.documents.filter(is_current=True, review=ApplicationDocument.Review.REJECTED)
                    .select_related("requirement"))
    if not rejected and not note.strip():
        raise ActionNotAllowed("Tandai persyaratan yang perlu diperbaiki atau tuliskan catatan untuk pemohon.",
                               code="return_reason_required")
    application.status = Application.Status.RETURNED
    application.paused_at = now
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


def _system_actor(fiktif_positif: bool, official) -> dict:
    """The audit detail of an act the system did under the fiktif-positif rule, in whose name."""
    if not fiktif_positif:
        return {}
    return {"by": "system", "under": "fiktif_positif", "in_name_of": getattr(official, "pk", None)}


def _decide(application, officer, outcome, reason, now, *, task, fiktif_positif: bool = False) -> Application:
    synchronous_commit_require()  # a decision told to the applicant must survive the primary
    authority = delegation_resolve(permit_type=application.permit_type, on=regency_today(at=now))
    if outcome == Decision.Outcome.APPROVED and not fiktif_positif:
        if authority.official is None or authority.official.pk != officer.pk:
            raise NotAuthorizedToSign(
                "Anda tidak memegang wewenang menandatangani izin ini hari ini. " + " ".join(authority.chain),
                chain=authority.chain,
            )
    if outcome == Decision.Outcome.REJECTED and not reason.strip():
        raise ActionNotAllowed("Tuliskan alasan penolakan.", code="reason_required")
    signs = outcome == Decision.Outcome.APPROVED
    decision = Decision.objects.create(
        application=application, outcome=outcome, official=officer, decided_at=now, reason=reason,
        position=authority.position if signs else None, rule=authority.rule if signs else None,
        acting=authority.acting if signs else None, authority_chain=authority.chain if signs else [],
        is_fiktif_positif=fiktif_positif,
    )
    StepTask.objects.filter(application=application, status=StepTask.Status.OPEN) \
        .update(status=StepTask.Status.CANCELLED, completed_at=now)
    application.decided_at = now
    # Fiktif positif: no person decided; the system did, under the rule (the official is only named).
    audit_record(actor=None if fiktif_positif else officer, action="application.decide", target=application,
                 detail={"outcome": outcome, "rule": decision.rule_id, "acting": decision.acting_id,
                         "reason": reason, **_system_actor(fiktif_positif, officer)})
    if outcome == Decision.Outcome.REJECTED:
        application.status = Application.Status.REJECTED
        application.save(update_fields=["status", "decided_at", "updated_at"])
        event_record(application=application, kind="rejected", step=task.step,
                     message=f"Permohonan ditolak. Alasan: {reason}")
    else:
        from permits.services.issuance import permit_issue

        # Issue #5: a fiktif-positif grant with no official in authority is signed in the office's name.
        if officer is None:
            from permits.services.fiktif_positif import office_signer

            officer = office_signer()
        permit_issue(application=application, decision=decision, signer=officer)
    application_index_sync(application)
    return application
