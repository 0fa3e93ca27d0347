"""The counter's pages (/loket/): a front-office officer applies for a walk-in applicant.

Start (permit type, name, NIK, contact) → the applicant's own form and uploads ("scan the
documents in") → submit → receipt PDF with the tracking QR → hand over to the applicant's
own platform account so the next application is online.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from billing_free.fees import application_cost_statement
from pintu.access.models import Role
from pintu.access.permissions import role_required
from pintu.errors import DomainError
from permits.documents.pdf import Letterhead, ReceiptDocument, render_receipt_pdf
from permits.models import PermitType, Requirement
from permits.models.applications import Application
from permits.regency import current_regency, regency_code, regency_today
from permits.selectors.applications import application_tracking
from permits.selectors.office import counter_applications
from permits.services.applications import (
    application_document_upload,
    application_draft_create,
    application_form_save,
    application_submit,
    requirements_for,
)
from permits.services.counter import application_hand_over
from permits.views.forms import UploadForm, application_form_class
from tenants.selectors import regency_public_url

COUNTER_ROLES = (Role.FRONT_OFFICE,)


class CounterStartForm(forms.Form):
    permit_type = forms.ModelChoiceField(queryset=PermitType.objects.none(), label="Jenis izin",
                                         empty_label="— pilih jenis izin —")
    applicant_name = forms.CharField(label="Nama pemohon", max_length=150)
    applicant_nik = forms.CharField(label="NIK pemohon (16 angka)", max_length=16,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    applicant_phone = forms.CharField(label="Nomor telepon", max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel"}))
    applicant_email = forms.EmailField(label="Email", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Counter-only types are offered here too: that is what the counter is for.
        self.fields["permit_type"].queryset = PermitType.objects.filter(is_active=True).order_by("name")


def _counter_application(pk: int) -> Application:
    application = (Application.objects.select_related("permit_type", "created_by")
                   .filter(pk=pk, channel=Application.Channel.COUNTER).first())
    if application is None:
        raise Http404
    return application


@require_GET
@role_required(*COUNTER_ROLES)
def counter_home(request):
    return render(request, "permits/counter/home.html", {"applications": counter_applications()})


@role_required(*COUNTER_ROLES)
def counter_start(request):
    form = CounterStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_draft_create(
                permit_type=data["permit_type"], channel=Application.Channel.COUNTER, created_by=request.user,
                applicant_name=data["applicant_name"], applicant_nik=data["applicant_nik"],
                applicant_phone=data["applicant_phone"], applicant_email=data["applicant_email"])
        except DomainError as exc:
            for field, errors in (exc.detail.get("fields") or {}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error["message"])
            if not exc.detail.get("fields"):
                form.add_error(None, exc.message)
        else:
            messages.success(request, "Draf permohonan loket dibuat. Isi formulir dan pindai persyaratan.")
            return redirect("counter:application", pk=application.pk)
    return render(request, "permits/counter/start.html", {"form": form})


@role_required(*COUNTER_ROLES)
def counter_application(request, pk: int):
    application = _counter_application(pk)
    form_class = application_form_class(application.permit_type, regency_code=regency_code())
    form = form_class(initial=application.form_data)
    problems: dict[int, str] = {}
    if request.method == "POST":
        form = form_class(request.POST)
        form.is_valid()
        try:
            application = application_form_save(application=application, actor=request.user,
                                                data={k: request.POST.get(k, "") for k in form.fields})
            if "submit" in request.POST:
                was_returned = application.status == Application.Status.RETURNED
                application = application_submit(application=application, actor=request.user)
                messages.success(request, (f"Perbaikan terkirim; permohonan {application.registration_number} "
                                           f"diajukan kembali." if was_returned else
                                           f"Permohonan diajukan dengan nomor registrasi "
                                           f"{application.registration_number}. Cetak tanda terima untuk pemohon."))
            else:
                messages.success(request, "Isian tersimpan.")
            return redirect("counter:application", pk=application.pk)
        except DomainError as exc:
            for field, errors in (exc.detail.get("fields") or {}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error["message"])
            for item in exc.detail.get("requirements") or []:
                problems[item["requirement"]] = item["message"]
            messages.error(request, exc.message)
    current = {d.requirement_id: d for d in application.documents.filter(is_current=True)}
    rows = [(r, current.get(r.pk), problems.get(r.pk)) for r in requirements_for(application)]
    editable = application.status in (Application.Status.DRAFT, Application.Status.RETURNED)
    return render(request, "permits/counter/application.html", {
        "application": application, "form": form, "rows": rows, "editable": editable, "upload_form": UploadForm(),
        "tracking": application_tracking(application) if application.submitted_at else None,
    })


@require_POST
@role_required(*COUNTER_ROLES)
def counter_upload(request, pk: int, requirement_pk: int):
    application = _counter_application(pk)
    requirement = Requirement.objects.filter(pk=requirement_pk, permit_type=application.permit_type).first()
    if requirement is None:
        raise Http404
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, f"Pilih berkas hasil pindaian untuk {requirement.name}.")
    else:
        try:
            application_document_upload(application=application, requirement=requirement, file=upload,
                                        filename=upload.name, actor=request.user)
        except DomainError as exc:
            messages.error(request, f"{requirement.name}: {exc.message}")
        else:
            messages.success(request, f"{requirement.name} terunggah.")
    return redirect("counter:application", pk=application.pk)


def tracking_url(application: Application) -> str:
    """The public tracking page on the regency's subdomain, filled in for this application."""
    query = urlencode({"nomor": application.registration_number, "kode": application.tracking_code})
    return regency_public_url(current_regency(), f"/lacak/?{query}")


@require_GET
@role_required(*COUNTER_ROLES)
def counter_receipt(request, pk: int):
    application = _counter_application(pk)
    if not application.registration_number:
        messages.error(request, "Tanda terima tersedia setelah permohonan diajukan.")
        return redirect("counter:application", pk=pk)
    regency = current_regency()
    received = [d.requirement.name for d in application.documents.filter(is_current=True).select_related("requirement")]
    receipt = ReceiptDocument(
        letterhead=Letterhead.from_regency(regency), registration_number=application.registration_number,
        tracking_code=application.tracking_code, tracking_url=tracking_url(application),
        permit_type=application.permit_type.name, applicant_name=application.applicant_name,
        submitted_at=application.submitted_at, time_zone=regency.time_zone, requirements_received=received,
        channel=str(application.get_channel_display()), officer_name=request.user.full_name,
        due_on=regency_today(at=application.due_at) if application.due_at else None,
        cost_text=application_cost_statement(application).text,
        notes=["Berikutnya Anda dapat mengajukan izin secara daring dari rumah: daftar akun Pintu dengan email "
               "Anda, lalu minta petugas menyerahkan permohonan ini ke akun Anda."],
    )
    response = HttpResponse(render_receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{application.registration_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required(*COUNTER_ROLES)
def counter_hand_over(request, pk: int):
    application = _counter_application(pk)
    try:
        application = application_hand_over(application=application, email=request.POST.get("email", ""),
                                            actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Permohonan diserahkan ke akun {application.applicant_email}. Pemohon kini "
                                  f"dapat memantaunya di 'Permohonan saya'.")
    return redirect("counter:application", pk=pk)
