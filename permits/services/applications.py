"""Writes on the applicant's side (and the counter's): draft, uploads, submit, fix and resubmit."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from permits import signals
from permits.errors import (
    ApplicationIncomplete,
    ApplicationNotEditable,
    FormDataInvalid,
    PermitTypeNotOffered,
)
from permits.models import FormField, PermitType, Requirement
from permits.models.applications import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    RegistrationCounter,
    StepTask,
)
from permits.regency import current_regency, regency_code, regency_now
from permits.selectors.calendar import sla_due_at, working_days_add, working_days_between
from permits.selectors.workflow import sop_in_force
from permits.services.catalog import form_data_clean, form_value_clean
from permits.services.index import application_index_sync
from permits.services.stages import stage_open
from permits.services.transitions import status_change, status_change_check, submitter_of
from pintu.audit.services import audit_lock, audit_record
from pintu.errors import DomainError
from pintu.follow_code import code_random
from pintu.identity.nik import nik_validate
from pintu.replication import synchronous_commit_require
from pintu.storage.services import Upload, upload_store

if TYPE_CHECKING:
    from permits.models import Permit, SopStep
    from pintu.identity.models import User

TRACKING_CODE_LENGTH = 8


def _tracking_code() -> str:
    return code_random(TRACKING_CODE_LENGTH)


def event_record(*, application: Application, kind: str, message: str, step: SopStep | None = None,
                 role: str = "") -> ApplicationEvent:
    audit_lock()  # what an event writes (outbox, OSS queue and its health row) comes after the chain's lock
    event = ApplicationEvent.objects.create(application=application, at=timezone.now(), kind=kind, message=message,
                                            step_name=getattr(step, "name", ""), role=role or getattr(step, "role", ""))
    # Issue #5: the applicant's messages go into the outbox in this same transaction (sent after commit).
    from permits.services.notify import event_notify

    event_notify(event)
    # Issue #17: an application that came from OSS RBA reports the change to OSS (same transaction).
    from permits.oss.reporting import oss_event_report

    oss_event_report(event)
    return event


def requirements_for(application: Application) -> list[Requirement]:
    """The requirements that apply to this application (new permit, renewal, or both)."""
    wanted = {Requirement.AppliesTo.BOTH, application.kind}
    return [r for r in application.permit_type.requirements.all() if r.applies_to in wanted]


@transaction.atomic
def application_draft_create(*, permit_type: PermitType, applicant: User | None = None,
                             channel: str = Application.Channel.ONLINE, kind: str = Application.Kind.NEW,
                             renewal_of: Permit | None = None, created_by: User | None = None,
                             applicant_name: str = "", applicant_nik: str = "", applicant_email: str = "",
                             applicant_phone: str = "") -> Application:
    """Start an application: online by the applicant, or at the counter by a front-office officer."""
    if not permit_type.is_active:
        raise PermitTypeNotOffered(gettext("Jenis izin ini sedang tidak ditawarkan."))
    if channel == Application.Channel.ONLINE and not permit_type.is_online:
        raise PermitTypeNotOffered(gettext("%(name)s hanya dapat diajukan di loket kantor DPMPTSP.") % {"name": permit_type.name})
    if kind == Application.Kind.RENEWAL and (renewal_of is None or not permit_type.is_renewable):
        raise PermitTypeNotOffered(gettext("Perpanjangan hanya untuk izin yang dapat diperpanjang, dari izin yang sudah terbit."))
    if channel == Application.Channel.COUNTER:
        try:
            applicant_nik = nik_validate(applicant_nik).nik
        except ValidationError as exc:
            raise FormDataInvalid(fields={"applicant_nik": [{"code": exc.code, "message": exc.messages[0]}]}) from exc
    if applicant is not None:
        applicant_name = applicant_name or applicant.full_name
        applicant_nik = applicant_nik or (applicant.nik or "")
        applicant_email = applicant_email or applicant.email
        applicant_phone = applicant_phone or applicant.phone
    if not applicant_name.strip():
        raise FormDataInvalid(fields={"applicant_name": [{"code": "required", "message": gettext("Nama pemohon wajib diisi.")}]})
    form_data = dict(renewal_of.application.form_data) if renewal_of is not None else {}
    if applicant_nik:
        # The applicant's NIK (account, or the counter's start form) is not typed a second time.
        for key in permit_type.form_fields.filter(kind=FormField.Kind.NIK).values_list("key", flat=True):
            form_data.setdefault(key, applicant_nik)
    application = Application.objects.create(
        permit_type=permit_type, applicant=applicant, channel=channel, kind=kind, renewal_of=renewal_of,
        created_by=created_by, applicant_name=applicant_name.strip(), applicant_nik=applicant_nik,
        applicant_email=applicant_email, applicant_phone=applicant_phone, tracking_code=_tracking_code(),
        form_data=form_data,
    )
    audit_record(actor=created_by or applicant, action="application.draft", target=application,
                 detail={"permit_type": permit_type.code, "channel": channel, "kind": kind})
    return application


def _editable(application: Application) -> Application:
    if not application.is_editable:
        raise ApplicationNotEditable()
    return application


def _answers_merge(application: Application, data: dict) -> tuple[dict, dict[str, list[dict]]]:
    """The form's answers with `data` applied, and the problems of the answers that could not be taken."""
    fields = {f.key: f for f in application.permit_type.form_fields.all()}
    errors: dict[str, list[dict]] = {}
    merged = dict(application.form_data)
    for key, value in (data or {}).items():
        if key not in fields:
            errors.setdefault(key, []).append({"code": "unknown_field", "message": gettext("Isian '%(key)s' tidak dikenal.")
                                                                                   % {"key": key}})
            continue
        if value in (None, ""):
            merged.pop(key, None)
            continue
        try:
            merged[key] = form_value_clean(fields[key], value, regency_code=regency_code())
        except ValidationError as exc:
            errors.setdefault(key, []).append({"code": exc.code or "invalid", "message": exc.messages[0]})
    return merged, errors


