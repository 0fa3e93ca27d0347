"""Import of the regency's past permit register (CSV/XLSX): template, dry run listing each row's problem, import."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from permits.models import RegisterImportJob
from permits.services.register_import import register_import, register_rows_read, register_template_csv
from permits.services.register_import_jobs import (
    INLINE_MAX_BYTES,
    register_import_job_start,
    register_import_progress,
)
from permits.views.admin._common import admin_view, page
from pintu.errors import DomainError, errors_onto

MAX_REGISTER_BYTES = 20 * 1024 * 1024


class RegisterUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas register (CSV atau XLSX)"))
    dry_run = forms.BooleanField(label=_("Uji coba saja (tidak menyimpan)"), required=False, initial=True)


@require_GET
@admin_view
def register_template(request):
    response = HttpResponse(register_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-register-izin.csv"'
    return response


@admin_view
def register_upload(request):
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_REGISTER_BYTES:
            form.add_error("file", gettext("Berkas terlalu besar (maksimal 20 MB)."))
        else:
            content = upload.read()
            try:
                if len(content) > INLINE_MAX_BYTES:  # a large file: in the background, its page shows progress
                    job = register_import_job_start(content=content, filename=upload.name, actor=request.user,
                                                    dry_run=form.cleaned_data["dry_run"])
                    return redirect("permits-admin:register-job", pk=job.pk)
                rows = register_rows_read(content=content, filename=upload.name)
                report = register_import(rows=rows, actor=request.user, dry_run=form.cleaned_data["dry_run"])
            except DomainError as exc:
                errors_onto(form, exc)
                errors = exc.detail.get("errors") or []
                report = {"errors": [(e["row"], e["message"]) for e in errors], "failed": True}
            else:
                if not report.dry_run:
                    messages.success(request, gettext("Register diimpor: %(created)s izin baru, %(unchanged)s sudah ada dan tidak diubah.")
                                              % {"created": report.created, "unchanged": report.unchanged})
                    return redirect("permits-admin:register")
    return page(request, "register_import.html", {"form": form, "report": report,
                                                  "jobs": list(RegisterImportJob.objects.all()[:5])})


@require_GET
@admin_view
def register_job(request, pk: int):
    """A background import's page: a bar that moves (the page refreshes itself, no JavaScript), then the result."""
    job = get_object_or_404(RegisterImportJob, pk=pk)
    return page(request, "register_job.html", {"job": job, "progress": register_import_progress(job=job)})
