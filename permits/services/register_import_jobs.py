"""A large register file is imported in the background while its page shows how far it got.

A file of 10,000 rows takes longer to check and write than a person should wait on one request, and the
web worker would cut it off. The file is kept in the regency's storage, a job row records it, and a Celery
task (in the regency's schema) runs the same `register_import` as the page does for small files. The import
is one transaction, so its progress cannot be read from its own rows: each thousand rows it writes how far it
got to the cache, which the job page reads on every refresh. Losing the cache loses only the moving figure.
"""
from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from permits.models import RegisterImportJob
from permits.services.register_import import RegisterRowsInvalid, register_import, register_rows_read
from pintu.audit.services import audit_record
from pintu.errors import DomainError
from pintu.identity.models import User
from pintu.storage.services import document_read, generated_document_store

log = logging.getLogger(__name__)

#: Files larger than this are imported in the background (about 700 CSV rows); smaller ones at once.
INLINE_MAX_BYTES = 64 * 1024
PROGRESS_SECONDS = 24 * 3600

_CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


class RegisterQueueUnavailable(DomainError):
    code = "register_queue_unavailable"
    message = gettext_lazy("Antrean pekerjaan sedang tidak tersedia; berkas belum diproses. Coba unggah lagi beberapa saat lagi.")
    status = 503


def _progress_key(job_id: int) -> str:
    return f"register-import:{job_id}"  # the cache's key function adds the regency's schema


def _progress_save(job_id: int, stage: str, done: int, total: int) -> None:
    try:
        cache.set(_progress_key(job_id), {"stage": stage, "done": done, "total": total}, PROGRESS_SECONDS)
    except Exception:  # noqa: BLE001 - the moving figure is not worth failing an import for
        log.warning("register import %s: progress not recorded", job_id, exc_info=True)


def register_import_progress(*, job: RegisterImportJob) -> dict:
    """What the job page shows: percent done and a sentence saying which stage, in Indonesian."""
    if job.is_finished:
        return {"percent": 100, "label": job.get_status_display()}
    if job.status == RegisterImportJob.Status.QUEUED:
        return {"percent": 0, "label": "Menunggu giliran di antrean."}
    try:
        seen = cache.get(_progress_key(job.pk)) or {}
    except Exception:  # noqa: BLE001 - without the cache the page still says the job runs
        seen = {}
    done, total, stage = seen.get("done", 0), max(seen.get("total", 0), 1), seen.get("stage", "read")
    if stage == "write":  # the second half of a real run
        return {"percent": 50 + 50 * done // total, "label": f"Menyimpan {done:,} dari {total:,} izin.".replace(",", ".")}
    if stage == "check":
        share = 100 if job.is_dry_run else 50
        return {"percent": share * done // total,
                "label": f"Memeriksa baris {done:,} dari {total:,}.".replace(",", ".")}
    return {"percent": 0, "label": "Membaca berkas."}


@transaction.atomic
def register_import_job_start(*, content: bytes, filename: str, dry_run: bool,
                              actor: User | None) -> RegisterImportJob:
    """Keep the uploaded register and queue its check (dry run) or import; the job page follows it."""
    extension = "xlsx" if (filename or "").lower().endswith(".xlsx") else "csv"
    stored = generated_document_store(data=content, kind="register-import", content_type=_CONTENT_TYPES[extension])
    job = RegisterImportJob.objects.create(filename=(filename or f"register.{extension}")[:255], file_key=stored.key,
                                           is_dry_run=dry_run, started_by=actor)
    audit_record(actor=actor, action="register.import_queued", target=job,
                 detail={"filename": job.filename, "dry_run": dry_run, "bytes": len(content)})
    transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    from permits.tasks import register_import_run

    try:
        register_import_run.delay(job_id)
    except Exception as exc:  # noqa: BLE001 - a broker that is down: the job says so instead of waiting forever
        log.warning("register import %s not queued: %s", job_id, exc)
        RegisterImportJob.objects.filter(pk=job_id).update(
            status=RegisterImportJob.Status.FAILED, message=str(RegisterQueueUnavailable.message),
            finished_at=timezone.now())


def register_import_job_run(*, job_id: int) -> RegisterImportJob:
    """Read the kept file and check (and unless a dry run, import) every row, saying how far it got.

    A job already finished is left alone, so a task delivered twice imports once (and the import itself
    leaves rows already imported unchanged)."""
    job = RegisterImportJob.objects.select_related("started_by").get(pk=job_id)
    if job.is_finished:
        return job
    job.status = RegisterImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    _progress_save(job.pk, "read", 0, 0)
    try:
        rows = register_rows_read(content=document_read(job.file_key), filename=job.filename)
        job.total = len(rows)
        report = register_import(rows=rows, actor=job.started_by, dry_run=job.is_dry_run,
                                 progress=lambda stage, done, total: _progress_save(job.pk, stage, done, total))
    except RegisterRowsInvalid as exc:
        job.status, job.message = RegisterImportJob.Status.FAILED, exc.message
        job.errors = [[e["row"], e["message"]] for e in exc.detail.get("errors", [])]
        job.error_count = exc.detail.get("error_count", len(job.errors))
    except DomainError as exc:
        job.status, job.message = RegisterImportJob.Status.FAILED, exc.message
    except Exception:
        RegisterImportJob.objects.filter(pk=job.pk).update(
            status=RegisterImportJob.Status.FAILED, finished_at=timezone.now(),
            message="Impor terhenti karena kesalahan sistem; tidak ada yang diimpor. Tim teknis sudah diberi tahu.")
        raise
    else:
        job.status = RegisterImportJob.Status.DONE
        job.created, job.unchanged = report.created, report.unchanged
        job.errors = [list(e) for e in report.errors[:1000]]
        job.error_count = len(report.errors)
    job.finished_at = timezone.now()
    job.save()
    return job
