"""The kinds of field an applicant's form may hold, each declared once: drawn, checked and shown.

`FIELD_KINDS[FormField.Kind.X]` holds every rule of one kind: `form_field` builds the Django field
the pages render (permits.views.forms), `clean` checks one answer (permits.services.catalog's
`form_value_clean`, which the pages, the API, the counter and OSS all go through), `show` words a
stored answer for people (permits.selectors.forms). A new kind is one entry here; a kind without an
entry is refused by the service and the model's choices alike.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from permits.models import FormField
from pintu.identity.nik import nib_is_valid, nik_validate

Kind = FormField.Kind

_NUMBER = re.compile(r"-?[0-9]{1,15}(?:[.,][0-9]{1,6})?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_MIN, DATE_MAX = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
TEXT_MAX = 1000


class ShownIn:
    """What showing the answers of one form needs, read once per form: the regency's district names."""

    def __init__(self, *, regency_code: Callable[[], str], codes: bool = False) -> None:
        self._regency_code = regency_code
        self.codes = codes  # officers cross-check a district's code beside its name

    @cached_property
    def district_names(self) -> dict[str, str]:
        from tenants.regions import districts

        return dict(districts(self._regency_code()))


def _as_stored(field: FormField, value: str, shown_in: ShownIn) -> str:
    return value


@dataclass(frozen=True)
class FieldKind:
    #: (form field, Django field arguments, regency code) -> the Django field the page renders
    form_field: Callable[[FormField, dict, str], forms.Field]
    #: (form field, stripped non-empty answer, regency code) -> the stored value; ValidationError in Indonesian
    clean: Callable[[FormField, str, str], str]
    #: (form field, stored answer as text, ShownIn) -> the answer as people read it
    show: Callable[[FormField, str, ShownIn], str] = _as_stored
    #: the administrator lists the answers to choose from (FormField.choices)
    has_choices: bool = False


# --- How each kind is drawn ------------------------------------------------------------------


def _plain(field: FormField, common: dict[str, Any], regency_code: str) -> forms.Field:
    return forms.CharField(**common)


def _textarea(field: FormField, common: dict[str, Any], regency_code: str) -> forms.Field:
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)


def _date_input(field: FormField, common: dict[str, Any], regency_code: str) -> forms.Field:
    return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)


def _numeric(*, nik: bool = False) -> Callable[[FormField, dict[str, Any], str], forms.Field]:
    def build(field: FormField, common: dict[str, Any], regency_code: str) -> forms.Field:
        attrs = {"inputmode": "numeric", "autocomplete": "off"}
        if nik:
            attrs.update(maxlength="16", pattern="[0-9]{16}")
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)

    return build


def _choice_select(field: FormField, common: dict[str, Any], regency_code: str) -> forms.Field:
    return forms.ChoiceField(choices=[("", _("— pilih —"))] + [(c, c) for c in field.choices], **common)


def _district_select(field: FormField, common: dict[str, Any], regency_code: str) -> forms.Field:
    from tenants.regions import districts

    return forms.ChoiceField(choices=[("", _("— pilih kecamatan —"))] + districts(regency_code), **common)


# --- How each kind is checked ----------------------------------------------------------------


def _text(field: FormField, text: str, regency_code: str) -> str:
    if len(text) > TEXT_MAX:
        raise ValidationError(gettext("%(label)s terlalu panjang (maksimal %(TEXT_MAX)s karakter).")
                              % {"label": field.label, "TEXT_MAX": TEXT_MAX}, code="max_length")
    return text


def _address(field: FormField, text: str, regency_code: str) -> str:
    text = _text(field, text, regency_code)
    if len(text) < 10:
        raise ValidationError(f"{field.label}: tulis alamat lengkap (jalan, RT/RW, desa/kelurahan).",
                              code="address_incomplete")
    return text


def _number(field: FormField, text: str, regency_code: str) -> str:
    # Plain digits only: Decimal() alone takes "1e999999", "1_000", "NaN" and Arabic-Indic digits.
    if not _NUMBER.fullmatch(text):
        raise ValidationError(gettext("%(label)s harus berupa angka (paling banyak 15 digit, desimal dengan koma atau titik).")
                              % {"label": field.label}, code="number")
    return str(Decimal(text.replace(",", ".")))


def _date(field: FormField, text: str, regency_code: str) -> str:
    # TTTT-BB-HH only: date.fromisoformat also takes "20260101" and ISO weeks ("2026-W01-1").
    try:
        day = dt.date.fromisoformat(text) if _DATE.fullmatch(text) else None
    except ValueError:
        raise ValidationError(gettext("%(label)s: tanggal %(text)s tidak ada di kalender.")
                              % {"label": field.label, "text": text}, code="date") from None
    if day is None:
        raise ValidationError(gettext("%(label)s harus tanggal dengan format TTTT-BB-HH.") % {"label": field.label}, code="date")
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(gettext("%(label)s harus antara tahun %(year)s dan %(year2)s.")
                              % {"label": field.label, "year": DATE_MIN.year, "year2": DATE_MAX.year},
                              code="date_range")
    return day.isoformat()


def _choice(field: FormField, text: str, regency_code: str) -> str:
    if text not in field.choices:
        raise ValidationError(gettext("%(label)s: pilih salah satu dari %(join)s.")
                              % {"label": field.label, "join": ', '.join(field.choices)},
                              code="invalid_choice")
    return text


def _nik(field: FormField, text: str, regency_code: str) -> str:
    return nik_validate(text).nik


def _nib(field: FormField, text: str, regency_code: str) -> str:
    if not nib_is_valid(text):
        raise ValidationError(gettext("NIB harus terdiri dari 13 angka."), code="nib_format")
    return text


def _district(field: FormField, text: str, regency_code: str) -> str:
    from tenants.regions import districts

    known = dict(districts(regency_code)) if regency_code else {}
    if text in known:
        return text
    by_name = {name.lower(): code for code, name in known.items()}
    if text.lower() in by_name:
        return by_name[text.lower()]
    raise ValidationError(gettext("%(label)s: kecamatan '%(text)s' tidak ada di daerah ini.")
                          % {"label": field.label, "text": text}, code="district_unknown")


# --- How each kind is shown ------------------------------------------------------------------


def _date_shown(field: FormField, value: str, shown_in: ShownIn) -> str:
    from permits.documents.text import date_id

    try:
        return date_id(dt.date.fromisoformat(value))
    except ValueError:
        return value


def _district_shown(field: FormField, value: str, shown_in: ShownIn) -> str:
    names = shown_in.district_names
    return f"{names.get(value, '')} ({value})".strip() if shown_in.codes else names.get(value, value)


FIELD_KINDS: dict[str, FieldKind] = {
    Kind.TEXT: FieldKind(form_field=_plain, clean=_text),
    Kind.ADDRESS: FieldKind(form_field=_textarea, clean=_address),
    Kind.NUMBER: FieldKind(form_field=_numeric(), clean=_number),
    Kind.DATE: FieldKind(form_field=_date_input, clean=_date, show=_date_shown),
    Kind.CHOICE: FieldKind(form_field=_choice_select, clean=_choice, has_choices=True),
    Kind.NIK: FieldKind(form_field=_numeric(nik=True), clean=_nik),
    Kind.NIB: FieldKind(form_field=_numeric(), clean=_nib),
    Kind.DISTRICT: FieldKind(form_field=_district_select, clean=_district, show=_district_shown),
}


def holds_nib(field: FormField) -> bool:
    """The field takes a business identity number (NIB): OSS can fill the form from it."""
    return field.kind == Kind.NIB
