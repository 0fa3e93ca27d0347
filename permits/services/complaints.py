"""Writes for complaints (pengaduan): file, assign, answer, close — each officer action audited.

The complainant gets a follow code once; only its hash is stored. The answer deadline is the
regency's own (ComplaintPolicy), counted in working days in the regency's time zone.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from permits.errors import ComplaintInvalid, ComplaintTransitionNotAllowed
from permits.models.applications import Application
from permits.models.catalog import PermitType
from permits.models.complaints import Complaint, ComplaintPolicy
from permits.selectors.calendar import sla_due_at
from permits.selectors.complaints import complaint_policy
from pintu import follow_code
from pintu.access.models import Membership, Role
from pintu.access.roles import COMPLAINT_ROLES
from pintu.access.selectors import membership_roles
from pintu.audit.services import audit_record
from pintu.errors import PermissionDenied

if TYPE_CHECKING:
    from pintu.identity.models import User

DESCRIPTION_MIN, DESCRIPTION_MAX, ANSWER_MIN = 15, 5000, 10

Status = Complaint.Status


def follow_code_new() -> str:
    return follow_code.follow_code_new(prefix="ADU")


def follow_code_hash(code: str) -> str:
    return follow_code.follow_code_hash(code, prefix="ADU")


def _handler_require(actor: User, *, assignee_allowed: Complaint | None = None) -> set[str]:
    roles = membership_roles(user=actor)
    if roles & set(COMPLAINT_ROLES):
        return roles
    if assignee_allowed is not None and roles and assignee_allowed.assigned_to_id == getattr(actor, "pk", None):
        return roles
    raise PermissionDenied(gettext("Anda tidak memiliki peran penanganan pengaduan di daerah ini."))


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


@transaction.atomic
def complaint_file(*, description: str, registration_number: str = "", permit_type: PermitType | None = None,
                   contact: str = "", complainant: User | None = None) -> tuple[Complaint, str]:
    """Anyone files a complaint; a registration number, if given, must be this regency's. Returns the code once."""
    description = (description or "").strip()
    fields: dict[str, list[dict]] = {}
    if len(description) < DESCRIPTION_MIN:
        fields["description"] = [{"code": "too_short", "message":
                                  gettext("Ceritakan keluhan Anda paling sedikit %(DESCRIPTION_MIN)s karakter.")
                                  % {"DESCRIPTION_MIN": DESCRIPTION_MIN}}]
    elif len(description) > DESCRIPTION_MAX:
        fields["description"] = [{"code": "too_long", "message":
                                  gettext("Isi pengaduan paling panjang %(DESCRIPTION_MAX)s karakter.")
                                  % {"DESCRIPTION_MAX": DESCRIPTION_MAX}}]
    contact = (contact or "").strip()
    if len(contact) > 150:
        fields["contact"] = [{"code": "too_long", "message": gettext("Kontak paling panjang 150 karakter.")}]
    number = (registration_number or "").strip().upper()
    application = None
    if number:
        application = Application.objects.select_related("permit_type").filter(registration_number=number).first()
        if application is None:
            fields["registration_number"] = [{"code": "unknown", "message":
                                              gettext("Nomor registrasi tidak ditemukan di daerah ini. "
                                                      "Periksa kembali atau kosongkan isian ini.")}]
    if fields:
        raise ComplaintInvalid(next(iter(fields.values()))[0]["message"], fields=fields)
    if application is not None and permit_type is None:
        permit_type = application.permit_type
    now = timezone.now()
    code = follow_code_new()
    complaint = Complaint.objects.create(
        code_hash=follow_code_hash(code), permit_type=permit_type, application=application,
        registration_number=number, description=description, contact=contact,
        complainant=complainant if getattr(complainant, "pk", None) else None, filed_at=now,
        due_at=sla_due_at(started_at=now, working_days=complaint_policy().answer_working_days))
    audit_record(actor=complaint.complainant, action="complaint.file", target=complaint,
                 detail={"application": getattr(application, "pk", None), "due_at": complaint.due_at})
    return complaint, code


