"""Each rule once: working days, codes read aloud, editable files, refusals on forms, field kinds, day names."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError

from permits.documents.text import month_name, weekday_name
from permits.errors import ConfigInvalid
from permits.field_kinds import FIELD_KINDS, ShownIn
from permits.models import Application, FormField
from permits.selectors.calendar import days_off_between, working_days_between, working_days_counted
from permits.selectors.complaints import complaint_stats
from permits.selectors.stats import decision_working_days
from permits.services.catalog import form_value_clean
from pintu.errors import DomainError, errors_onto
from pintu.follow_code import ALPHABET, code_random, follow_code_new

D = dt.date


# --- Working days ----------------------------------------------------------------------------


def test_the_one_loop_counts_what_working_days_between_counts(in_trenggalek, national_2026):
    start, end = D(2026, 3, 13), D(2026, 4, 10)  # across Nyepi, Idul Fitri and the joint leave
    off = days_off_between(start, end)
    for b in (start, D(2026, 3, 17), D(2026, 3, 25), end):
        assert working_days_counted(off, start, b) == working_days_between(start, b)
    assert working_days_counted(days_off_between(D(2026, 3, 18), D(2026, 3, 31)), D(2026, 3, 17), D(2026, 3, 31)) == 5
    assert working_days_counted({}, D(2026, 3, 16), D(2026, 3, 23)) == 5  # a week without days off


def test_decision_times_and_complaint_answers_count_with_the_same_loop(in_trenggalek, national_2026):
    from zoneinfo import ZoneInfo

    wib = ZoneInfo("Asia/Jakarta")
    filed, decided = dt.datetime(2026, 3, 17, 9, tzinfo=wib), dt.datetime(2026, 3, 31, 9, tzinfo=wib)
    assert decision_working_days([(filed, decided, 0)]) == [working_days_between(D(2026, 3, 17), D(2026, 3, 31))]
    assert decision_working_days([(filed, decided, 2)]) == [3]
    assert complaint_stats().median_working_days_to_answer is None  # nothing answered: no figure, no error


# --- Codes read aloud ------------------------------------------------------------------------


def test_every_code_people_copy_comes_from_one_alphabet_without_look_alikes():
    assert not set("01OIL") & set(ALPHABET)
    assert re.fullmatch(rf"[{ALPHABET}]{{8}}", code_random(8))
    assert len({code_random(8) for _ in range(200)}) == 200
    assert re.fullmatch(rf"ADU(-[{ALPHABET}]{{4}}){{3}}", follow_code_new(prefix="ADU"))


def test_a_new_application_gets_a_tracking_code_from_that_alphabet(in_trenggalek):
    from permits.services.applications import application_draft_create
    from permits.services.catalog import permit_type_create
    from tests.factories import UserFactory

    permit_type = permit_type_create(code="uji-kode", name="Izin Uji Kode", sla_working_days=3, is_active=True,
                                     is_online=True)
    application = application_draft_create(permit_type=permit_type, applicant=UserFactory())
    assert re.fullmatch(rf"[{ALPHABET}]{{8}}", application.tracking_code)


# --- Editable ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(Application.Status.values))
def test_draft_or_returned_and_nothing_else_is_editable(status):
    assert Application(status=status).is_editable is (status in ("draft", "returned"))


# --- Refusals onto forms -----------------------------------------------------------------------


class _Form(forms.Form):
    name = forms.CharField(required=False)
    file = forms.FileField(required=False)


def _form():
    form = _Form(data={})
    form.is_valid()
    return form


def test_a_refusal_naming_fields_lands_on_them_and_others_above_the_form():
    form = _form()
    errors_onto(form, ConfigInvalid(fields={"name": [{"code": "x", "message": "Nama salah."}],
                                            "steps[2].name": [{"code": "y", "message": "Langkah salah."}],
                                            "elsewhere": [{"code": "z", "message": "Lain."}]}))
    assert form.errors["name"] == ["Nama salah.", "Langkah salah."]
    assert form.non_field_errors() == ["Lain."]


def test_a_refusal_in_every_shape_the_services_raise_lands_on_its_field():
    form = _form()
    errors_onto(form, DomainError("Alasan wajib diisi.", field="name"))  # console style
    errors_onto(form, DomainError("Terlalu besar.", fields={"file": "Berkas terlalu besar."}))  # pungli style
    errors_onto(form, ValidationError({"name": ["Sudah dipakai."], "__all__": ["Umum."]}))  # Django's own
    assert form.errors["name"] == ["Alasan wajib diisi.", "Sudah dipakai."]
    assert form.errors["file"] == ["Berkas terlalu besar."]
    assert form.non_field_errors() == ["Umum."]


def test_a_refusal_naming_no_field_goes_above_the_form_unless_the_page_shows_it_already():
    form = _form()
    errors_onto(form, DomainError("Layanan sedang tidak tersedia."))
    assert form.non_field_errors() == ["Layanan sedang tidak tersedia."]
    quiet = _form()
    errors_onto(quiet, DomainError("Sudah ditampilkan."), general=False)
    assert not quiet.errors
    upload = _form()
    errors_onto(upload, DomainError("Jenis berkas ditolak."), general_field="file")
    assert upload.errors["file"] == ["Jenis berkas ditolak."]
    renamed = _form()
    errors_onto(renamed, ConfigInvalid(fields={"label": [{"code": "x", "message": "Label."}]}), rename={"label": "name"})
    assert renamed.errors["name"] == ["Label."]


# --- Field kinds -------------------------------------------------------------------------------


def _field(kind, **values):
    return FormField(key="isian", label="Isian", kind=kind, is_required=True, **values)


def test_every_kind_of_field_has_one_entry_that_draws_checks_and_shows_it():
    assert set(FIELD_KINDS) == set(FormField.Kind.values)
    assert [k for k, v in FIELD_KINDS.items() if v.has_choices] == [FormField.Kind.CHOICE]
    nik = FIELD_KINDS[FormField.Kind.NIK].form_field(_field("nik"), {"label": "NIK", "required": False}, "3503")
    assert nik.widget.attrs["pattern"] == "[0-9]{16}"
    choice = FIELD_KINDS[FormField.Kind.CHOICE].form_field(_field("choice", choices=["A", "B"]), {}, "3503")
    assert [value for value, _ in choice.choices] == ["", "A", "B"]
    address = FIELD_KINDS[FormField.Kind.ADDRESS].form_field(_field("address"), {}, "3503")
    assert isinstance(address.widget, forms.Textarea)


def test_the_service_checks_each_answer_with_its_kinds_entry():
    assert form_value_clean(_field("number"), "1,5", regency_code="3503") == "1.5"
    assert form_value_clean(_field("date"), "2026-03-17", regency_code="3503") == "2026-03-17"
    with pytest.raises(ValidationError) as refused:
        form_value_clean(_field("date"), "2026-02-30", regency_code="3503")
    assert refused.value.code == "date"
    with pytest.raises(ValidationError) as refused:
        form_value_clean(_field("choice", choices=["A"]), "B", regency_code="3503")
    assert refused.value.code == "invalid_choice"
    with pytest.raises(ValidationError) as refused:
        form_value_clean(_field("hologram"), "x", regency_code="3503")
    assert refused.value.code == "kind_unknown"


def test_answers_are_shown_by_their_kind():
    shown_in = ShownIn(regency_code=lambda: "3503", codes=True)
    date = FIELD_KINDS[FormField.Kind.DATE].show(_field("date"), "2026-03-17", shown_in)
    assert date == "17 Maret 2026"
    district_code, district_name = next(iter(shown_in.district_names.items()))
    shown = FIELD_KINDS[FormField.Kind.DISTRICT].show(_field("district"), district_code, shown_in)
    assert shown == f"{district_name} ({district_code})"
    assert FIELD_KINDS[FormField.Kind.TEXT].show(_field("text"), "Jl. Mawar 1", shown_in) == "Jl. Mawar 1"


# --- Day and month names -----------------------------------------------------------------------


def test_day_and_month_names_are_djangos_indonesian_ones():
    week = [weekday_name(D(2026, 3, 16) + dt.timedelta(days=i)) for i in range(7)]
    assert week == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    assert [month_name(m) for m in (1, 8, 12)] == ["Januari", "Agustus", "Desember"]


def test_the_reminder_words_a_day_with_them():
    from permits.services.reminders import day_id

    assert day_id(D(2026, 8, 17)) == "Senin, 17 Agustus 2026"
