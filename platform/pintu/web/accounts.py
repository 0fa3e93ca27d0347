"""Account lifecycle pages on the apex (and on every subdomain alike): forgotten password, change password,
e-mail verification. Django's own password-reset machinery: a single-use link (its token is bound to the
current password hash and last sign-in) that expires after PASSWORD_RESET_TIMEOUT, and the same answer
whether or not the e-mail belongs to an account."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pintu.identity.services import email_verification_link, email_verify


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "web/password_reset.html"
    email_template_name = "web/password_reset_email.txt"
    subject_template_name = "web/password_reset_subject.txt"
    success_url = reverse_lazy("web:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "web/password_reset_confirm.html"
    success_url = reverse_lazy("web:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    success_url = reverse_lazy("web:password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "web/password_change_done.html"


def send_verification(request, user) -> None:
    """E-mail the link that confirms the address (a reminder, never a gate to applying)."""
    from django.core.mail import send_mail

    link = request.build_absolute_uri(email_verification_link(user=user))
    send_mail(subject="Konfirmasi alamat email akun Pintu",
              message=(f"Yth. {user.full_name},\n\nKonfirmasi bahwa alamat ini milik Anda dengan membuka tautan:\n"
                       f"{link}\n\nAkun Anda sudah aktif; konfirmasi ini hanya agar pemberitahuan izin sampai "
                       "ke alamat yang benar.\n"),
              from_email=None, recipient_list=[user.email])


def verify(request, token: str):
    user = email_verify(token=token)
    if user is None:
        messages.error(request, gettext("Tautan konfirmasi email tidak berlaku atau sudah kedaluwarsa. Kirim ulang dari profil."))
    else:
        messages.success(request, gettext("Alamat email Anda sudah terkonfirmasi. Terima kasih."))
    return redirect("web:home")


@require_POST
@login_required
def verification_resend(request):
    if request.user.email_verified_at is None:
        send_verification(request, request.user)
        messages.success(request, gettext("Tautan konfirmasi dikirim ke %(email)s.") % {"email": request.user.email})
    return redirect(request.POST.get("next") or "web:home")
