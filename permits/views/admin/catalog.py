"""The catalog pages: dashboard, permit types, requirements, form fields, the applicant's form preview,
national templates."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from permits.models import FormField, PermitType, Requirement, Sop
from permits.regency import regency_code, regency_today
from permits.selectors.catalog import permit_type_list
from permits.services import catalog as catalog_services
from permits.services.templates import template_adopt
from permits.views.admin._common import admin_view, attempt, form_page, page, permit_type_of, post_action
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
from pintu.errors import DomainError, errors_onto
from pintu.national.models import CatalogTemplate
from pintu.national.selectors import catalog_template_list


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
                errors_onto(form, exc, general_field="number_format")
        else:
            values = permit_type_values(form.cleaned_data)
            if permit_type is None:
                saved = attempt(form, lambda: catalog_services.permit_type_create(actor=request.user, **values))
            else:
                saved = attempt(form, lambda: catalog_services.permit_type_update(
                    permit_type=permit_type, actor=request.user, **values))
            if saved is not None:
                messages.success(request, gettext("Jenis izin %(name)s tersimpan.") % {"name": saved.name})
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
    messages.success(request, gettext("Jenis izin %(name)s dihapus.") % {"name": permit_type.name})
    return redirect("permits-admin:dashboard")


# --- Requirements and form fields: the same list + add/edit/delete/move shape ----------------


@dataclass(frozen=True)
class _Child:
    model: type
    form: type
    key: str  # the services' keyword for the record
    create: Callable
    update: Callable
    delete: Callable
    move: Callable


_CHILDREN = {
    "requirements": _Child(Requirement, RequirementForm, "requirement", catalog_services.requirement_create,
                           catalog_services.requirement_update, catalog_services.requirement_delete,
                           catalog_services.requirement_move),
    "form_fields": _Child(FormField, FormFieldForm, "field", catalog_services.form_field_create,
                          catalog_services.form_field_update, catalog_services.form_field_delete,
                          catalog_services.form_field_move),
}


def _child_views(kind: str):
    """The list (with its add form), edit, delete and move views of a permit type's requirements or form fields."""
    child = _CHILDREN[kind]

    def item_of(permit_type, pk):
        return get_object_or_404(child.model, pk=pk, permit_type=permit_type)

    def list_url(code: str) -> str:
        return reverse(f"permits-admin:{kind}", kwargs={"code": code})

    @admin_view
    def list_page(request, code: str):
        permit_type = permit_type_of(code)
        form = child.form(request.POST or None)
        return form_page(request, form, lambda: child.create(permit_type=permit_type, actor=request.user,
                                                             **form.values()),
                         saved_message=lambda saved: f"'{saved}' ditambahkan.", to=list_url(code),
                         template=f"{kind}.html", context=lambda: {
                             "permit_type": permit_type, "tab": kind,
                             "items": list(getattr(permit_type, kind).order_by("order", "pk"))})

    @admin_view
    def edit_page(request, code: str, pk: int):
        permit_type = permit_type_of(code)
        item = item_of(permit_type, pk)
        form = child.form(request.POST or None, initial=child.form.initial_of(item))
        return form_page(request, form, lambda: child.update(**{child.key: item}, actor=request.user,
                                                             **form.values()),
                         saved_message=lambda saved: f"'{saved}' tersimpan.", to=list_url(code),
                         template="child_edit.html",
                         context={"permit_type": permit_type, "item": item, "kind": kind, "tab": kind})

    @require_POST
    @admin_view
    def delete(request, code: str, pk: int):
        item = item_of(permit_type_of(code), pk)
        return post_action(request, lambda: child.delete(**{child.key: item}, actor=request.user),
                           done_message=f"'{item}' dihapus.", to=list_url(code))

    @require_POST
    @admin_view
    def move(request, code: str, pk: int):
        item = item_of(permit_type_of(code), pk)
        return post_action(request, lambda: child.move(**{child.key: item}, direction=request.POST.get("arah", ""),
                                                       actor=request.user), to=list_url(code))

    return list_page, edit_page, delete, move


requirements, requirement_edit, requirement_delete, requirement_move = _child_views("requirements")
form_fields, form_field_edit, form_field_delete, form_field_move = _child_views("form_fields")


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
    messages.success(request, gettext("Templat %(name)s diadopsi sebagai %(name2)s (%(code)s). Ubah sesuai kebutuhan daerah Anda.")
                              % {"name": template.name, "name2": permit_type.name, "code": permit_type.code})
    return redirect("permits-admin:permit-type", code=permit_type.code)
