"""Catalog validation: permit types, number formats, levies, requirements, form fields and their validators."""
import datetime as dt
from decimal import Decimal

import pytest

from permits.errors import ConfigInvalid, FormDataInvalid, PermitTypeCodeTaken, PermitTypeInvalid
from permits.services.catalog import (
    form_data_clean,
    form_field_create,
    letter_render,
    number_format_check,
    permit_number_issue,
    permit_type_create,
    permit_type_update,
    requirement_create,
)


def _codes(exc, field):
    return [e["code"] for e in exc.value.detail["fields"][field]]


def test_a_valid_permit_type_is_stored_and_audited(in_trenggalek):
    from pintu.audit.models import AuditEntry

    pt = permit_type_create(code="SIPB", name="Surat Izin Praktik Bidan", sla_working_days=5,
                            number_format="503/{seq:04d}/SIPD/DPM-PTSP/{year}")
    assert pt.code == "sipb" and pt.is_free and pt.is_online
    assert AuditEntry.objects.filter(action="permit_type.create", target_id=str(pt.pk)).exists()


@pytest.mark.parametrize("fmt, code", [
    ("503/SIPD/{year}", "seq_missing"),
    ("503/{seq:04d}/SIPD", "year_missing"),
    ("503/{seq:04d}/{regency}/{year}", "unknown_placeholder"),
    ("503/{seq.__class__}/{year}", "unknown_placeholder"),
    ("503/{seq:04d/{year}", "syntax"),
    ("503/{seq:zz}/{year}", "bad_spec"),
])
def test_a_bad_number_format_is_refused_with_its_reason(in_trenggalek, fmt, code):
    with pytest.raises(PermitTypeInvalid) as exc:
        permit_type_create(code="x", name="X", sla_working_days=5, number_format=fmt)
    assert _codes(exc, "number_format") == [code]
    assert exc.value.message  # Indonesian message for the administrator


def test_number_format_renders_a_sample():
    assert number_format_check("503/{seq:04d}/SIPD/DPM-PTSP/{year}") == "503/0112/SIPD/DPM-PTSP/2026"


def test_permit_numbers_follow_a_yearly_sequence_with_sub_counters(permit_type):
    assert permit_number_issue(permit_type=permit_type, on=dt.date(2026, 12, 30)) == "503/0001/SIPB/DPM-PTSP/2026"
    assert permit_number_issue(permit_type=permit_type, on=dt.date(2026, 12, 31)) == "503/0002/SIPB/DPM-PTSP/2026"
    assert permit_number_issue(permit_type=permit_type, on=dt.date(2027, 1, 2)) == "503/0001/SIPB/DPM-PTSP/2027"
    assert permit_number_issue(permit_type=permit_type, on=dt.date(2027, 1, 2), sub_key="A") == \
        "503/0001/SIPB/DPM-PTSP/2027"
    assert permit_number_issue(permit_type=permit_type, on=dt.date(2027, 1, 3)) == "503/0002/SIPB/DPM-PTSP/2027"


def test_a_levy_needs_its_regulation(in_trenggalek):
    with pytest.raises(PermitTypeInvalid) as exc:
        permit_type_create(code="pbg", name="PBG", sla_working_days=28, levy_amount=Decimal("500000"))
    assert _codes(exc, "levy_regulation_number") == ["levy_regulation_required"]
    pt = permit_type_create(code="pbg", name="PBG", sla_working_days=28, levy_amount=Decimal("500000"),
                            levy_regulation_number="1", levy_regulation_year=2024, levy_regulation_article="Pasal 80")
    assert not pt.is_free


def test_duplicate_code_renewable_without_validity_and_unknown_letter_placeholder(permit_type):
    with pytest.raises(PermitTypeCodeTaken):
        permit_type_create(code="sipb", name="Lagi", sla_working_days=5)
    with pytest.raises(PermitTypeInvalid) as exc:
        permit_type_update(permit_type=permit_type, validity_months=None, letter_body="Kepada {nama_pemohon}")
    assert _codes(exc, "validity_months") == ["validity_required"]
    assert _codes(exc, "letter_body") == ["unknown_placeholder"]
    permit_type.refresh_from_db()
    assert permit_type.validity_months == 60  # nothing partial stored


def test_letter_placeholders_are_filled():
    text = letter_render("Kepada {applicant_name}, praktik di {form.place}.", values={"applicant_name": "Sari"},
                         form={"place": "Jl. Mawar 1"})
    assert text == "Kepada Sari, praktik di Jl. Mawar 1."


def test_requirement_file_types_and_size(permit_type):
    req = requirement_create(permit_type=permit_type, name="KTP", allowed_types=["PNG", "pdf", "jpeg"],
                             max_size_kb=1536, applies_to="both", is_obtainable_from_agency=True)
    assert req.allowed_types == ["pdf", "jpg", "png"] and req.order == 1
    with pytest.raises(ConfigInvalid) as exc:
        requirement_create(permit_type=permit_type, name="Foto", allowed_types=["docx"], max_size_kb=99999)
    assert _codes(exc, "allowed_types") == ["invalid_choice"]
    assert "max_size_kb" in exc.value.detail["fields"]
    with pytest.raises(ConfigInvalid) as exc:
        requirement_create(permit_type=permit_type, name="STR", allowed_types=[])
    assert _codes(exc, "allowed_types") == ["required"]


