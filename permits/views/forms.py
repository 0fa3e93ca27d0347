"""The applicant's form, generated from the permit type's form fields."""
from __future__ import annotations

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from permits.field_kinds import FIELD_KINDS
from permits.models import FormField


def application_form_class(permit_type, *, regency_code: str) -> type[forms.Form]:
    """A Django form mirroring the permit type's fields; the service still checks every answer."""
    fields: dict[str, forms.Field] = {}
    for field in permit_type.form_fields.all():
        # Django renders a form's help_text as HTML; the administrator's text is text (it was stored XSS).
        common = {"label": field.label, "required": False, "help_text": escape(field.help_text)}
        if field.is_required:
            common["label"] = f"{field.label} *"
        kind = FIELD_KINDS.get(field.kind, FIELD_KINDS[FormField.Kind.TEXT])
        fields[field.key] = kind.form_field(field, common, regency_code)
        if field.is_required:
            # Said to the browser and to screen readers; the service still decides (a draft may stay incomplete).
            fields[field.key].widget.attrs["required"] = True
    return type("ApplicationForm", (forms.Form,), fields)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas"))


class TrackingForm(forms.Form):
    nomor = forms.CharField(label=_("Nomor registrasi"), max_length=32)
    kode = forms.CharField(label=_("Kode pelacakan"), max_length=12)
