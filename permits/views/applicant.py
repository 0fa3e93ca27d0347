"""The applicant's pages on a regency subdomain: catalog, apply, fix, track, download, verify.

Light, server-rendered and usable without JavaScript on a cheap phone.
"""
from __future__ import annotations

import hashlib
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from permits.middleware import LOOKUP_ATTRIBUTE, page_cache_get, page_cache_set
from permits.models import PermitType, Requirement
from permits.models.applications import Application, Permit
from permits.oss.lookups import oss_form_fill, oss_nib_fill_offered, oss_nib_prefill
from permits.regency import regency_code
from permits.selectors.applications import (
    PERMIT_STATE_LABELS,
    application_tracking,
    applications_of,
    nik_masked,
    permit_for_tracking,
    permit_for_verification,
    permit_state,
    tracking_lookup,
)
from permits.selectors.catalog import public_catalog, public_catalog_list
from permits.services import counter as counter_services
from permits.services.applications import (
    application_document_upload,
    application_draft_create,
    application_draft_save,
    application_incompleteness,
    application_submit,
    requirements_for,
)
from permits.views.forms import TrackingForm, application_form_class
from pintu.access.selectors import is_own_application
from pintu.audit.services import audit_record
from pintu.errors import DomainError, errors_onto
from pintu.storage.config import PHOTO_LONGEST_SIDE, PHOTO_QUALITIES
from pintu.storage.services import document_response, document_sha256


def catalog(request):
    """The public catalog: one query; for visitors not signed in, the page is cached by its content."""
    permit_types = public_catalog_list()
    key = _catalog_page_key(request, permit_types)
    if key and (html := page_cache_get("default", key)) is not None:
        return HttpResponse(html)
    response = render(request, "permits/applicant/catalog.html", {"permit_types": permit_types})
    if key:
        page_cache_set("default", key, response.content)
    return response


def _catalog_page_key(request, permit_types) -> str | None:
    """Like the tracking page's (permits.middleware): a hash of every value the page shows, the language and the zone; any
    change to a permit type or its requirement count is another key, nothing is invalidated."""
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    shown = repr([(pt.code, pt.name, pt.is_online, pt.sla_working_days, str(pt.levy_amount),
                   pt.levy_regulation_number, pt.levy_regulation_year, pt.levy_regulation_article,
                   pt.requirement_count) for pt in permit_types])
    stamp = hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()
    return f"catalog-page:{stamp}:{get_language()}:{request.tenant.time_zone}"


def permit_type_detail(request, code: str):
    permit_type = get_object_or_404(public_catalog(), code=code)
    return render(request, "permits/applicant/permit_type.html", {"permit_type": permit_type})