def test_form_field_choice_needs_choices(permit_type):
    with pytest.raises(ConfigInvalid) as exc:
        form_field_create(permit_type=permit_type, key="jenis", label="Jenis", kind="choice", choices=[])
    assert _codes(exc, "choices") == ["choices_required"]
    with pytest.raises(ConfigInvalid) as exc:
        form_field_create(permit_type=permit_type, key="Bad Key!", label="X", kind="text")
    assert "key" in exc.value.detail["fields"]


def test_form_answers_are_validated_per_kind(permit_type):
    for key, kind, extra in [("nik", "nik", {}), ("nib", "nib", {}), ("kec", "district", {}),
                             ("alamat", "address", {}), ("luas", "number", {}), ("mulai", "date", {}),
                             ("jenis", "choice", {"choices": ["Mandiri", "Klinik"]})]:
        form_field_create(permit_type=permit_type, key=key, label=key.title(), kind=kind, **extra)
    good = {"nik": "3503014101900001", "nib": "1234567890123", "kec": "350301", "alamat": "Jl. Mawar 1 RT 2 RW 3",
            "luas": "12,5", "mulai": "2026-05-01", "jenis": "Klinik"}
    cleaned = form_data_clean(permit_type=permit_type, data=good)
    assert cleaned["kec"] == "350301" and cleaned["luas"] == "12.5"
    bad = {"nik": "123", "nib": "12345", "kec": "357201", "alamat": "Jl", "luas": "banyak", "mulai": "1/5/2026",
           "jenis": "Rumah", "lain": "x"}
    with pytest.raises(FormDataInvalid) as exc:
        form_data_clean(permit_type=permit_type, data=bad)
    fields = {k: v[0]["code"] for k, v in exc.value.detail["fields"].items()}
    assert fields == {"nik": "nik_format", "nib": "nib_format", "kec": "district_unknown",
                      "alamat": "address_incomplete", "luas": "number", "mulai": "date", "jenis": "invalid_choice",
                      "lain": "unknown_field"}


def test_district_is_one_of_the_regencys_own(permit_type):
    form_field_create(permit_type=permit_type, key="kec", label="Kecamatan", kind="district")
    # 357201 is a district of Kota Blitar, not of Trenggalek.
    with pytest.raises(FormDataInvalid):
        form_data_clean(permit_type=permit_type, data={"kec": "357201"})
    from tenants.regions import districts

    name = districts("3503")[0][1]
    assert form_data_clean(permit_type=permit_type, data={"kec": name.upper()})["kec"] == districts("3503")[0][0]


def test_a_number_format_that_would_print_another_types_numbers_is_refused(in_trenggalek):
    permit_type_create(code="sipa", name="SIP A", sla_working_days=5, number_format="503/{seq:04d}/DPMPTSP/{year}")
    with pytest.raises(PermitTypeInvalid) as exc:  # same shape: 503/0001/DPMPTSP/2026 twice, a 500 at issuance
        permit_type_create(code="sipb", name="SIP B", sla_working_days=5, number_format="503/{seq}/DPMPTSP/{year}")
    assert _codes(exc, "number_format") == ["number_format_taken"]
    assert "SIP A (sipa)" in exc.value.message and "{code}" in exc.value.message
    with pytest.raises(PermitTypeInvalid) as exc:  # {code} of one type spelled out literally in another
        permit_type_create(code="sipc", name="SIP C", sla_working_days=5, number_format="503/{seq:04d}/{code}/{year}")
        permit_type_create(code="sipd", name="SIP D", sla_working_days=5, number_format="503/{seq:04d}/SIPC/{year}")
    assert _codes(exc, "number_format") == ["number_format_taken"]
    # With {code} each type's numbers are its own; an update keeps its own format without colliding with itself.
    other = permit_type_create(code="sipe", name="SIP E", sla_working_days=5,
                               number_format="503/{seq:04d}/{code}/{year}")
    assert permit_type_update(permit_type=other, name="SIP E baru").name == "SIP E baru"


def test_a_sub_counter_needs_sub_in_the_number_format(in_trenggalek):
    with pytest.raises(PermitTypeInvalid) as exc:
        permit_type_create(code="reklame", name="Reklame", sla_working_days=5, number_counter_key="jenis",
                           number_format="503/{seq:04d}/{code}/{year}")
    assert _codes(exc, "number_format") == ["sub_missing"]
    pt = permit_type_create(code="reklame", name="Reklame", sla_working_days=5, number_counter_key="jenis",
                            number_format="503/{seq:04d}/{code}/{sub}/{year}")
    assert permit_number_issue(permit_type=pt, on=dt.date(2026, 5, 4), sub_key="a") != \
        permit_number_issue(permit_type=pt, on=dt.date(2026, 5, 4), sub_key="b")
