"""Signing authority: positions and holders, delegation rules, acting officials, and "who may sign?"."""
from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from pintu.errors import DomainError
from pintu.storage.services import document_response
from permits.models import ActingOfficial, Delegation, Position
from permits.regency import regency_today
from permits.selectors.delegation import acting_official_list, delegation_list, delegation_resolve, position_list
from permits.services import delegation as delegation_services
from permits.views.admin._common import admin_view, attempt, errors_onto, page
from permits.views.admin.forms import ActingForm, AuthorityForm, DelegationForm, PositionForm

# --- Positions ---------------------------------------------------------------------


def _position_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("code", "name", "kind", "holder")}


@admin_view
def positions(request):
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, lambda: delegation_services.position_create(actor=request.user, **_position_values(form)))
        if saved is not None:
            messages.success(request, f"Jabatan {saved.name} ditambahkan.")
            return redirect("permits-admin:positions")
    return page(request, "positions.html", {"positions": list(position_list()), "form": form})


@admin_view
def position_edit(request, pk: int):
    position = get_object_or_404(Position, pk=pk)
    form = PositionForm(request.POST or None, initial={"code": position.code, "name": position.name,
                                                       "kind": position.kind, "holder": position.holder_id})
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, lambda: delegation_services.position_update(position=position, actor=request.user,
                                                                          **_position_values(form)))
        if saved is not None:
            messages.success(request, f"Jabatan {saved.name} tersimpan.")
            return redirect("permits-admin:positions")
    return page(request, "simple_edit.html", {"form": form, "title": f"Ubah jabatan: {position.name}",
                                              "back": "permits-admin:positions"})


@require_POST
@admin_view
def position_delete(request, pk: int):
    position = get_object_or_404(Position, pk=pk)
    try:
        delegation_services.position_delete(position=position, actor=request.user)
        messages.success(request, f"Jabatan {position.name} dihapus.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("permits-admin:positions")


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
                    form.add_error("legal_basis_upload", exc.message)
                    raise
    except DomainError as exc:
        if "legal_basis_upload" not in form.errors:
            errors_onto(form, exc)
        return None
    return saved


@admin_view
def delegations(request):
    form = DelegationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved = _delegation_save(request, form, None)
        if saved is not None:
            messages.success(request, f"Pelimpahan wewenang {saved.legal_basis_number} tersimpan.")
            return redirect("permits-admin:delegations")
    return page(request, "delegations.html", {"delegations": list(delegation_list()), "form": form})


@admin_view
def delegation_edit(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    initial = {name: getattr(delegation, name) for name in (
        "from_position", "to_position", "applies_to_all", "legal_basis_number", "legal_basis_date", "valid_from",
        "valid_until")}
    initial["permit_types"] = list(delegation.permit_types.all())
    form = DelegationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _delegation_save(request, form, delegation)
        if saved is not None:
            messages.success(request, f"Pelimpahan wewenang {saved.legal_basis_number} tersimpan.")
            return redirect("permits-admin:delegations")
    return page(request, "simple_edit.html", {"form": form, "multipart": True, "back": "permits-admin:delegations",
                                              "title": f"Ubah pelimpahan wewenang: {delegation.legal_basis_number}"})


@require_POST
@admin_view
def delegation_delete(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    try:
        delegation_services.delegation_delete(delegation=delegation, actor=request.user)
        messages.success(request, f"Pelimpahan wewenang {delegation.legal_basis_number} dihapus.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("permits-admin:delegations")


@require_GET
@admin_view
def delegation_file(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    if not delegation.legal_basis_file:
        return redirect("permits-admin:delegations")
    return document_response(delegation.legal_basis_file.name, download_name=f"dasar-hukum-{delegation.pk}",
                             as_attachment=False)


# --- Acting officials (Plh / Plt) -----------------------------------------------------------


def _acting_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("position", "user", "kind", "decree_number", "valid_from",
                                                        "valid_until")}


@admin_view
def acting(request):
    form = ActingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, lambda: delegation_services.acting_official_create(actor=request.user,
                                                                                 **_acting_values(form)))
        if saved is not None:
            messages.success(request, f"{saved.get_kind_display().split(' (')[0]} {saved.position.name} tersimpan.")
            return redirect("permits-admin:acting")
    return page(request, "acting.html", {"acting": list(acting_official_list()), "form": form})


@admin_view
def acting_edit(request, pk: int):
    item = get_object_or_404(ActingOfficial, pk=pk)
    form = ActingForm(request.POST or None, initial={name: getattr(item, name) for name in (
        "position", "user", "kind", "decree_number", "valid_from", "valid_until")})
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, lambda: delegation_services.acting_official_update(acting=item, actor=request.user,
                                                                                 **_acting_values(form)))
        if saved is not None:
            messages.success(request, "Pelaksana jabatan tersimpan.")
            return redirect("permits-admin:acting")
    return page(request, "simple_edit.html", {"form": form, "back": "permits-admin:acting",
                                              "title": f"Ubah pelaksana jabatan {item.position.name}"})


@require_POST
@admin_view
def acting_delete(request, pk: int):
    item = get_object_or_404(ActingOfficial, pk=pk)
    delegation_services.acting_official_delete(acting=item, actor=request.user)
    messages.success(request, "Pelaksana jabatan dihapus.")
    return redirect("permits-admin:acting")


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
