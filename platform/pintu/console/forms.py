from django import forms
from django.utils.translation import gettext_lazy as _

from pintu.console.models import Announcement
from pintu.console.selectors import RegencyState, provinces


def _province_choices():
    return [("", _("Semua provinsi"))] + [(code, f"{code} {name}") for code, name in provinces()]


class RegencyFilterForm(forms.Form):
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    state = forms.ChoiceField(label=_("Keadaan"), required=False, choices=RegencyState.CHOICES)
    q = forms.CharField(label=_("Cari nama atau kode"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = _province_choices()


class ProvisionForm(forms.Form):
    code = forms.CharField(label=_("Kode wilayah"), required=False, max_length=10,
                           help_text=_("Empat angka, mis. 3505 untuk Kab. Blitar."),
                           widget=forms.TextInput(attrs={"list": "official-regencies", "inputmode": "numeric",
                                                         "autocomplete": "off"}))
    province = forms.ChoiceField(label=_("atau seluruh provinsi"), required=False)
    subdomain = forms.CharField(label=_("Subdomain (opsional)"), required=False, max_length=42,
                                help_text=_("Bawaan: dari nama daerah, mis. blitar."))
    admin_email = forms.CharField(label=_("Email administrator pertama (opsional)"), required=False, max_length=254,
                                  help_text=_("Bawaan: admin@<subdomain>."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("— tidak —"))] + _province_choices()[1:]


class StatusForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=255,
                             widget=forms.Textarea(attrs={"rows": 2}))


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=160, required=False)
    body = forms.CharField(label=_("Isi"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    audience = forms.ChoiceField(label=_("Sasaran"), choices=Announcement.Audience.choices)
    regencies = forms.ModelMultipleChoiceField(label=_("Daerah (jika sasaran: daerah tertentu)"), required=False,
                                               queryset=None, widget=forms.SelectMultiple(attrs={"size": 6}))
    published_from = forms.DateTimeField(label=_("Tayang mulai"), required=False,
                                         widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                    format="%Y-%m-%dT%H:%M"))
    published_until = forms.DateTimeField(label=_("Tayang sampai (opsional)"), required=False,
                                          widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                     format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regencies"].queryset = regencies
        self.fields["regencies"].label_from_instance = lambda r: f"{r.code} {r.name}"
