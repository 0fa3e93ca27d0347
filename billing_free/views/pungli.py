"""Reporting illegal fees (apex and every regency subdomain) and the inspectors' console (apex only).

On a regency subdomain only two pages exist: the form (regency fixed) and the status page,
which shows a status for a follow code and nothing else.
"""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from billing_free.errors import PungliReportNotFound
from billing_free.models import PungliReport
from billing_free.ratelimit import rate_limit_exceeded
from billing_free.selectors import pungli_report_list, pungli_statistics
from billing_free.services.pungli import (
    pungli_report_advance,
    pungli_report_file_open,
    pungli_report_get,
    pungli_report_status,
    pungli_report_submit,
)
from pintu.access.permissions import ministry_role_required
from pintu.access.roles import PUNGLI_ROLES, PUNGLI_STATISTICS_ROLES
from pintu.errors import DomainError, errors_onto
from tenants.models import Regency
from tenants.selectors import regency_list

REPORTS_PER_HOUR = 5
STATUS_LOOKUPS_PER_10_MINUTES = 20


class PungliReportForm(forms.Form):
    regency = forms.ModelChoiceField(label="Daerah tempat kejadian", queryset=Regency.objects.none(),
                                     empty_label="— pilih kabupaten/kota —",
                                     error_messages={"required": gettext_lazy("Pilih daerah tempat kejadian."),
                                                     "invalid_choice": gettext_lazy("Pilih daerah tempat kejadian.")})
    registration_number = forms.CharField(label="Nomor registrasi permohonan (bila ada)", max_length=32,
                                          required=False)
    description = forms.CharField(label="Apa yang terjadi?", widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="Kapan, di mana, siapa (jabatan atau ciri-ciri), berapa yang diminta.",
                                  error_messages={"required": gettext_lazy("Ceritakan apa yang terjadi.")})
    file = forms.FileField(label="Bukti (PDF/JPG/PNG, paling besar 5 MB; tidak wajib)", required=False)
    contact = forms.CharField(label="Kontak Anda (tidak wajib; boleh dikosongkan untuk tetap anonim)",
                              max_length=150, required=False)

    def __init__(self, *args, regency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regency is not None:
            del self.fields["regency"]
        else:
            self.fields["regency"].queryset = regency_list(include_suspended=False)
            self.fields["regency"].label_from_instance = lambda r: r.name


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def report_form(request):
    """Anyone, signed in or not, reports a demand for money; the follow code is shown once."""
    tenant = getattr(request, "tenant", None)
    regency = tenant if tenant is not None and not tenant.is_public else None
    # ?nomor= pre-fills the registration number (the link on the tracking page); never trusted beyond that.
    initial = {"registration_number": request.GET.get("nomor", "")[:32]}
    form = PungliReportForm(request.POST or None, request.FILES or None, regency=regency, initial=initial)
    if request.method == "POST":
        if rate_limit_exceeded(request, scope="pungli-report", limit=REPORTS_PER_HOUR, window_seconds=3600):
            form.add_error(None, gettext("Terlalu banyak laporan dari alamat Anda dalam satu jam. Silakan coba lagi nanti."))
            return _no_store(render(request, "billing_free/pungli_form.html", {"form": form}, status=429))
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("file")
            try:
                report, code = pungli_report_submit(
                    regency=regency or data["regency"], description=data["description"],
                    registration_number=data["registration_number"], file=upload,
                    filename=getattr(upload, "name", ""), reporter=request.user, contact=data["contact"])
            except DomainError as exc:
                errors_onto(form, exc, general_field="file" if "upload" in exc.code else None)
            else:
                return _no_store(render(request, "billing_free/pungli_received.html",
                                        {"code": code, "report_regency": report.regency}))
    return _no_store(render(request, "billing_free/pungli_form.html", {"form": form}))


@require_http_methods(["GET", "POST"])
def report_status(request):
    """The status of a report by its follow code: status and dates only."""
    tenant = getattr(request, "tenant", None)
    regency = tenant if tenant is not None and not tenant.is_public else None
    code = (request.POST.get("kode") or "").strip()
    result, error, status = None, "", 200
    if request.method == "POST":
        if rate_limit_exceeded(request, scope="pungli-status", limit=STATUS_LOOKUPS_PER_10_MINUTES,
                               window_seconds=600):
            error, status = "Terlalu banyak percobaan. Silakan coba lagi 10 menit lagi.", 429
        else:
            try:
                result = pungli_report_status(code=code, regency=regency)
            except PungliReportNotFound as exc:
                error, status = exc.message, 404
    return _no_store(render(request, "billing_free/pungli_status.html",
                            {"code": code, "result": result, "error": error}, status=status))


# --- Inspectors' console (apex) ---------------------------------------------


@ministry_role_required(*PUNGLI_ROLES, write_roles=PUNGLI_ROLES)
def console_list(request):
    status = request.GET.get("status", "")
    if status not in PungliReport.Status.values:
        status = ""
    regency_code = request.GET.get("daerah", "")
    page = Paginator(pungli_report_list(status=status, regency_code=regency_code), 50).get_page(request.GET.get("hal"))
    return render(request, "billing_free/console_list.html", {
        "page": page, "status": status, "regency_code": regency_code,
        "statuses": PungliReport.Status.choices, "regencies": regency_list(),
    })


@ministry_role_required(*PUNGLI_ROLES, write_roles=PUNGLI_ROLES)
def console_detail(request, pk: int):
    try:
        report = pungli_report_get(inspector=request.user, pk=pk)
    except PungliReportNotFound:
        raise Http404() from None
    return render(request, "billing_free/console_detail.html", {
        "report": report, "follow_ups": report.follow_ups.select_related("inspector"),
        "can_triage": report.status == PungliReport.Status.RECEIVED,
        "is_closed": report.status == PungliReport.Status.CLOSED,
    })


@require_POST
@ministry_role_required(*PUNGLI_ROLES, write_roles=PUNGLI_ROLES)
def console_advance(request, pk: int):
    report = PungliReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404()
    step = request.POST.get("step", "")
    try:
        pungli_report_advance(inspector=request.user, report=report, step=step, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Tindakan dicatat.")
    return redirect("billing:pungli-console-detail", pk=pk)


@ministry_role_required(*PUNGLI_ROLES, write_roles=PUNGLI_ROLES)
def console_file(request, pk: int):
    report = PungliReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404()
    try:
        return pungli_report_file_open(inspector=request.user, report=report)
    except PungliReportNotFound:
        raise Http404() from None
    except DomainError as exc:  # storage away: say so on the report's page
        messages.error(request, exc.message)
        return redirect("billing:pungli-console-detail", pk=pk)


@ministry_role_required(*PUNGLI_STATISTICS_ROLES)
def console_statistics(request):
    """Counts per regency and status; no content, no identities."""
    return render(request, "billing_free/console_statistics.html",
                  {"rows": pungli_statistics(), "statuses": PungliReport.Status.choices})
