"""Notification pages (issue #5): the regency administrator's templates, gateways, lead times and the
failed/pending message list (/pengaturan/notifikasi/); the applicant's inbox and channels (/kotak-masuk/);
renewal from an issued permit."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from permits.models.applications import Permit
from permits.services.renewal import permit_renew_start
from pintu.access.models import Role
from pintu.access.permissions import role_required
from pintu.access.selectors import is_own_application
from pintu.errors import DomainError
from pintu.notify import selectors, services
from pintu.notify.defaults import PLACEHOLDERS
from pintu.notify.models import Channel, Event, Gateway, OutboxMessage

admin_only = role_required(Role.REGENCY_ADMIN)


@admin_only
def settings_page(request):
    gateways = {g.channel: g for g in Gateway.objects.all()}
    return render(request, "permits/notify/settings.html", {
        "rows": selectors.template_table(), "gateways": [(c, gateways.get(c)) for c in (Channel.SMS, Channel.WHATSAPP)],
        "lead_days": ", ".join(str(d) for d in services.expiry_lead_days()),
        "problem_count": selectors.outbox_problems().count(), "held": selectors.text_channels_held(),
    })


@admin_only
def template_edit(request, event: str, channel: str):
    if event not in Event.values or channel not in Channel.values:
        raise Http404
    subject, body, is_custom = services.template_for(event, channel)
    preview = None
    errors: dict = {}
    if request.method == "POST":
        subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
        try:
            if "reset" in request.POST:
                services.template_reset(event=event, channel=channel, actor=request.user)
                messages.success(request, gettext("Templat dikembalikan ke bawaan Pintu."))
                return redirect("notify-admin:template", event=event, channel=channel)
            if "save" in request.POST:
                services.template_save(event=event, channel=channel, subject=subject, body=body, actor=request.user)
                messages.success(request, "Templat tersimpan.")
                return redirect("notify-admin:template", event=event, channel=channel)
            preview = services.template_preview(event=event, channel=channel, subject=subject, body=body)
        except DomainError as exc:
            errors = exc.detail.get("fields") or {}
            messages.error(request, exc.message)
    elif request.GET.get("pratinjau") is not None:
        preview = services.template_preview(event=event, channel=channel, subject=subject, body=body)
    return render(request, "permits/notify/template.html", {
        "event": Event(event), "channel": Channel(channel), "subject": subject, "body": body,
        "is_custom": is_custom, "preview": preview, "errors": errors,
        "placeholders": sorted(PLACEHOLDERS[event].items()),
    })


@admin_only
@require_POST
def gateway_save(request, channel: str):
    try:
        services.gateway_save(channel=channel, url=request.POST.get("url", ""), token=request.POST.get("token", ""),
                              sender=request.POST.get("sender", ""), is_active=bool(request.POST.get("is_active")),
                              token_clear=bool(request.POST.get("token_clear")),
                              timeout_seconds=int(request.POST.get("timeout_seconds") or 15), actor=request.user)
        messages.success(request, "Gateway tersimpan.")
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "Batas waktu harus berupa angka."))
    return redirect("notify-admin:settings")


@admin_only
@require_POST
def lead_days_save(request):
    try:
        days = [int(x) for x in request.POST.get("lead_days", "").replace(" ", "").split(",") if x]
        services.expiry_lead_days_set(days=days, actor=request.user)
        messages.success(request, "Pengingat masa berlaku tersimpan.")
    except ValueError:
        messages.error(request, gettext("Isi angka hari dipisah koma, misalnya 60, 14."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("notify-admin:settings")


@admin_only
def outbox_page(request):
    show = request.GET.get("tampil", "masalah")
    rows = selectors.outbox_problems() if show == "masalah" else selectors.outbox_recent()
    return render(request, "permits/notify/outbox.html", {"rows": rows[:200], "show": show,
                                                          "held": selectors.text_channels_held()})


@admin_only
@require_POST
def outbox_retry(request, pk: int):
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        services.outbox_retry(message=message, actor=request.user)
        messages.success(request, gettext("Pesan dijadwalkan untuk dikirim ulang."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("notify-admin:outbox")


@login_required
def inbox_page(request):
    preference = services.preference_of(request.user)
    if request.method == "POST":
        services.preference_set(user=request.user, wants_sms=bool(request.POST.get("wants_sms")),
                                wants_whatsapp=bool(request.POST.get("wants_whatsapp")))
        messages.success(request, "Pilihan saluran tersimpan.")
        return redirect("notify:inbox")
    return render(request, "permits/notify/inbox.html", {
        "items": selectors.inbox_of(user=request.user, regency=request.tenant)[:100], "preference": preference,
        "has_phone": bool(request.user.phone)})


@login_required
@require_POST
def permit_renew(request, pk: int):
    permit = get_object_or_404(Permit.objects.select_related("application"), application_id=pk)
    if not is_own_application(user=request.user, application=permit.application):
        raise Http404
    try:
        application = permit_renew_start(permit=permit, applicant=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("permits:application", pk=pk)
    messages.success(request, gettext("Perpanjangan dimulai: izin lama sudah dilampirkan. Lengkapi persyaratan lalu ajukan."))
    return redirect("permits:application", pk=application.pk)