@transaction.atomic
def application_form_save(*, application: Application, data: dict, actor: User | None = None,
                          require_complete: bool = False) -> Application:
    """Save the form; answers given are checked now, missing required ones only at submission
    (or now, with `require_complete`, so that a person sees every problem at once)."""
    application = _editable(Application.objects.select_for_update(no_key=True).get(pk=application.pk))
    merged, errors = _answers_merge(application, data)
    if require_complete:
        for form_field in application.permit_type.form_fields.all():
            if form_field.is_required and form_field.key not in merged and form_field.key not in errors:
                errors[form_field.key] = [{"code": "required", "message": gettext("%(label)s wajib diisi.") % {"label": form_field.label}}]
    if errors:
        raise FormDataInvalid(fields=errors)
    application.form_data = merged
    application.save(update_fields=["form_data", "updated_at"])
    return application


@dataclass
class DraftSaved:
    """What became of one save of the applicant's page: the answers kept, each file stored or refused."""

    application: Application
    field_errors: dict[str, list[dict]] = field(default_factory=dict)
    stored: list[tuple[Requirement, ApplicationDocument]] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # requirement pk -> the Indonesian reason

    @property
    def is_clean(self) -> bool:
        return not self.field_errors and not self.refused


def application_draft_save(*, application: Application, data: dict,
                           uploads: Mapping[int, Sequence[Upload | None]] | None = None,
                           actor: User | None = None, chosen_bytes: Mapping[int, int] | None = None) -> DraftSaved:
    """Keep what the person typed and chose in one go: every valid answer is saved as the draft and each
    requirement's files are stored on their own, so a typo or a refused file loses nothing else.
    `chosen_bytes`: per requirement, what the photos weighed before the browser made them smaller."""
    with transaction.atomic():
        application = _editable(Application.objects.select_for_update(no_key=True).get(pk=application.pk))
        merged, errors = _answers_merge(application, data)
        if merged != application.form_data:
            application.form_data = merged
            application.save(update_fields=["form_data", "updated_at"])
            audit_record(actor=actor, action="application.draft_save", target=application,
                         detail={"fields": sorted(k for k in (data or {}) if k not in errors)})
    result = DraftSaved(application=application, field_errors=errors)
    requirements = {r.pk: r for r in requirements_for(application)}
    for requirement_pk, files in (uploads or {}).items():
        files = [f for f in files if f is not None]
        requirement = requirements.get(requirement_pk)
        if not files:
            continue
        if requirement is None:
            result.refused[requirement_pk] = gettext("Persyaratan ini bukan milik permohonan ini.")
            continue
        try:  # each in its own transaction: a file refused (or storage down) keeps the others and the answers
            document = application_document_upload(application=application, requirement=requirement, files=files,
                                                   actor=actor,
                                                   chosen_bytes=(chosen_bytes or {}).get(requirement_pk, 0))
        except DomainError as exc:
            result.refused[requirement_pk] = exc.message
        else:
            result.stored.append((requirement, document))
    return result


