from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from pintu.identity.nik import validate_nik


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))
    error_messages = {
        "invalid_login": _("Email atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    nik = forms.CharField(label=_("NIK (opsional)"), max_length=16, required=False, validators=[validate_nik],
                          help_text=_("16 angka sesuai KTP. Bisa diisi nanti."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                        "pattern": "[0-9]{16}"}))
    # A phone number may start with +62: the telephone keypad (digits and +), the browser's saved number.
    phone = forms.CharField(label=_("Nomor HP (opsional)"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    password = forms.CharField(label=_("Kata sandi"), min_length=8,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_email(self):
        from pintu.identity.models import User

        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Email ini sudah terdaftar. Silakan masuk."))
        return email
