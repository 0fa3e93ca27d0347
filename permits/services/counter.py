"""Writes at the counter (loket): hand a walk-in's application over to their own platform account,
and hand the signed permit itself over to the walk-in."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext, gettext_lazy

from permits.models.applications import Application, Permit
from permits.services.applications import event_record
from permits.services.index import application_index_sync
from pintu.audit.services import audit_record
from pintu.errors import DomainError
from pintu.identity.mail import account_mail_send

if TYPE_CHECKING:
    from pintu.identity.models import User


class HandOverRefused(DomainError):
    code = "hand_over_refused"
    message = gettext_lazy("Permohonan ini tidak dapat diserahkan ke akun tersebut.")


class HandOverAccountNotFound(HandOverRefused):
    # One answer for "no such account", "no NIK on it" and "another NIK": the counter is no way to
    # learn whose e-mail has an account, and a typo never hands a file to a stranger.
    code = "hand_over_no_matching_account"
    message = (gettext_lazy("Tidak ada akun Pintu dengan email ini yang NIK-nya sama dengan NIK pemohon. Minta pemohon "
                            "mendaftar atau mengisi NIK di akunnya, atau mengklaim berkas sendiri dengan nomor registrasi, "
                            "kode lacak dan NIK (menu Permohonan saya → Klaim berkas loket)."))


class ClaimRefused(DomainError):
    code = "claim_refused"
    message = (gettext_lazy("Nomor registrasi, kode lacak atau NIK tidak cocok dengan permohonan loket yang belum "
                            "terhubung ke akun mana pun."))
    status = 400


def _link(*, application: Application, user: User, actor: User, how: str) -> Application:
    """Link the file to `user`, tell both sides by e-mail, record it (event, audit, public index)."""
    contact = (application.applicant_email or "").lower()
    application.applicant = user
    application.applicant_email = user.email
    application.save(update_fields=["applicant", "applicant_email", "updated_at"])
    event_record(application=application, kind="handed_over",
                 message="Permohonan diserahkan ke akun Pintu pemohon; selanjutnya dapat dipantau secara daring.")
    audit_record(actor=actor, action="application.hand_over", target=application,
                 detail={"user": user.pk, "email": user.email, "how": how})
    application_index_sync(application)
    subject = f"Permohonan {application.registration_number} kini terhubung ke akun Pintu"
    body = (f"Permohonan {application.permit_type.name} nomor {application.registration_number} atas nama "
            f"{application.applicant_name} kini terhubung ke akun Pintu {user.email} "
            f"({'diserahkan petugas loket' if how == 'counter' else 'diklaim pemohon'}).\n"
            "Bila ini bukan Anda atau bukan atas persetujuan Anda, segera hubungi kantor perizinan.\n")
    account_mail_send(to=user.email, subject=subject, body=body)
    if contact and contact != user.email.lower():
        account_mail_send(to=contact, subject=subject, body=body)
    return application


def _counter_file(application: Application) -> Application:
    application = Application.objects.select_for_update(of=("self",), no_key=True).select_related("permit_type").get(pk=application.pk)
    if application.channel != Application.Channel.COUNTER:
        raise HandOverRefused(gettext("Hanya permohonan dari loket yang dapat diserahkan ke akun pemohon."))
    if application.applicant_id is not None:
        raise HandOverRefused(gettext("Permohonan ini sudah terhubung dengan akun pemohon."), code="hand_over_already_linked")
    return application


@transaction.atomic
def application_hand_over(*, application: Application, email: str, actor: User) -> Application:
    """Link a counter application to the applicant's own account, so they follow it (and apply next time) online.

    Only a counter application without an account may be handed over, and only to an account whose
    NIK is the applicant's: an e-mail alone (one typo) never gives a stranger someone's file.
    """
    application = _counter_file(application)
    email = (email or "").strip().lower()
    if not email:
        raise HandOverRefused(gettext("Tuliskan email akun Pintu milik pemohon."), code="hand_over_email_required")
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not application.applicant_nik or user.nik != application.applicant_nik:
        raise HandOverAccountNotFound()
    return _link(application=application, user=user, actor=actor, how="counter")


@transaction.atomic
def application_claim(*, registration_number: str, tracking_code: str, nik: str, user: User) -> Application:
    """The applicant claims their counter file from their own account: registration number and tracking
    code (both on the receipt) and the NIK on the file. An account without a NIK gets this one."""
    nik = (nik or "").strip()
    application = (Application.objects.filter(registration_number=(registration_number or "").strip(),
                                              channel=Application.Channel.COUNTER, applicant__isnull=True).first())
    if (application is None or not nik or not application.applicant_nik
            or not constant_time_compare(application.tracking_code, (tracking_code or "").strip().upper())
            or not constant_time_compare(application.applicant_nik, nik)
            or (user.nik and user.nik != nik)):
        raise ClaimRefused()
    application = _counter_file(application)
    if not user.nik:
        User = get_user_model()
        if User.objects.filter(nik=nik).exclude(pk=user.pk).exists():
            raise ClaimRefused()  # the NIK belongs to another account: the counter hands it over there
        User.objects.filter(pk=user.pk).update(nik=nik)
        user.nik = nik
    return _link(application=application, user=user, actor=user, how="claim")


class PermitNotReady(DomainError):
    code = "permit_not_ready"
    message = gettext_lazy("Izin untuk permohonan ini belum terbit atau sudah dicabut.")


@transaction.atomic
def permit_counter_hand_over(*, application: Application, actor: User) -> Permit:
    """The front office prints or downloads the signed permit for the walk-in: recorded as handed over."""
    permit = Permit.objects.filter(application=application).first()
    if permit is None or permit.status != Permit.Status.VALID:
        raise PermitNotReady()
    first = not application.events.filter(kind="permit_handed_over").exists()
    if first:
        event_record(application=application, kind="permit_handed_over",
                     message=f"Izin {permit.number} diserahkan kepada pemohon di loket.")
    audit_record(actor=actor, action="permit.hand_over", target=permit,
                 detail={"by": "counter", "number": permit.number, "first": first})
    return permit
