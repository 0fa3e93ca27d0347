"""Signing authority: positions and holders, delegation rules, acting officials, and "who may sign?"."""
from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from permits.models import ActingOfficial, Delegation, Position
from permits.regency import regency_today
from permits.selectors.delegation import acting_official_list, delegation_list, delegation_resolve, position_list
from permits.services import delegation as delegation_services
from permits.views.admin._common import admin_view, edit_page, form_page, page, post_action
from permits.views.admin.forms import ActingForm, AuthorityForm, DelegationForm, PositionForm
from pintu.errors import DomainError, errors_onto
from pintu.storage.services import document_response

# --- Positions ---------------------------------------------------------------------

@admin_view
def positions(request):
    form = PositionForm(request.POST or None)
    return form_page(request, form, lambda: delegation_services.position_create(actor=request.user, **form.values()),
        saved_message=lambda p: f"Jabatan {p.name} ditambahkan.", to="permits-admin:positions",
        template="positions.html", context=lambda: {"positions": list(position_list())})


@admin_view
def position_edit(request, pk: int):
    position = get_object_or_404(Position, pk=pk)
    form = PositionForm(request.POST or None, initial=PositionForm.initial_of(position))
    return edit_page(request, form, lambda: delegation_services.position_update(
        position=position, actor=request.user, **form.values()),
        saved_message=lambda p: f"Jabatan {p.name} tersimpan.", back="permits-admin:positions",
        title=f"Ubah jabatan: {position.name}")


@require_POST
@admin_view
def position_delete(request, pk: int):
    position = get_object_or_404(Position, pk=pk)
    return post_action(request, lambda: delegation_services.position_delete(position=position, actor=request.user),
                       done_message=f"Jabatan {position.name} dihapus.", to="permits-admin:positions")


# --- Delegation rules -------------------------------------------------------------------


def _delegation_save(request, form, delegation: Delegation | None):
    """Save the rule and, when given, its scanned regulation: both or neither."""
    values = form.values()
    permit_types = list(form.cleaned_data["permit_types"])
    upload = form.cleaned_data.get("legal_basis_upload")
    try:
        with transaction.atomic():
            if delegation is None:
                saved = delegation_services.delegation_create(permit_types=permit_types, actor=request.user, **values)
            else:
                saved = delegation_services.delegation_update(delegation=delegation, permit_types=permit_types,
                                                              actor=request.user, **values)
            if upload:
                try:
                    delegation_services.delegation_legal_basis_attach(delegation=saved, file=upload,
                                                                      actor=request.user)
                except DomainError as exc:
                    errors_onto(form, exc, general_field="legal_basis_upload")
                    raise
    except DomainError as exc:
        if "legal_basis_upload" not in form.errors:
            errors_onto(form, exc)
        return None
    return saved


def _delegation_saved(delegation: Delegation) -> str:
    return f"Pelimpahan wewenang {delegation.legal_basis_number} tersimpan."


@admin_view
def delegations(request):
    form = DelegationForm(request.POST or None, request.FILES or None)
    return form_page(request, form, lambda: _delegation_save(request, form, None), saved_message=_delegation_saved,
                     to="permits-admin:delegations", template="delegations.html",
                     context=lambda: {"delegations": list(delegation_list())})


@admin_view
def delegation_edit(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    form = DelegationForm(request.POST or None, request.FILES or None, initial=DelegationForm.initial_of(delegation))
    return edit_page(request, form, lambda: _delegation_save(request, form, delegation),
                     saved_message=_delegation_saved, back="permits-admin:delegations", multipart=True,
                     title=f"Ubah pelimpahan wewenang: {delegation.legal_basis_number}")


@require_POST
@admin_view
def delegation_delete(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    return post_action(
        request, lambda: delegation_services.delegation_delete(delegation=delegation, actor=request.user),
        done_message=f"Pelimpahan wewenang {delegation.legal_basis_number} dihapus.", to="permits-admin:delegations")


@require_GET
@admin_view
def delegation_file(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    if not delegation.legal_basis_file:
        return redirect("permits-admin:delegations")
    return document_response(delegation.legal_basis_file.name, download_name=f"dasar-hukum-{delegation.pk}",
                             as_attachment=False)


# --- Acting officials (Plh / Plt) -----------------------------------------------------------

@admin_view
def acting(request):
    form = ActingForm(request.POST or None)
    return form_page(request, form, lambda: delegation_services.acting_official_create(
        actor=request.user, **form.values()),
        saved_message=lambda a: f"{a.get_kind_display().split(' (')[0]} {a.position.name} tersimpan.",
        to="permits-admin:acting", template="acting.html", context=lambda: {"acting": list(acting_official_list())})


@admin_view
def acting_edit(request, pk: int):
    item = get_object_or_404(ActingOfficial, pk=pk)
    form = ActingForm(request.POST or None, initial=ActingForm.initial_of(item))
    return edit_page(request, form, lambda: delegation_services.acting_official_update(
        acting=item, actor=request.user, **form.values()),
        saved_message="Pelaksana jabatan tersimpan.", back="permits-admin:acting",
        title=f"Ubah pelaksana jabatan {item.position.name}")


@require_POST
@admin_view
def acting_delete(request, pk: int):
    item = get_object_or_404(ActingOfficial, pk=pk)
    return post_action(request, lambda: delegation_services.acting_official_delete(acting=item, actor=request.user),
                       done_message="Pelaksana jabatan dihapus.", to="permits-admin:acting")


# --- Who may sign? ------------------------------------------------------------------------


@require_GET
@admin_view
def who_signs(request):
    form = AuthorityForm(request.GET if "permit_type" in request.GET else None,
                         initial={"on": regency_today()})
    authority = None
    if form.is_bound and form.is_valid():
        authority = delegation_resolve(permit_type=form.cleaned_data["permit_type"], on=form.cleaned_data["on"])
    return page(request, "who_signs.html", {"form": form, "authority": authority})
