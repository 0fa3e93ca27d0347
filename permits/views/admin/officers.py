"""The regency's officers: invite by e-mail, roles, deactivation, pending invitations; and its agencies (OPD)."""
from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from permits.services import agencies as agency_services
from permits.views.admin._common import admin_view, edit_page, form_page, post_action
from permits.views.admin.forms import AgencyForm, InviteForm, RolesForm
from pintu.access import services as access_services
from pintu.access.models import Agency, Invitation, Membership
from pintu.access.selectors import agency_list, invitation_pending_rows, officer_people
from pintu.identity.models import User


@admin_view
def officers(request):
    form = InviteForm(request.POST or None)

    def invite():
        invitation, _ = access_services.invitation_create(
            email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
            nik=form.cleaned_data["nik"], roles=form.role_values(), invited_by=request.user)
        return invitation

    return form_page(request, form, invite, saved_message=lambda i: f"Undangan dikirim ke {i.email}.",
                     to="permits-admin:officers", template="officers.html",
                     context=lambda: {"people": officer_people(), "invitations": invitation_pending_rows(),
                                      "has_agencies": agency_list().exists()})


@admin_view
def officer_edit(request, user_id: int):
    memberships = list(Membership.objects.filter(user_id=user_id))
    if not memberships:
        return redirect("permits-admin:officers")
    person = get_object_or_404(User, pk=user_id)
    form = RolesForm(request.POST or None, initial=RolesForm.initial_of_memberships(memberships))
    return form_page(request, form, lambda: access_services.officer_roles_set(
        user=person, roles=form.role_values(), actor=request.user),
        saved_message=f"Peran {person.full_name or person.email} tersimpan.", to="permits-admin:officers",
        template="officer_edit.html",
        context={"person": person, "is_active": any(m.is_active for m in memberships)})


@require_POST
@admin_view
def officer_deactivate(request, user_id: int):
    person = get_object_or_404(User, pk=user_id)
    return post_action(request, lambda: access_services.officer_deactivate(user=person, actor=request.user),
                       done_message=f"{person.full_name or person.email} dinonaktifkan di daerah ini.",
                       to="permits-admin:officers")


@require_POST
@admin_view
def officer_reactivate(request, user_id: int):
    person = get_object_or_404(User, pk=user_id)
    return post_action(request, lambda: access_services.officer_reactivate(user=person, actor=request.user),
                       done_message=f"{person.full_name or person.email} diaktifkan kembali.",
                       to="permits-admin:officers")


@require_POST
@admin_view
def invitation_resend(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    return post_action(request, lambda: access_services.invitation_resend(invitation=invitation, actor=request.user),
                       done_message=f"Undangan dikirim ulang ke {invitation.email}; tautan lama tidak berlaku lagi.",
                       to="permits-admin:officers")


@require_POST
@admin_view
def invitation_cancel(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    return post_action(request, lambda: access_services.invitation_cancel(invitation=invitation, actor=request.user),
                       done_message=f"Undangan untuk {invitation.email} dibatalkan.", to="permits-admin:officers")


@admin_view
def agencies(request):
    form = AgencyForm(request.POST or None)
    return form_page(request, form, lambda: agency_services.agency_create(actor=request.user, **form.values()),
                     saved_message=lambda a: f"Instansi {a.name} ditambahkan.", to="permits-admin:agencies",
                     template="agencies.html", context=lambda: {"agencies": list(agency_list())})


@admin_view
def agency_edit(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    form = AgencyForm(request.POST or None, initial={"code": agency.code, "name": agency.name})
    return edit_page(request, form, lambda: agency_services.agency_update(agency=agency, actor=request.user,
                                                                          **form.values()),
                     saved_message=lambda a: f"Instansi {a.name} tersimpan.", back="permits-admin:agencies",
                     title=f"Ubah instansi: {agency.name}")


@require_POST
@admin_view
def agency_delete(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    return post_action(request, lambda: agency_services.agency_delete(agency=agency, actor=request.user),
                       done_message=f"Instansi {agency.name} dihapus.", to="permits-admin:agencies")