@transaction.atomic
def application_document_upload(*, application: Application, requirement: Requirement, file: Upload | None = None,
                                filename: str = "", files: Sequence[Upload] | None = None,
                                actor: User | None = None, chosen_bytes: int = 0) -> ApplicationDocument:
    """Store one requirement's file (checked by content and size); it replaces the previous upload.

    A phone photo is made to fit (shrunk, stripped of its metadata, or made a PDF where the regency
    allows it; several photos become the pages of one PDF); `document.fit_note` says what was done,
    also by the applicant's browser when it sent smaller copies (`chosen_bytes`, upload.js)."""
    application = _editable(Application.objects.select_for_update(no_key=True).get(pk=application.pk))
    if requirement.permit_type_id != application.permit_type_id:
        raise ApplicationNotEditable(gettext("Persyaratan ini bukan milik jenis izin permohonan ini."))
    if files is None:
        files = [file]
    names = [filename] if filename and len(files) == 1 else [getattr(f, "name", "") or "" for f in files]
    stored = upload_store(files=list(files), filenames=names, kind="requirements",
                          allowed_types=requirement.allowed_types, max_bytes=requirement.max_size_kb * 1024,
                          photo_as_pdf=requirement.accepts_photo_as_pdf, chosen_bytes=chosen_bytes)
    ApplicationDocument.objects.filter(application=application, requirement=requirement, is_current=True) \
        .update(is_current=False)
    document = ApplicationDocument.objects.create(
        application=application, requirement=requirement, key=stored.key, sha256=stored.sha256, size=stored.size,
        content_type=stored.content_type, display_name=stored.display_name, uploaded_by=actor,
    )
    document.fit_note = stored.note
    audit_record(actor=actor, action="application.upload", target=application,
                 detail={"requirement": requirement.pk, "sha256": stored.sha256, "size": stored.size,
                         **({"fitted": stored.note} if stored.note else {})})
    signals.document_stored.send(sender=ApplicationDocument, document=document, regency=current_regency())
    return document


def _completeness_check(application: Application) -> dict:
    try:
        cleaned = form_data_clean(permit_type=application.permit_type, data=application.form_data)
    except FormDataInvalid as exc:
        fields = exc.detail["fields"]
    else:
        fields = {}
        application.form_data = cleaned
    current = {d.requirement_id: d for d in application.documents.filter(is_current=True)}
    missing = []
    for requirement in requirements_for(application):
        document = current.get(requirement.pk)
        if requirement.is_mandatory and document is None:
            missing.append({"requirement": requirement.pk, "code": "missing",
                            "message": gettext("%(name)s belum diunggah.") % {"name": requirement.name}})
        elif document is not None and document.review == ApplicationDocument.Review.REJECTED:
            missing.append({"requirement": requirement.pk, "code": "needs_fix",
                            "message": f"{requirement.name} perlu diunggah ulang: {document.review_reason}"})
    if fields or missing:
        first = next(iter(fields.values()))[0]["message"] if fields else missing[0]["message"]
        raise ApplicationIncomplete(gettext("Permohonan belum lengkap: %(first)s") % {"first": first}, fields=fields, requirements=missing)
    return application.form_data


