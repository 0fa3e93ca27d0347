"""The applicant's form, generated from the permit type's form fields."""
from __future__ import annotations

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from permits.models import FormField
from tenants.regions import districts


def application_form_class(permit_type, *, regency_code: str) -> type[forms.Form]:
    """A Django form mirroring the permit type's fields; the service still checks every answer."""
    fields: dict[str, forms.Field] = {}
    for field in permit_type.form_fields.all():
        # Django renders a form's help_text as HTML; the administrator's text is text (it was stored XSS).
        common = {"label": field.label, "required": False, "help_text": escape(field.help_text)}
        if field.is_required:
            common["label"] = f"{field.label} *"
        kind = field.kind
        if kind == FormField.Kind.CHOICE:
            fields[field.key] = forms.ChoiceField(choices=[("", _("— pilih —"))] + [(c, c) for c in field.choices], **common)
        elif kind == FormField.Kind.DISTRICT:
            options = [("", _("— pilih kecamatan —"))] + districts(regency_code)
            fields[field.key] = forms.ChoiceField(choices=options, **common)
        elif kind == FormField.Kind.DATE:
            fields[field.key] = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif kind == FormField.Kind.ADDRESS:
            fields[field.key] = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
        elif kind in (FormField.Kind.NIK, FormField.Kind.NIB, FormField.Kind.NUMBER):
            attrs = {"inputmode": "numeric", "autocomplete": "off"}
            if kind == FormField.Kind.NIK:
                attrs.update(maxlength="16", pattern="[0-9]{16}")
            fields[field.key] = forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
        else:
            fields[field.key] = forms.CharField(**common)
        if field.is_required:
            # Said to the browser and to screen readers; the service still decides (a draft may stay incomplete).
            fields[field.key].widget.attrs["required"] = True
    return type("ApplicationForm", (forms.Form,), fields)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas"))


class TrackingForm(forms.Form):
    nomor = forms.CharField(label=_("Nomor registrasi"), max_length=32)
    kode = forms.CharField(label=_("Kode pelacakan"), max_length=12)
