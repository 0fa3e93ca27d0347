"""The catalog pages: dashboard, permit types, requirements, form fields, the applicant's form preview,
national templates."""
from __future__ import annotations

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from pintu.errors import DomainError
from pintu.national.models import CatalogTemplate
from pintu.national.selectors import catalog_template_list
from permits.models import FormField, PermitType, Requirement, Sop
from permits.regency import regency_code, regency_today
from permits.selectors.catalog import permit_type_list
from permits.services import catalog as catalog_services
from permits.services.templates import template_adopt
from permits.views.admin._common import admin_view, attempt, page, permit_type_of
from permits.views.admin.forms import (
    LETTER_PLACEHOLDER_HELP,
    PERMIT_TYPE_FORM_FIELDS,
    AdoptForm,
    FormFieldForm,
    PermitTypeForm,
    RequirementForm,
    permit_type_values,
)
from permits.views.forms import application_form_class


@admin_view
def dashboard(request):
    permit_types = list(permit_type_list())
    drafts = dict(Sop.objects.filter(status=Sop.Status.DRAFT).values_list("permit_type_id", "version"))
    rows = []
    for pt in permit_types:
        in_force = pt.sops_in_force[0] if pt.sops_in_force else None
        if not pt.is_active:
            status, css = "Tidak aktif", "bad"
        elif pt.is_online:
            status, css = "Daring dan loket", ""
        else:
            status, css = "Hanya di loket", "warn"
        rows.append({"pt": pt, "status": status, "css": css, "sop": in_force, "draft_version": drafts.get(pt.pk),
                     "requirements": len(pt.requirements.all()), "fields": len(pt.form_fields.all())})
    return page(request, "dashboard.html", {"rows": rows})


def _number_sample(permit_type_code: str, fmt: str) -> str:
    catalog_services.number_format_check(fmt)
    return catalog_services.number_render(fmt, seq=1, on=regency_today(), code=(permit_type_code or "KODE").upper())


def _permit_type_form_page(request, *, permit_type: PermitType | None):
    initial = model_to_dict(permit_type, fields=PERMIT_TYPE_FORM_FIELDS) if permit_type else {
        "is_active": True, "is_online": True, "sla_working_days": 5, "levy_amount": 0,
        "number_format": "503/{seq:04d}/{code}/DPMPTSP/{year}"}
    form = PermitTypeForm(request.POST or None, initial=initial)
    sample = None
    if request.method == "POST" and form.is_valid():
        if "pratinjau" in request.POST:  # "Pratinjau nomor": render a sample, store nothing
            try:
                sample = _number_sample(form.cleaned_data["code"], form.cleaned_data["number_format"])
            except DomainError as exc:
                form.add_error("number_format", exc.message)
        else:
            values = permit_type_values(form.cleaned_data)
            if permit_type is None:
                saved = attempt(form, lambda: catalog_services.permit_type_create(actor=request.user, **values))
            else:
                saved = attempt(form, lambda: catalog_services.permit_type_update(
                    permit_type=permit_type, actor=request.user, **values))
            if saved is not None:
                messages.success(request, f"Jenis izin {saved.name} tersimpan.")
                return redirect("permits-admin:permit-type", code=saved.code)
    if permit_type is not None and sample is None and not form.is_bound:
        try:
            sample = _number_sample(permit_type.code, permit_type.number_format)
        except DomainError:
            sample = None
    form_keys = list(permit_type.form_fields.values_list("key", flat=True)) if permit_type else []
    return page(request, "permit_type_form.html", {
        "form": form, "permit_type": permit_type, "sample": sample, "placeholders": LETTER_PLACEHOLDER_HELP,
        "form_keys": form_keys, "tab": "type",
    })


@admin_view
def permit_type_create(request):
    return _permit_type_form_page(request, permit_type=None)


@admin_view
def permit_type_edit(request, code: str):
    return _permit_type_form_page(request, permit_type=permit_type_of(code))


@require_POST
@admin_view
def permit_type_delete(request, code: str):
    permit_type = permit_type_of(code)
    try:
        catalog_services.permit_type_delete(permit_type=permit_type, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("permits-admin:permit-type", code=code)
    messages.success(request, f"Jenis izin {permit_type.name} dihapus.")
    return redirect("permits-admin:dashboard")


# --- Requirements and form fields: the same list + add/edit/delete/move shape ----------------


def _child_list_page(request, code, *, kind: str):
    permit_type = permit_type_of(code)
    if kind == "requirements":
        form_class, create = RequirementForm, catalog_services.requirement_create
        items = permit_type.requirements.order_by("order", "pk")
    else:
        form_class, create = FormFieldForm, catalog_services.form_field_create
        items = permit_type.form_fields.order_by("order", "pk")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, lambda: create(permit_type=permit_type, actor=request.user, **form.values()))
        if saved is not None:
            messages.success(request, f"'{saved}' ditambahkan.")
            return redirect(f"permits-admin:{kind}", code=code)
    return page(request, f"{kind}.html", {"permit_type": permit_type, "items": list(items), "form": form,
                                      "tab": kind})


