"""The invitee's page on the regency subdomain: set a password for a new account, or accept with one's own."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pintu.access.services import invitation_accept, invitation_of_token
from pintu.errors import DomainError, errors_onto
from pintu.identity.models import User

BACKEND = "django.contrib.auth.backends.ModelBackend"


class NewAccountForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    password = forms.CharField(label=_("Kata sandi baru"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


class ExistingAccountForm(forms.Form):
    password = forms.CharField(label=_("Kata sandi akun Pintu Anda"), widget=forms.PasswordInput)


@require_http_methods(["GET", "POST"])
def invitation_page(request, token: str):
    try:
        invitation = invitation_of_token(token)
    except DomainError as exc:
        return render(request, "web/invitation.html", {"error": exc.message}, status=exc.status)
    signed_in = request.user.is_authenticated
    account = User.objects.filter(email__iexact=invitation.email).first()
    has_account = account is not None and account.has_usable_password()
    if signed_in:
        form = None
    elif has_account:
        form = ExistingAccountForm(request.POST or None)
    else:
        form = NewAccountForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if signed_in:
                user = invitation_accept(token=token, user=request.user)
            elif has_account:
                user = authenticate(request, username=invitation.email, password=form.cleaned_data["password"])
                if user is None:
                    form.add_error("password", _("Kata sandi salah."))
                else:
                    user = invitation_accept(token=token, user=user)
            else:
                user = invitation_accept(token=token, password=form.cleaned_data["password"],
                                         full_name=form.cleaned_data["full_name"])
        except DomainError as exc:
            fields = exc.detail.get("fields") or {}
            if form is not None and fields:
                errors_onto(form, exc)
            else:
                return render(request, "web/invitation.html", {"error": exc.message}, status=exc.status)
        else:
            if user is not None:
                if not signed_in:
                    login(request, user, backend=BACKEND)
                messages.success(request, _("Undangan diterima. Selamat bertugas."))
                return redirect("web:home")
    return render(request, "web/invitation.html", {"invitation": invitation, "form": form, "signed_in": signed_in,
                                                   "has_account": has_account})