@transaction.atomic
def complaint_assign(*, complaint: Complaint, officer: User, actor: User) -> Complaint:
    """A handler gives the complaint to an officer who holds a role in this regency."""
    _handler_require(actor)
    complaint = _locked(complaint)
    if complaint.status in (Status.ANSWERED, Status.CLOSED):
        raise ComplaintTransitionNotAllowed(gettext("Pengaduan yang sudah dijawab atau selesai tidak dapat dialihkan."))
    if not Membership.objects.filter(user_id=getattr(officer, "pk", None), is_active=True).exists():
        raise ComplaintInvalid.one("officer", "not_an_officer", gettext("Petugas yang dipilih tidak memiliki peran di daerah ini."))
    previous = complaint.assigned_to_id
    complaint.assigned_to = officer
    complaint.assigned_at = timezone.now()
    complaint.status = Status.ASSIGNED
    complaint.save(update_fields=["assigned_to", "assigned_at", "status"])
    audit_record(actor=actor, action="complaint.assign", target=complaint,
                 detail={"officer": officer.pk, "previous": previous})
    return complaint


@transaction.atomic
def complaint_answer(*, complaint: Complaint, actor: User, answer: str) -> Complaint:
    """The assigned officer (or a handler) answers; the complainant reads the answer with their code."""
    complaint = _locked(complaint)
    _handler_require(actor, assignee_allowed=complaint)
    if complaint.status == Status.CLOSED:
        raise ComplaintTransitionNotAllowed(gettext("Pengaduan ini sudah selesai."))
    answer = (answer or "").strip()
    if len(answer) < ANSWER_MIN:
        raise ComplaintInvalid.one("answer", "too_short", gettext("Jawaban paling sedikit %(ANSWER_MIN)s karakter.")
                                                          % {"ANSWER_MIN": ANSWER_MIN})
    if len(answer) > DESCRIPTION_MAX:
        raise ComplaintInvalid.one("answer", "too_long", gettext("Jawaban paling panjang %(DESCRIPTION_MAX)s karakter.")
                                                         % {"DESCRIPTION_MAX": DESCRIPTION_MAX})
    first = complaint.answered_at is None
    complaint.answer = answer
    complaint.answered_by = actor
    if first:  # the response time is the first answer's; corrections do not move it
        complaint.answered_at = timezone.now()
    if complaint.assigned_to_id is None:
        complaint.assigned_to, complaint.assigned_at = actor, complaint.answered_at
    complaint.status = Status.ANSWERED
    complaint.save(update_fields=["answer", "answered_by", "answered_at", "assigned_to", "assigned_at", "status"])
    audit_record(actor=actor, action="complaint.answer", target=complaint,
                 detail={"first": first, "late": complaint.is_late})
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """A handler closes an answered complaint."""
    _handler_require(actor)
    complaint = _locked(complaint)
    if complaint.status == Status.CLOSED:
        raise ComplaintTransitionNotAllowed(gettext("Pengaduan ini sudah selesai."))
    if complaint.answered_at is None:
        raise ComplaintTransitionNotAllowed(gettext("Jawab pengaduan ini sebelum menutupnya."))
    note = (note or "").strip()
    limit = Complaint._meta.get_field("close_note").max_length
    if len(note) > limit:
        raise ComplaintInvalid.one("close_note", "too_long",
                                   gettext("Catatan penutupan paling banyak %(limit)s karakter (sekarang %(len)s).")
                                   % {"limit": limit, "len": len(note)})
    complaint.status = Status.CLOSED
    complaint.closed_by = actor
    complaint.closed_at = timezone.now()
    complaint.close_note = note
    complaint.save(update_fields=["status", "closed_by", "closed_at", "close_note"])
    audit_record(actor=actor, action="complaint.close", target=complaint, detail={"note": complaint.close_note})
    return complaint


@transaction.atomic
def complaint_policy_set(*, actor: User, answer_working_days: int) -> ComplaintPolicy:
    """The regency administrator sets the answer deadline for complaints filed from now on."""
    if Role.REGENCY_ADMIN not in membership_roles(user=actor):
        raise PermissionDenied(gettext("Hanya administrator instansi yang dapat mengubah aturan pengaduan."))
    try:
        days = int(answer_working_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        raise ComplaintInvalid.one("answer_working_days", "out_of_range", gettext("Batas waktu jawaban 1–60 hari kerja."))
    policy = ComplaintPolicy.objects.select_for_update().order_by("pk").first() or ComplaintPolicy()
    before = policy.answer_working_days if policy.pk else None
    policy.answer_working_days = days
    policy.save()
    audit_record(actor=actor, action="complaint.policy_set", target=policy,
                 detail={"answer_working_days": days, "before": before})
    return policy
