"""Reports of illegal fees (pungutan liar, "pungli"): anyone reports, only ministry inspectors read.

The report lives in the public schema and is written and read only through these functions.
Nothing here touches a regency's schema or its audit log (which its officers can read): the
inspectors' actions go to the ministry's own log (`MinistryLogEntry`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from billing_free.errors import (
    InspectorRequired,
    PungliReportInvalid,
    PungliReportNotFound,
    PungliTransitionNotAllowed,
)
from billing_free.models import MinistryLogEntry, PungliFollowUp, PungliReport
from pintu import follow_code
from pintu.access.roles import PUNGLI_ROLES
from pintu.access.selectors import ministry_role_holds

if TYPE_CHECKING:
    from django.core.files import File
    from django.http import HttpResponse

    from pintu.identity.models import User
    from tenants.models import Regency


_CODE = re.compile(r"^PGL-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
_REGISTRATION = re.compile(r"^[A-Za-z0-9/.\-]{1,32}$")
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 5000

Status = PungliReport.Status
# Which step an inspector may take from which status.
_TRANSITIONS = {
    "triage": ({Status.RECEIVED}, Status.IN_REVIEW),
    "follow_up": ({Status.RECEIVED, Status.IN_REVIEW, Status.FOLLOWED_UP}, Status.FOLLOWED_UP),
    "close": ({Status.RECEIVED, Status.IN_REVIEW, Status.FOLLOWED_UP}, Status.CLOSED),
}


def follow_code_new() -> str:
    return follow_code.follow_code_new(prefix="PGL")


def follow_code_normalise(code: str) -> str:
    return follow_code.follow_code_normalise(code, prefix="PGL")


def follow_code_hash(code: str) -> str:
    return follow_code.follow_code_hash(code, prefix="PGL")


def _log(*, actor: User, action: str, report: PungliReport | None = None, **detail: object) -> None:
    MinistryLogEntry.objects.create(actor=actor if getattr(actor, "pk", None) else None, action=action,
                                    target_type="billing_free.pungli_report" if report else "",
                                    target_id=str(report.pk) if report else "", detail=detail)


def is_inspector(user: User) -> bool:
    return ministry_role_holds(user=user, roles=PUNGLI_ROLES)


def inspector_require(user: User) -> None:
    if not is_inspector(user):
        raise InspectorRequired()


@transaction.atomic
def pungli_report_submit(*, regency: Regency, description: str, registration_number: str = "", file: File | None = None,
                         filename: str = "", reporter: User | None = None, contact: str = "") -> tuple[PungliReport, str]:
    """Receive a report (anonymous allowed); returns it with its follow code, shown to the reporter once."""
    from billing_free.storage import report_file_store

    fields: dict[str, str] = {}
    if regency is None or getattr(regency, "is_public", False) or not regency.code:
        fields["regency"] = "Pilih daerah tempat kejadian."
    description = (description or "").strip()
    if len(description) < DESCRIPTION_MIN:
        fields["description"] = f"Ceritakan kejadiannya (paling sedikit {DESCRIPTION_MIN} karakter): kapan, di mana, berapa yang diminta."
    elif len(description) > DESCRIPTION_MAX:
        fields["description"] = f"Uraian terlalu panjang (paling banyak {DESCRIPTION_MAX} karakter)."
    registration_number = (registration_number or "").strip()
    if registration_number and not _REGISTRATION.match(registration_number):
        fields["registration_number"] = "Nomor registrasi hanya berisi huruf, angka, / . dan -."
    contact = (contact or "").strip()
    if len(contact) > 150:
        fields["contact"] = "Kontak terlalu panjang."
    if fields:
        raise PungliReportInvalid(fields=fields)
    stored = report_file_store(file=file, filename=filename) if file is not None else None
    code = follow_code_new()
    report = PungliReport.objects.create(
        regency=regency, description=description, registration_number=registration_number,
        reporter=reporter if getattr(reporter, "is_authenticated", False) else None, contact=contact,
        follow_code_hash=follow_code_hash(code),
        file_key=stored.key if stored else "", file_name=stored.display_name if stored else "",
        file_content_type=stored.content_type if stored else "", file_size=stored.size if stored else None,
    )
    _log(actor=report.reporter, action="pungli.receive", report=report, regency=regency.code,
         has_file=bool(stored))
    return report, code


@dataclass(frozen=True)
class ReportStatus:
    """All a holder of the follow code learns: the status and its dates, never the content."""

    status: str
    status_label: str
    received_at: object
    updated_at: object


def pungli_report_status(*, code: str, regency: Regency | None = None) -> ReportStatus:
    """The status of the report with this follow code (on a regency's subdomain, only its own reports)."""
    code = follow_code_normalise(code)
    if not _CODE.match(code):
        raise PungliReportNotFound()
    qs = PungliReport.objects.filter(follow_code_hash=follow_code_hash(code))
    if regency is not None:
        qs = qs.filter(regency=regency)
    row = qs.values("status", "created_at", "updated_at").first()
    if row is None:
        raise PungliReportNotFound()
    return ReportStatus(status=row["status"], status_label=str(Status(row["status"]).label),
                        received_at=row["created_at"], updated_at=row["updated_at"])


def pungli_report_get(*, inspector: User, pk: int) -> PungliReport:
    """One report for an inspector; the reading is logged."""
    inspector_require(inspector)
    report = PungliReport.objects.select_related("regency", "reporter", "handled_by").filter(pk=pk).first()
    if report is None:
        raise PungliReportNotFound(gettext("Laporan tidak ditemukan."))
    _log(actor=inspector, action="pungli.view", report=report)
    return report


def pungli_report_file_open(*, inspector: User, report: PungliReport) -> HttpResponse:
    from billing_free.storage import report_file_response

    inspector_require(inspector)
    if not report.file_key:
        raise PungliReportNotFound(gettext("Laporan ini tidak memiliki lampiran."))
    response = report_file_response(report.file_key, download_name=report.file_name)
    _log(actor=inspector, action="pungli.file_download", report=report)
    return response


@transaction.atomic
def pungli_report_advance(*, inspector: User, report: PungliReport, step: str, note: str) -> PungliReport:
    """Triage, record a follow-up, or close a report, with the inspector's note."""
    inspector_require(inspector)
    if step not in _TRANSITIONS:
        raise PungliTransitionNotAllowed()
    report = PungliReport.objects.select_for_update().get(pk=report.pk)
    allowed_from, to_status = _TRANSITIONS[step]
    if report.status not in allowed_from:
        raise PungliTransitionNotAllowed(
            gettext('Laporan berstatus "%(get_status_display)s"; langkah ini tidak dapat dilakukan.')
            % {"get_status_display": report.get_status_display()})
    note = (note or "").strip()
    if step in ("follow_up", "close") and not note:
        raise PungliReportInvalid(gettext("Tuliskan catatan tindak lanjut."), fields={"note": gettext("Catatan wajib diisi.")})
    if len(note) > 5000:
        raise PungliReportInvalid(gettext("Catatan terlalu panjang."), fields={"note": "Paling banyak 5000 karakter."})
    from_status = report.status
    now = timezone.now()
    PungliFollowUp.objects.create(report=report, inspector=inspector, from_status=from_status,
                                  to_status=to_status, note=note)
    if note:
        stamp = timezone.localtime(now).strftime("%d-%m-%Y %H:%M")
        entry = f"[{stamp} · {inspector.full_name or inspector.email} · {Status(to_status).label}] {note}"
        report.inspector_notes = f"{report.inspector_notes}\n{entry}".strip()
    report.status = to_status
    report.handled_by = inspector
    report.closed_at = now if to_status == Status.CLOSED else None
    report.save()
    _log(actor=inspector, action=f"pungli.{step}", report=report, from_status=from_status, to_status=to_status)
    return report
