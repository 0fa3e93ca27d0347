"""Complaint pages (pengaduan).

Public: file a complaint (/pengaduan/), follow it with its code (/pengaduan/status/, POST so the
code never lands in a URL or a log). Officers (/pengaduan/kelola/): the list with figures, a
complaint, assign, answer, close, and the answer deadline. Handlers (regency administrator, head,
front office) see every complaint; another officer sees only those assigned to them.
"""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from permits.models import PermitType
from permits.models.complaints import Complaint
from permits.selectors.complaints import (
    assignable_officers,
    complaint_detail,
    complaint_for_code,
    complaint_list,
    complaint_policy,
    complaint_stats,
)
from permits.services.complaints import (
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_file,
    complaint_policy_set,
)
from permits.views.survey import rate_limited
from pintu.access.models import Role
from pintu.access.permissions import has_role, role_required
from pintu.access.roles import COMPLAINT_ROLES
from pintu.errors import DomainError, errors_onto
from pintu.identity.models import User

COMPLAINTS_PER_HOUR = 10
STATUS_LOOKUPS_PER_10_MINUTES = 20
ANY_ROLE = ()


class ComplaintForm(forms.Form):
    permit_type = forms.ModelChoiceField(label=_("Layanan yang diadukan (tidak wajib)"), required=False,
                                         queryset=PermitType.objects.none(), empty_label=_("— layanan umum —"))
    registration_number = forms.CharField(label=_("Nomor registrasi permohonan (bila ada)"), max_length=32,
                                          required=False)
    description = forms.CharField(label=_("Apa yang ingin Anda adukan?"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Ceritakan apa yang terjadi, kapan, dan layanan mana."))
    contact = forms.CharField(label=_("Kontak Anda: email atau telepon (tidak wajib)"), max_length=150,
                              required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].queryset = PermitType.objects.filter(is_active=True).order_by("name")


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def complaint_file_view(request):
    """Anyone, signed in or not; the follow code is shown once, on the answer to the POST."""
    form = ComplaintForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, scope="complaint-file", limit=COMPLAINTS_PER_HOUR, window_seconds=3600):
            form.add_error(None, _("Terlalu banyak pengaduan dari alamat Anda dalam satu jam. Coba lagi nanti."))
            return _no_store(render(request, "permits/complaints/file.html", {"form": form}, status=429))
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint, code = complaint_file(
                    description=data["description"], registration_number=data["registration_number"],
                    permit_type=data["permit_type"], contact=data["contact"], complainant=request.user)
            except DomainError as exc:
                errors_onto(form, exc)
            else:
                return _no_store(render(request, "permits/complaints/received.html",
                                        {"code": code, "complaint": complaint}))
        return _no_store(render(request, "permits/complaints/file.html", {"form": form}, status=400))
    return _no_store(render(request, "permits/complaints/file.html", {"form": form}))


@require_http_methods(["GET", "POST"])
def complaint_status_view(request):
    """Whoever holds the code sees the complaint, its dates and the answer; nobody else sees anything."""
    code = (request.POST.get("kode") or "").strip()
    complaint, error, status = None, "", 200
    if request.method == "POST":
        if rate_limited(request, scope="complaint-status", limit=STATUS_LOOKUPS_PER_10_MINUTES, window_seconds=600):
            error, status = _("Terlalu banyak percobaan. Silakan coba lagi 10 menit lagi."), 429
        else:
            complaint = complaint_for_code(code)
            if complaint is None:
                error, status = _("Kode pengaduan tidak ditemukan. Periksa kembali kode yang Anda terima "
                                  "saat mengirim pengaduan."), 404
    return _no_store(render(request, "permits/complaints/status.html",
                            {"code": code, "complaint": complaint, "error": error}, status=status))


# --- officers ---------------------------------------------------------------------------------------------------


def _is_handler(request) -> bool:
    return has_role(request, *COMPLAINT_ROLES)


def _complaint_for(request, pk: int) -> Complaint:
    complaint = complaint_detail(pk)
    if complaint is None:
        raise Http404
    if not _is_handler(request) and complaint.assigned_to_id != request.user.pk:
        raise Forbidden(_("Pengaduan ini tidak ditugaskan kepada Anda."))
    return complaint


@role_required(*ANY_ROLE)
def complaints_page(request):
    status = request.GET.get("status", "open")
    late = request.GET.get("terlambat") == "1"
    handler = _is_handler(request)
    complaints = complaint_list(status=status, late=late, assigned_to=None if handler else request.user)
    page = Paginator(complaints, 50).get_page(request.GET.get("hal"))
    return render(request, "permits/complaints/list.html", {
        "page": page, "status": status, "late": late, "handler": handler,
        "stats": complaint_stats() if handler else None, "statuses": Complaint.Status.choices,
        "is_admin": has_role(request, Role.REGENCY_ADMIN),
    })


@role_required(*ANY_ROLE)
def complaint_page(request, pk: int):
    complaint = _complaint_for(request, pk)
    handler = _is_handler(request)
    return render(request, "permits/complaints/detail.html", {
        "complaint": complaint, "handler": handler,
        "officers": assignable_officers() if handler and complaint.status in ("received", "assigned") else [],
        "may_answer": complaint.status != "closed",
    })


def _act(request, pk: int, action) -> object:
    complaint = _complaint_for(request, pk)
    try:
        action(complaint)
    except DomainError as exc:
        if exc.status == 403:
            raise Forbidden(exc.message) from exc
        messages.error(request, exc.message)
    return redirect("feedback:complaint", pk=complaint.pk)


@require_POST
@role_required(*COMPLAINT_ROLES)
def complaint_assign_view(request, pk: int):
    def act(complaint):
        officer = User.objects.filter(pk=request.POST.get("officer") or 0).first() if \
            (request.POST.get("officer") or "").isdigit() else None
        complaint_assign(complaint=complaint, officer=officer, actor=request.user)
        messages.success(request, _("Pengaduan ditugaskan kepada %(name)s.") % {
            "name": officer.full_name or officer.email})
    return _act(request, pk, act)


@require_POST
@role_required(*ANY_ROLE)
def complaint_answer_view(request, pk: int):
    def act(complaint):
        complaint_answer(complaint=complaint, actor=request.user, answer=request.POST.get("answer", ""))
        messages.success(request, _("Jawaban tersimpan; pelapor dapat membacanya dengan kode pengaduan."))
    return _act(request, pk, act)


@require_POST
@role_required(*COMPLAINT_ROLES)
def complaint_close_view(request, pk: int):
    def act(complaint):
        complaint_close(complaint=complaint, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("Pengaduan ditutup."))
    return _act(request, pk, act)


@require_http_methods(["GET", "POST"])
@role_required(Role.REGENCY_ADMIN)
def complaint_policy_view(request):
    policy = complaint_policy()
    error = ""
    if request.method == "POST":
        try:
            complaint_policy_set(actor=request.user, answer_working_days=request.POST.get("answer_working_days"))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Batas waktu jawaban pengaduan tersimpan."))
            return redirect("feedback:complaints")
    return render(request, "permits/complaints/policy.html", {"policy": policy, "error": error},
                  status=400 if error else 200)
