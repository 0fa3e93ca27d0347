"""Files officers read and add while processing: requirement downloads (audited) and survey reports."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext

from permits.models.applications import ApplicationDocument, StepTask
from pintu.access.selectors import membership_roles
from pintu.audit.services import audit_record
from pintu.errors import NotFound, PermissionDenied
from pintu.storage.services import StoredFile, Upload, document_store

if TYPE_CHECKING:
    from pintu.identity.models import User

SURVEY_REPORT_TYPES = ["pdf", "jpg", "png"]
SURVEY_REPORT_MAX_BYTES = 10 * 1024 * 1024


def _officer_here(officer: User) -> None:
    if not membership_roles(user=officer):
        raise PermissionDenied(gettext("Hanya petugas dengan peran di daerah ini yang dapat membuka berkas pemohon."))


def _officer_handles(officer: User, application_id: int) -> None:
    """Scans go only to officers who handle the file; to anyone else the file is not there (404)."""
    from permits.selectors.office import officer_handles

    _officer_here(officer)
    if not officer_handles(officer=officer, application_id=application_id):
        raise NotFound(gettext("Berkas tidak ditemukan."))


@transaction.atomic
def officer_document_open(*, document: ApplicationDocument, officer: User) -> str:
    """An officer who handles the file reads an applicant's requirement file (anyone else: NotFound); every
    read goes into the audit log."""
    _officer_handles(officer, document.application_id)
    audit_record(actor=officer, action="document.download", target=document.application,
                 detail={"document": document.pk, "requirement": document.requirement_id, "sha256": document.sha256})
    return document.key


@transaction.atomic
def officer_report_open(*, task: StepTask, officer: User) -> str:
    """An officer who handles the file reads a survey report; audited like any applicant file."""
    _officer_handles(officer, task.application_id)
    if not task.report_key:
        raise NotFound(gettext("Belum ada laporan survei pada langkah ini."))
    audit_record(actor=officer, action="document.download", target=task.application,
                 detail={"task": task.pk, "report": True})
    return task.report_key


def survey_report_store(*, file: Upload, filename: str = "") -> StoredFile:
    """Keep a surveyor's report (PDF or photo), checked by content like any upload."""
    from permits.regency import current_regency
    from permits.signals import document_stored

    stored = document_store(file=file, kind="surveys", filename=filename, allowed_types=SURVEY_REPORT_TYPES,
                            max_bytes=SURVEY_REPORT_MAX_BYTES)
    document_stored.send(sender=StoredFile, document=stored, regency=current_regency())  # on the storage meter
    return stored