@login_required
@require_POST
def application_start(request, code: str):
    permit_type = get_object_or_404(PermitType, code=code, is_active=True)
    try:
        application = application_draft_create(permit_type=permit_type, applicant=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("permits:permit-type", code=code)
    return redirect("permits:application", pk=application.pk)


def _own(request, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("permit_type", "sop"), pk=pk)
    if not is_own_application(user=request.user, application=application):
        raise Http404  # never confirm that someone else's application exists
    return application


@login_required
def my_applications(request):
    return render(request, "permits/applicant/my_applications.html",
                  {"applications": applications_of(applicant=request.user)})


class ClaimForm(forms.Form):
    nomor = forms.CharField(label=_("Nomor registrasi"), max_length=40)
    kode = forms.CharField(label=_("Kode pelacakan"), max_length=12)
    nik = forms.CharField(label=_("NIK pemohon (16 angka)"), max_length=16, min_length=16,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


CLAIM_ATTEMPTS_PER_HOUR = 10


@login_required
def application_claim(request):
    """The applicant links their counter file to their own account (registration number, tracking code, NIK)."""
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = f"claim-attempts:{request.user.pk}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > CLAIM_ATTEMPTS_PER_HOUR:
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi dalam satu jam."))
        else:
            try:
                application = counter_services.application_claim(
                    registration_number=form.cleaned_data["nomor"], tracking_code=form.cleaned_data["kode"],
                    nik=form.cleaned_data["nik"], user=request.user)
            except DomainError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("Permohonan %(number)s kini terhubung ke akun Anda.")
                                 % {"number": application.registration_number})
                return redirect("permits:application", pk=application.pk)
    return render(request, "permits/applicant/claim.html", {"form": form})


#: Where the page goes back to after a save: a requirement's row, the form's buttons, the form.
_PLACE = re.compile(r"^(req-[0-9]{1,9}|aksi|formulir)$")


@login_required
def application_detail(request, pk: int):
    """The applicant's one form: answers and every requirement's files saved together (as the draft), then
    submitted or not; after a draft save the page returns to the place the person tapped (a #fragment)."""
    application = _own(request, pk)
    form_class = application_form_class(application.permit_type, regency_code=regency_code())
    form = form_class(initial=application.form_data)
    problems: dict[int, str] = {}
    if request.method == "POST":
        form = form_class(request.POST)
        form.is_valid()
        place = request.POST.get("tempat", "")
        place = place if _PLACE.match(place) else "aksi"
        uploads = {r.pk: request.FILES.getlist(f"berkas-{r.pk}") for r in requirements_for(application)}
        if "oss_fill" in request.POST:  # business data from OSS into the form; what was typed is kept
            return _oss_fill(request, application, form)
        try:
            saved = application_draft_save(application=application, actor=request.user, uploads=uploads,
                                           data={k: request.POST[k] for k in form.fields if k in request.POST},
                                           chosen_bytes=_chosen_bytes(request, uploads))
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(request, "permits/applicant/application.html",
                          _detail_context(request, application, form, problems))
        application = saved.application
        for requirement, document in saved.stored:
            text = gettext("%(name)s terunggah") % {"name": requirement.name}
            messages.success(request, f"{text}: {document.fit_note}." if document.fit_note else f"{text}.",
                             extra_tags=f"req-{requirement.pk}")
        _problems_show(form, problems, {"fields": saved.field_errors})
        problems.update(saved.refused)
        if not saved.is_clean:
            if "submit" in request.POST and (incomplete := application_incompleteness(application)) is not None:
                _problems_show(form, problems, incomplete.detail, skip=set(saved.field_errors))
            messages.error(request, gettext("Sebagian isian atau berkas belum dapat disimpan (lihat tanda merah); "
                                            "isian lain sudah tersimpan sebagai draf.")
                           + (" " + gettext("Pilih ulang berkas yang ditolak.") if saved.refused else ""))
            return render(request, "permits/applicant/application.html",
                          _detail_context(request, application, form, problems))
        if "submit" in request.POST:
            return _submit(request, application, form, problems)
        messages.success(request, gettext("Isian tersimpan sebagai draf."), extra_tags=place)
        return redirect(reverse("permits:application", args=[application.pk]) + f"#{place}")
    return render(request, "permits/applicant/application.html", _detail_context(request, application, form, problems))


def _chosen_bytes(request, uploads: dict) -> dict[int, int]:
    """What each requirement's photos weighed as the person chose them, when upload.js sent smaller copies
    (`berkas-<pk>-asli`): only for the note that says so; the files themselves are checked as they came."""
    chosen = {}
    for pk in uploads:
        value = request.POST.get(f"berkas-{pk}-asli", "")
        if value.isdigit() and len(value) <= 10:
            chosen[pk] = int(value)
    return chosen


def _oss_fill(request, application: Application, form):
    """The applicant's "fill from OSS" button: the business's data into the form, what was typed kept."""
    try:
        filled = oss_form_fill(application=application, nib=request.POST.get("oss_nib", ""), as_holder=True,
                               typed={k: request.POST.get(k, "") for k in form.fields}, actor=request.user)
    except DomainError as exc:
        errors_onto(form, exc, general=False)
        messages.error(request, exc.message)
        return render(request, "permits/applicant/application.html", _detail_context(request, application, form, {}))
    messages.success(request, gettext("Data usaha diisi dari OSS (%(count)s isian). Periksa, lalu lengkapi "
                                      "sisanya.") % {"count": len(filled)})
    return redirect("permits:application", pk=application.pk)


def _submit(request, application: Application, form, problems: dict):
    """Submit the draft just saved (or resubmit a returned file); a refusal is shown on the page again."""
    try:
        was_returned = application.status == Application.Status.RETURNED
        application = application_submit(application=application, actor=request.user)
    except DomainError as exc:
        _problems_show(form, problems, exc.detail)
        messages.error(request, exc.message + " " + gettext("Isian dan berkas Anda sudah tersimpan sebagai draf."))
        return render(request, "permits/applicant/application.html",
                      _detail_context(request, application, form, problems))
    if was_returned:
        messages.success(request, gettext("Perbaikan terkirim; permohonan diajukan kembali dan diproses lagi."))
    else:
        messages.success(request, gettext("Permohonan diajukan. Nomor registrasi %(number)s, kode pelacakan "
                                          "%(code)s.") % {"number": application.registration_number,
                                                          "code": application.tracking_code})
    return redirect("permits:application", pk=application.pk)


def _problems_show(form, problems: dict, detail: dict, skip: set | None = None) -> None:
    """A refusal's field problems onto the form, its requirement problems into `problems` (by requirement)."""
    fields = {key: [error["message"] for error in errors] for key, errors in (detail.get("fields") or {}).items()
              if not skip or key not in skip}
    if fields:
        errors_onto(form, ValidationError(fields))
    for item in detail.get("requirements") or []:
        problems.setdefault(item["requirement"], item["message"])


def _detail_context(request, application, form, problems):
    # Messages tagged with a place (a requirement's row, the buttons) are shown there, where the page returns.
    placed: dict[str, list] = {}
    general = []
    for message in messages.get_messages(request):
        tag = next((t for t in message.extra_tags.split() if _PLACE.match(t)), "")
        (placed.setdefault(tag, []) if tag else general).append(message)
    current = {d.requirement_id: d for d in application.documents.filter(is_current=True)}
    rows = [(r, current.get(r.pk), problems.get(r.pk), placed.get(f"req-{r.pk}", []))
            for r in requirements_for(application)]
    editable = application.is_editable
    tracking = application_tracking(application) if application.submitted_at else None
    permit = Permit.objects.filter(application=application).first()
    state = permit_state(permit) if permit else ""
    return {"application": application, "form": form, "rows": rows, "editable": editable,
            "general_messages": general, "action_messages": placed.get("aksi", []) + placed.get("formulir", []),
            "oss_fill": editable and oss_nib_fill_offered(application.permit_type),
            "oss_nib": request.POST.get("oss_nib") or oss_nib_prefill(application),
            "tracking": tracking, "permit": permit,
            "photo_side": PHOTO_LONGEST_SIDE, "photo_qualities": " ".join(map(str, PHOTO_QUALITIES)),
            "permit_state": state, "permit_state_label": PERMIT_STATE_LABELS.get(state, "")}


@login_required
@require_POST
def document_upload(request, pk: int, requirement_pk: int):
    """The former one-file form: still answered (a bookmarked page), now through the same draft save."""
    application = _own(request, pk)
    requirement = get_object_or_404(Requirement, pk=requirement_pk, permit_type=application.permit_type)
    files = request.FILES.getlist("file") or request.FILES.getlist(f"berkas-{requirement.pk}")
    if not files:
        messages.error(request, gettext("Pilih berkas untuk %(name)s.") % {"name": requirement.name})
    else:
        try:
            document = application_document_upload(application=application, requirement=requirement, files=files,
                                                   actor=request.user)
            text = gettext("%(name)s terunggah") % {"name": requirement.name}
            messages.success(request, f"{text}: {document.fit_note}." if document.fit_note else f"{text}.",
                             extra_tags=f"req-{requirement.pk}")
        except DomainError as exc:
            messages.error(request, f"{requirement.name}: {exc.message}", extra_tags=f"req-{requirement.pk}")
    return redirect(reverse("permits:application", args=[application.pk]) + f"#req-{requirement.pk}")


@login_required
def document_download(request, pk: int, document_pk: int):
    application = _own(request, pk)
    document = get_object_or_404(application.documents, pk=document_pk)
    return document_response(document.key, download_name=document.display_name or "berkas", as_attachment=False)


@login_required
def permit_download(request, pk: int):
    application = _own(request, pk)
    permit = get_object_or_404(Permit, application=application)
    audit_record(actor=request.user, action="permit.download", target=permit, detail={"by": "applicant"})
    return document_response(permit.pdf_key, download_name=f"izin-{application.registration_number}.pdf")


def track_permit_download(request):
    """The signed permit for whoever holds the registration number and tracking code (a walk-in)."""
    form = TrackingForm(request.GET or None)
    permit = None
    if form.is_valid():
        permit = permit_for_tracking(registration_number=form.cleaned_data["nomor"],
                                     tracking_code=form.cleaned_data["kode"])
    if permit is None:
        if form.is_valid():
            form.add_error(None, gettext("Nomor registrasi atau kode pelacakan tidak cocok, atau izinnya belum terbit."))
        response = render(request, "permits/applicant/track.html", {"form": form, "tracking": None})
        response.status_code = 404
        return response
    audit_record(actor=request.user if request.user.is_authenticated else None, action="permit.download",
                 target=permit, detail={"by": "tracking_code"})
    return document_response(permit.pdf_key, download_name=f"izin-{permit.application.registration_number}.pdf")


def track(request):
    """Tracking by registration number and tracking code, without signing in.

    For visitors who are not signed in, `permits.middleware.TrackingPageCacheMiddleware` has looked
    the application up already and caches what this renders."""
    form = TrackingForm(request.GET or None)
    tracking = None
    if form.is_valid():
        tracking = getattr(request, LOOKUP_ATTRIBUTE, None) or tracking_lookup(
            registration_number=form.cleaned_data["nomor"], tracking_code=form.cleaned_data["kode"])
        if tracking is None:
            form.add_error(None, gettext("Nomor registrasi atau kode pelacakan tidak cocok."))
    return render(request, "permits/applicant/track.html", {"form": form, "tracking": tracking})


def verify_by_number(request):
    """Find a permit by its number (also one issued before Pintu, imported from the old register)."""
    from django.shortcuts import redirect

    number = (request.GET.get("nomor") or "").strip()[:120]
    permit = Permit.objects.filter(number=number).only("verification_code").first() if number else None
    if permit is not None:
        return redirect("permits:verify", code=permit.verification_code)
    return render(request, "permits/applicant/verify.html", {"permit": None, "number": number,
                                                             "not_found": bool(number)},
                  status=404 if number else 200)


def verify(request, code: str):
    """The page the permit's QR code opens: authentic, revoked or expired, and the document's hash."""
    permit = permit_for_verification(code)
    if permit is None:
        return render(request, "permits/applicant/verify.html", {"permit": None, "not_found": True}, status=404)
    state = permit_state(permit)
    match = None
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        match = upload.size < 20 * 1024 * 1024 and document_sha256(upload.read()) == permit.sha256
    return render(request, "permits/applicant/verify.html", {"permit": permit, "state": state, "match": match,
                                                            **_verification_facts(permit)})


def _verification_facts(permit: Permit) -> dict:
    """Whose permit it is and who signed it under which authority, for a clinic or a bank reading the QR."""
    from permits.services.issuance import authority_text

    application = permit.application
    decision = getattr(application, "decision", None)
    position = decision.position.name if decision is not None and decision.position else ""
    acting = {"plh": "Plh.", "plt": "Plt."}.get(decision.acting.kind, "") if decision and decision.acting else ""
    return {"holder_name": application.applicant_name, "holder_nik": nik_masked(application.applicant_nik),
            "signer_position": f"{acting} {position}".strip(),
            "authority": authority_text(decision) if decision is not None else ""}
