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
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from permits.documents.receipt import counter_receipt_pdf
from permits.models import PermitType, Requirement
from permits.models.applications import Application, Permit
from permits.oss.lookups import oss_counter_draft_create, oss_form_fill, oss_nib_fill_offered, oss_nib_prefill
from permits.regency import regency_code
from permits.selectors.applications import application_tracking
from permits.selectors.office import counter_applications, permits_for_counter_renewal
from permits.services.applications import (
    application_document_upload,
    application_draft_create,
    application_form_save,
    application_submit,
    requirements_for,
)
from permits.services.counter import application_hand_over, permit_counter_hand_over
from permits.services.renewal import permit_counter_renew_start
from permits.views.forms import UploadForm, application_form_class
from pintu.access.permissions import role_required
from pintu.access.roles import COUNTER_ROLES
from pintu.errors import DomainError, errors_onto
from pintu.notify.selectors import text_failures_of, walk_in_unreachable
from pintu.storage.services import document_response


class CounterStartForm(forms.Form):
    permit_type = forms.ModelChoiceField(queryset=PermitType.objects.none(), label="Jenis izin",
                                         empty_label="— pilih jenis izin —")
    applicant_name = forms.CharField(label="Nama pemohon", max_length=150)
    applicant_nik = forms.CharField(label="NIK pemohon (16 angka)", max_length=16,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    applicant_phone = forms.CharField(label="Nomor telepon", max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel"}))
    applicant_email = forms.EmailField(label="Email", required=False)
    nib = forms.CharField(label="NIB (untuk izin usaha, opsional)", max_length=13, required=False,
                          help_text="13 angka NIB pelaku usaha: data usaha diisi dari OSS.",
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Counter-only types are offered here too: that is what the counter is for.
        self.fields["permit_type"].queryset = PermitType.objects.filter(is_active=True).order_by("name")


def _counter_application(pk: int) -> Application:
    application = (Application.objects.select_related("permit_type", "created_by", "renewal_of")
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
        applicant = {"applicant_name": data["applicant_name"], "applicant_nik": data["applicant_nik"],
                     "applicant_phone": data["applicant_phone"], "applicant_email": data["applicant_email"]}
        try:
            if data["nib"]:
                application = oss_counter_draft_create(permit_type=data["permit_type"], nib=data["nib"],
                                                       created_by=request.user, **applicant)
            else:
                application = application_draft_create(permit_type=data["permit_type"], created_by=request.user,
                                                       channel=Application.Channel.COUNTER, **applicant)
        except DomainError as exc:
            # NIB unknown, OSS away: said on the NIB field; everything typed stays in the form
            errors_onto(form, exc, general_field="nib" if data["nib"] and exc.code.startswith(("oss_", "nib_")) else None)
        else:
            messages.success(request, gettext("Draf permohonan loket "
                                              "dibuat") + (gettext(", data usaha diisi dari OSS") if data["nib"] else "")
                             + gettext(". Isi formulir dan pindai persyaratan."))
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
            if "oss_fill" in request.POST:
                filled = oss_form_fill(application=application, nib=request.POST.get("oss_nib", ""), as_holder=False,
                                       typed={k: request.POST.get(k, "") for k in form.fields}, actor=request.user)
                messages.success(request, gettext("Data usaha diisi dari OSS (%(len)s isian).") % {"len": len(filled)})
                return redirect("counter:application", pk=application.pk)
            application = application_form_save(application=application, actor=request.user,
                                                data={k: request.POST.get(k, "") for k in form.fields})
            if "submit" in request.POST:
                was_returned = application.status == Application.Status.RETURNED
                application = application_submit(application=application, actor=request.user)
                messages.success(request, (gettext("Perbaikan terkirim; permohonan %(registration_number)s diajukan kembali.")
                                           % {"registration_number": application.registration_number} if was_returned else
                                           gettext("Permohonan diajukan dengan nomor registrasi "
                                                   "%(registration_number)s. Cetak tanda terima untuk "
                                                   "pemohon.") % {"registration_number": application.registration_number}))
            else:
                messages.success(request, "Isian tersimpan.")
            return redirect("counter:application", pk=application.pk)
        except DomainError as exc:
            errors_onto(form, exc, general=False)  # the message itself is shown above the page
            for item in exc.detail.get("requirements") or []:
                problems[item["requirement"]] = item["message"]
            messages.error(request, exc.message)
    current = {d.requirement_id: d for d in application.documents.filter(is_current=True)}
    rows = [(r, current.get(r.pk), problems.get(r.pk)) for r in requirements_for(application)]
    editable = application.is_editable
    return render(request, "permits/counter/application.html", {
        "application": application, "permit": Permit.objects.filter(application=application).first(),
        "unreachable": application.applicant_id is None and walk_in_unreachable(
            email=application.applicant_email, phone=application.applicant_phone),
        "form": form, "rows": rows, "editable": editable, "upload_form": UploadForm(),
        "oss_fill": editable and oss_nib_fill_offered(application.permit_type),
        "oss_nib": request.POST.get("oss_nib") or oss_nib_prefill(application),
        "tracking": application_tracking(application) if application.submitted_at else None,
        "text_failures": text_failures_of(application_id=application.pk) if application.submitted_at else [],
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
        messages.error(request, gettext("Pilih berkas hasil pindaian untuk %(name)s.") % {"name": requirement.name})
    else:
        try:
            application_document_upload(application=application, requirement=requirement, file=upload,
                                        filename=upload.name, actor=request.user)
        except DomainError as exc:
            messages.error(request, f"{requirement.name}: {exc.message}")
        else:
            messages.success(request, f"{requirement.name} terunggah.")
    return redirect("counter:application", pk=application.pk)


@require_GET
@role_required(*COUNTER_ROLES)
def counter_receipt(request, pk: int):

    application = _counter_application(pk)
    if not application.registration_number:
        messages.error(request, gettext("Tanda terima tersedia setelah permohonan diajukan."))
        return redirect("counter:application", pk=pk)
    pdf = counter_receipt_pdf(application=application, officer_name=request.user.full_name)
    response = HttpResponse(pdf, content_type="application/pdf")
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
        messages.success(request, gettext("Permohonan diserahkan ke akun %(applicant_email)s. Pemohon kini dapat memantaunya di "
                                          "'Permohonan saya'.") % {"applicant_email": application.applicant_email})
    return redirect("counter:application", pk=pk)


@require_GET
@role_required(*COUNTER_ROLES)
def counter_permit(request, pk: int):
    """The signed permit, printed or downloaded at the counter for the walk-in (recorded as handed over)."""
    application = _counter_application(pk)
    try:
        permit = permit_counter_hand_over(application=application, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("counter:application", pk=pk)
    return document_response(permit.pdf_key, download_name=f"izin-{application.registration_number}.pdf",
                             as_attachment=False)


@require_GET
@role_required(*COUNTER_ROLES)
def counter_renewal(request):
    """Find the earlier permit of a walk-in who comes to renew: by its number or the holder's NIK."""
    query = request.GET.get("q", "")
    return render(request, "permits/counter/renewal.html", {
        "query": query, "results": permits_for_counter_renewal(query=query) if query.strip() else None})


@require_POST
@role_required(*COUNTER_ROLES)
def counter_renewal_start(request, permit_pk: int):
    permit = get_object_or_404(Permit.objects.select_related("application__permit_type"), pk=permit_pk)
    try:
        application = permit_counter_renew_start(permit=permit, actor=request.user,
                                                 applicant_nik=request.POST.get("applicant_nik", ""))
    except DomainError as exc:
        fields = exc.detail.get("fields") or {}
        messages.error(request, fields["applicant_nik"][0]["message"] if "applicant_nik" in fields else exc.message)
        return redirect(f"{reverse('counter:renewal')}?{urlencode({'q': permit.number})}")
    messages.success(request, gettext("Perpanjangan izin %(number)s dimulai: izin lama dan berkas persyaratan sebelumnya sudah "
                                      "dilampirkan. Periksa isian, pindai yang baru, lalu ajukan.") % {"number": permit.number})
    return redirect("counter:application", pk=application.pk)