def _child_edit_page(request, code, pk, *, kind: str):
    permit_type = permit_type_of(code)
    if kind == "requirements":
        item = get_object_or_404(Requirement, pk=pk, permit_type=permit_type)
        form_class, update, key = RequirementForm, catalog_services.requirement_update, "requirement"
    else:
        item = get_object_or_404(FormField, pk=pk, permit_type=permit_type)
        form_class, update, key = FormFieldForm, catalog_services.form_field_update, "field"
    form = form_class(request.POST or None, initial=form_class.initial_of(item))
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, lambda: update(**{key: item}, actor=request.user, **form.values()))
        if saved is not None:
            messages.success(request, f"'{saved}' tersimpan.")
            return redirect(f"permits-admin:{kind}", code=code)
    return page(request, "child_edit.html", {"permit_type": permit_type, "item": item, "form": form, "kind": kind,
                                             "tab": kind})


def _child_action(request, code, pk, *, kind: str, action: str):
    permit_type = permit_type_of(code)
    model = Requirement if kind == "requirements" else FormField
    item = get_object_or_404(model, pk=pk, permit_type=permit_type)
    key = "requirement" if kind == "requirements" else "field"
    try:
        if action == "delete":
            delete = catalog_services.requirement_delete if kind == "requirements" else catalog_services.form_field_delete
            delete(**{key: item}, actor=request.user)
            messages.success(request, f"'{item}' dihapus.")
        else:
            move = catalog_services.requirement_move if kind == "requirements" else catalog_services.form_field_move
            move(**{key: item}, direction=request.POST.get("arah", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"permits-admin:{kind}", code=code)


@admin_view
def requirements(request, code: str):
    return _child_list_page(request, code, kind="requirements")


@admin_view
def requirement_edit(request, code: str, pk: int):
    return _child_edit_page(request, code, pk, kind="requirements")


@require_POST
@admin_view
def requirement_delete(request, code: str, pk: int):
    return _child_action(request, code, pk, kind="requirements", action="delete")


@require_POST
@admin_view
def requirement_move(request, code: str, pk: int):
    return _child_action(request, code, pk, kind="requirements", action="move")


@admin_view
def form_fields(request, code: str):
    return _child_list_page(request, code, kind="form_fields")


@admin_view
def form_field_edit(request, code: str, pk: int):
    return _child_edit_page(request, code, pk, kind="form_fields")


@require_POST
@admin_view
def form_field_delete(request, code: str, pk: int):
    return _child_action(request, code, pk, kind="form_fields", action="delete")


@require_POST
@admin_view
def form_field_move(request, code: str, pk: int):
    return _child_action(request, code, pk, kind="form_fields", action="move")


@admin_view
def preview(request, code: str):
    """The applicant's form exactly as generated for applicants, shown read-only, with the requirements."""
    permit_type = get_object_or_404(PermitType.objects.prefetch_related("form_fields", "requirements"), code=code)
    form = application_form_class(permit_type, regency_code=regency_code())()
    for field in form.fields.values():
        field.disabled = True
    return page(request, "preview.html", {"permit_type": permit_type, "form": form,
                                          "requirements": permit_type.requirements.order_by("order", "pk"),
                                          "tab": "preview"})


# --- National templates -------------------------------------------------------------


@admin_view
def templates(request):
    adopted = {}
    for code, name, source in PermitType.objects.exclude(adopted_from="").values_list("code", "name", "adopted_from"):
        adopted.setdefault(source.split("@")[0], []).append((code, name))
    rows = [{"template": t, "adopted": adopted.get(t.code, []), "form": AdoptForm(prefix=t.code)}
            for t in catalog_template_list()]
    return page(request, "templates.html", {"rows": rows})


@require_POST
@admin_view
def template_adopt_view(request, template_code: str):
    template = get_object_or_404(CatalogTemplate, code=template_code, is_published=True)
    form = AdoptForm(request.POST, prefix=template.code)
    permit_type = None
    if form.is_valid():
        permit_type = attempt(form, lambda: template_adopt(
            template=template, actor=request.user, code=form.cleaned_data["code"] or None,
            overrides={"is_online": form.cleaned_data["is_online"]}))
    if permit_type is None:
        for error in form.non_field_errors() + form.errors.get("code", []):
            messages.error(request, f"{template.name}: {error}")
        return redirect("permits-admin:templates")
    messages.success(request, f"Templat {template.name} diadopsi sebagai {permit_type.name} ({permit_type.code}). "
                              "Ubah sesuai kebutuhan daerah Anda.")
    return redirect("permits-admin:permit-type", code=permit_type.code)