def application_incompleteness(application: Application) -> ApplicationIncomplete | None:
    """What still stands in the way of submitting (missing answers and files), without changing anything."""
    try:
        _completeness_check(Application.objects.select_related("permit_type").get(pk=application.pk))
    except ApplicationIncomplete as exc:
        return exc
    return None


def _registration_number(now: dt.datetime) -> str:
    synchronous_commit_require()  # the number is acknowledged to the applicant: it must reach the standby
    audit_lock()  # the lock order: the chain's lock before the regency's shared counter (receiveNIB holds it here)
    counter, _ = RegistrationCounter.objects.get_or_create(year=now.year)
    counter = RegistrationCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{regency_code()}-{now.year}-{counter.last:06d}"


@transaction.atomic
def application_submit(*, application: Application, actor: User | None = None) -> Application:
    """Submit: registration number, SOP version frozen, SLA clock started, first step opened, index row written."""
    application = Application.objects.select_for_update(of=("self",), no_key=True).select_related("permit_type").get(pk=application.pk)
    if application.status == Application.Status.RETURNED:
        return application_resubmit(application=application, actor=actor)
    status_change_check(application=application, verb="submit", by=submitter_of(application))
    sop = sop_in_force(application.permit_type)
    if sop is None:
        raise PermitTypeNotOffered(gettext("Jenis izin ini belum memiliki SOP yang berlaku; hubungi kantor DPMPTSP."))
    _completeness_check(application)
    now = timezone.now()
    application.registration_number = _registration_number(regency_now(at=now))
    application.sop = sop
    status_change(application=application, verb="submit", by=submitter_of(application))
    application.submitted_at = now
    application.levy_amount = application.permit_type.levy_amount
    application.due_at = sla_due_at(started_at=now, working_days=application.permit_type.sla_working_days)
    application.save()
    event_record(application=application, kind="submitted",
                 message=f"Permohonan diterima ({application.get_channel_display().lower()}).")
    stage_open(application=application, stage=1, now=now)
    audit_record(actor=actor, action="application.submit", target=application,
                 detail={"registration_number": application.registration_number, "sop": sop.pk,
                         "sop_version": sop.version})
    application_index_sync(application)
    signals.application_submitted.send(sender=Application, application=application, regency=current_regency())
    return application


@transaction.atomic
def application_resubmit(*, application: Application, actor: User | None = None) -> Application:
    """Back from the applicant: the SLA clock resumes where it paused (it does not restart)."""
    application = Application.objects.select_for_update(of=("self",), no_key=True).select_related("permit_type").get(pk=application.pk)
    status_change_check(application=application, verb="resubmit", by=submitter_of(application))
    _completeness_check(application)
    now = timezone.now()
    paused_days = working_days_between(regency_now(at=application.paused_at).date(), regency_now(at=now).date())
    if paused_days:
        application.due_at = _shift(application.due_at, paused_days)
        for task in StepTask.objects.select_for_update().filter(application=application, status=StepTask.Status.OPEN):
            task.due_at = _shift(task.due_at, paused_days)
            task.save(update_fields=["due_at"])
    application.paused_working_days += paused_days
    application.paused_at = None
    status_change(application=application, verb="resubmit", by=submitter_of(application))
    application.save()
    event_record(application=application, kind="resubmitted",
                 message="Perbaikan dari pemohon diterima; proses dilanjutkan.")
    audit_record(actor=actor, action="application.resubmit", target=application,
                 detail={"paused_working_days": paused_days})
    application_index_sync(application)
    return application


def _shift(moment: dt.datetime, working_days: int) -> dt.datetime:
    """The same time of day, `working_days` working days later, in the regency's zone."""
    local = regency_now(at=moment)
    return dt.datetime.combine(working_days_add(local.date(), working_days), local.timetz())
