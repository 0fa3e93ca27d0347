"""Writes to the permit catalog: permit types, requirements, form fields, permit numbers, letters."""
from __future__ import annotations

import datetime as dt
import re
import string
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from permits.errors import ConfigInvalid, FormDataInvalid, PermitTypeCodeTaken, PermitTypeInUse, PermitTypeInvalid
from permits.field_kinds import FIELD_KINDS
from permits.models import FormField, PermitNumberCounter, PermitType, Requirement
from permits.regency import regency_code, regency_today
from permits.services._common import Errors, apply_fields, full_clean_into, record_delete, record_save
from pintu.audit.services import audit_lock, audit_record
from pintu.replication import synchronous_commit_require

if TYPE_CHECKING:
    from django.db.models import Manager

    from pintu.identity.models import User

#: What an administrator puts in order on a permit type's page.
Ordered = TypeVar("Ordered", Requirement, FormField)

PERMIT_TYPE_FIELDS = {
    "code", "name", "description", "legal_basis", "is_active", "is_online", "sla_working_days", "validity_months",
    "validity_capped_by",
    "is_renewable", "levy_amount", "levy_regulation_number", "levy_regulation_year", "levy_regulation_article",
    "number_format", "number_counter_key", "is_fiktif_positif", "letter_title", "letter_body",
    "letter_signature_block", "adopted_from",
}
REQUIREMENT_FIELDS = {"order", "name", "help_text", "allowed_types", "max_size_kb", "is_mandatory", "applies_to",
                      "is_obtainable_from_agency", "accepts_photo_as_pdf"}
FORM_FIELD_FIELDS = {"order", "key", "label", "kind", "choices", "is_required", "help_text"}

# --- Permit numbers --------------------------------------------------------

NUMBER_PLACEHOLDERS = {"seq", "year", "month", "month_roman", "code", "sub"}
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def number_format_check(fmt: str) -> str:
    """Render a sample number from `fmt`, or raise ConfigInvalid saying what is wrong with it."""
    def bad(code: str, message: str) -> ConfigInvalid:
        return PermitTypeInvalid.one("number_format", code, message)

    fmt = (fmt or "").strip()
    if not fmt:
        raise bad("required", gettext("Format nomor izin wajib diisi."))
    names = set()
    try:
        for _, name, spec, conversion in string.Formatter().parse(fmt):
            if name is None:
                continue
            if name not in NUMBER_PLACEHOLDERS:
                raise bad("unknown_placeholder", gettext("Format nomor memuat {%(name)s} yang tidak dikenal. Yang boleh: %(join)s.")
                                                 % {"name": name, "join": ', '.join(('{' + n + '}' for n in sorted(NUMBER_PLACEHOLDERS)))})
            if conversion or (spec and name != "seq"):
                raise bad("bad_spec", gettext("Pengaturan tampilan hanya boleh pada {seq}, misalnya {seq:04d}."))
            names.add(name)
    except ValueError:
        raise bad("syntax", gettext("Format nomor izin tidak dapat dibaca: periksa pasangan kurung kurawal { }.")) from None
    if "seq" not in names:
        raise bad("seq_missing", gettext("Format nomor harus memuat nomor urut {seq}, misalnya {seq:04d}."))
    if "year" not in names:
        raise bad("year_missing", gettext("Format nomor harus memuat tahun {year}, karena nomor urut dimulai ulang setiap tahun."))
    try:
        return number_render(fmt, seq=112, on=dt.date(2026, 3, 5), code="KODE", sub="UNIT")
    except (ValueError, TypeError):
        raise bad("bad_spec", gettext("Pengaturan tampilan {seq} tidak valid; contoh yang benar: {seq:04d}.")) from None


def number_shape(fmt: str, *, code: str) -> str:
    """What a format can print, with {code} filled in: two types of the same shape print the same numbers.

    The display of {seq} is ignored ({seq} and {seq:04d} meet at 1000); other placeholders stay as slots.
    """
    parts = []
    for literal, name, _, _ in string.Formatter().parse(fmt):
        parts.append(literal)
        if name == "code":
            parts.append(code.upper())
        elif name is not None:
            parts.append(f"\0{name}\0")
    return "".join(parts)


def _number_format_collision(permit_type: PermitType, errors: Errors) -> None:
    """Permit numbers are unique in a regency: refuse a format that would print another type's numbers."""
    if permit_type.number_counter_key and "{sub}" not in permit_type.number_format:
        errors.add("number_format", "sub_missing",
                   gettext("Jenis izin ini memakai sub-penghitung: format nomor harus memuat {sub}, agar nomor dari "
                           "sub-penghitung yang berbeda tidak sama."))
        return
    shape = number_shape(permit_type.number_format, code=permit_type.code or "")
    others = PermitType.objects.exclude(pk=permit_type.pk).values_list("code", "name", "number_format")
    for code, name, fmt in others:
        if number_shape(fmt, code=code) == shape:
            errors.add("number_format", "number_format_taken",
                       gettext("Format nomor ini menghasilkan nomor yang sama dengan jenis izin %(name)s (%(code)s). "
                               "Sertakan {code} atau bagian tetap yang berbeda, misalnya 503/{seq:04d}/{code}/DPMPTSP/{year}.")
                       % {"name": name, "code": code})
            return


def number_render(fmt: str, *, seq: int, on: dt.date, code: str, sub: str = "") -> str:
    return fmt.format(seq=seq, year=on.year, month=f"{on.month:02d}", month_roman=_ROMAN[on.month - 1],
                      code=code, sub=sub)


@transaction.atomic
def permit_number_issue(*, permit_type: PermitType, on: dt.date | None = None, sub_key: str = "") -> str:
    """The next permit number: yearly sequence (per sub-counter), no gaps and no duplicates under concurrency."""
    on = on or regency_today()
    synchronous_commit_require()  # a permit number on a signed letter must survive the primary
    audit_lock()  # the lock order: the chain's lock before the shared counter (a decision holds it already)
    counter, _ = PermitNumberCounter.objects.get_or_create(permit_type=permit_type, year=on.year, sub_key=sub_key)
    counter = PermitNumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return number_render(permit_type.number_format, seq=counter.last, on=on, code=permit_type.code.upper(),
                         sub=sub_key)


# --- Letter template -------------------------------------------------------

LETTER_PLACEHOLDERS = {"applicant_name", "applicant_nik", "permit_number", "permit_type", "regency_name",
                       "office_name", "issued_on", "valid_until", "signer_name", "signer_position", "authority",
                       "recommendations"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def letter_placeholders_check(text: str, field: str, errors: Errors) -> set[str]:
    """Unknown placeholders are errors; returns the form keys the text uses ({form.<key>})."""
    form_keys = set()
    for name in _PLACEHOLDER.findall(text or ""):
        name = name.strip()
        if name.startswith("form.") and re.fullmatch(r"[a-z0-9_-]+", name[5:] or "-"):
            form_keys.add(name[5:])
        elif name not in LETTER_PLACEHOLDERS:
            errors.add(field, "unknown_placeholder",
                       gettext("Isian %(name)s tidak dikenal. Yang boleh: %(allowed)s dan {form.<kunci isian>}.") % {
                           "name": "{" + name + "}",
                           "allowed": ", ".join(sorted("{" + p + "}" for p in LETTER_PLACEHOLDERS))})
    return form_keys


def letter_render(text: str, *, values: dict[str, str], form: dict[str, object]) -> str:
    """Fill a letter text: {applicant_name}, {form.<key>}, ...; an unknown one stays visible as it is."""
    def fill(match: re.Match) -> str:
        name = match.group(1).strip()
        if name.startswith("form."):
            return str(form.get(name[5:], match.group(0)))
        return str(values.get(name, match.group(0)))

    return _PLACEHOLDER.sub(fill, text or "")


# --- Permit types ----------------------------------------------------------


def _permit_type_check(permit_type: PermitType) -> None:
    errors = Errors()
    full_clean_into(permit_type, errors)
    if "number_format" not in errors.fields:
        try:
            number_format_check(permit_type.number_format)
        except ConfigInvalid as exc:
            errors.merge(exc.detail["fields"])
        else:
            _number_format_collision(permit_type, errors)
    if permit_type.number_counter_key and not re.fullmatch(r"[a-z0-9_-]+", permit_type.number_counter_key):
        errors.add("number_counter_key", "invalid", gettext("Kunci sub-penghitung hanya boleh huruf kecil, angka, - dan _."))
    try:
        levy = Decimal(permit_type.levy_amount)
    except (InvalidOperation, TypeError):
        levy = None
    if levy is not None and levy < 0:
        errors.add("levy_amount", "negative", gettext("Retribusi tidak boleh negatif."))
    if levy and levy > 0:
        if not permit_type.levy_regulation_number.strip():
            errors.add("levy_regulation_number", "levy_regulation_required",
                       gettext("Retribusi hanya boleh dipungut berdasarkan peraturan daerah: isi nomor perdanya."))
        if not permit_type.levy_regulation_year:
            errors.add("levy_regulation_year", "levy_regulation_required", gettext("Isi tahun peraturan daerah retribusi."))
    if permit_type.is_renewable and not permit_type.validity_months:
        errors.add("validity_months", "validity_required", gettext("Izin yang dapat diperpanjang harus punya masa berlaku."))
    if permit_type.validity_capped_by:
        _validity_cap_check(permit_type, errors)
    for field in ("letter_title", "letter_body", "letter_signature_block"):
        letter_placeholders_check(getattr(permit_type, field), field, errors)
    errors.raise_if_any(PermitTypeInvalid)


def _validity_cap_check(permit_type: PermitType, errors: Errors) -> None:
    """The field that caps validity must be a date field of this permit type's own form."""
    from permits.models.catalog import FormField

    key = permit_type.validity_capped_by
    if permit_type.pk is None or not FormField.objects.filter(permit_type=permit_type, key=key,
                                                              kind=FormField.Kind.DATE).exists():
        errors.add("validity_capped_by", "not_a_date_field",
                   gettext("'%(key)s' bukan isian bertipe tanggal pada formulir izin ini: tambahkan isiannya dahulu.")
                   % {"key": key})


def _code_normalise(values: dict) -> dict:
    if "code" in values and isinstance(values["code"], str):
        values["code"] = values["code"].strip().lower()
    return values


@transaction.atomic
def permit_type_create(*, actor: User | None = None, **values: Any) -> PermitType:
    """Add a permit type to the regency's catalog; the number format is checked by rendering a sample."""
    values = _code_normalise(dict(values))
    if PermitType.objects.filter(code=values.get("code")).exists():
        raise PermitTypeCodeTaken.one("code", "code_taken", gettext("Kode jenis izin '%(get)s' sudah dipakai.")
                                                            % {"get": values.get('code')})
    return record_save(PermitType(), values, PERMIT_TYPE_FIELDS, actor=actor, action="permit_type.create",
                       check=_permit_type_check, detail=lambda pt: {"code": pt.code, "name": pt.name})


@transaction.atomic
def permit_type_update(*, permit_type: PermitType, actor: User | None = None, **values: Any) -> PermitType:
    values = _code_normalise(dict(values))
    if "code" in values and PermitType.objects.filter(code=values["code"]).exclude(pk=permit_type.pk).exists():
        raise PermitTypeCodeTaken.one("code", "code_taken", gettext("Kode jenis izin '%(code)s' sudah dipakai.") % {"code": values['code']})
    before = {name: getattr(permit_type, name) for name in values}
    apply_fields(permit_type, values, PERMIT_TYPE_FIELDS)
    _permit_type_check(permit_type)
    permit_type.save()
    changed = {k: [before[k], v] for k, v in values.items() if before[k] != v}
    if changed:
        audit_record(actor=actor, action="permit_type.update", target=permit_type, detail={"changed": changed})
    return permit_type


@transaction.atomic
def permit_type_delete(*, permit_type: PermitType, actor: User | None = None) -> None:
    """Remove a permit type with its requirements, form and SOPs (before any application uses it).

    Once an application exists the type stays (its files and decisions point to it): stop offering it instead.
    """
    count = permit_type.applications.count()
    if count:
        raise PermitTypeInUse(gettext("%(name)s sudah dipakai oleh %(count)s permohonan sehingga tidak dapat dihapus. Nonaktifkan "
                                      "saja (hapus centang 'ditawarkan') agar tidak dapat diajukan lagi.")
                              % {"name": permit_type.name, "count": count})
    record_delete(permit_type, actor=actor, action="permit_type.delete", detail={"code": permit_type.code})


# --- Requirements ----------------------------------------------------------


def _taken_instead_of_unique(errors: Errors, *, taken: bool, field: str, message: str) -> None:
    """Say plainly which value is taken (Django's Indonesian 'unique' message reads 'tidak ada', i.e. wrong)."""
    for name in list(errors.fields):
        errors.fields[name] = [e for e in errors.fields[name] if e["code"] not in ("unique", "unique_together")]
        if not errors.fields[name]:
            del errors.fields[name]
    if taken:
        errors.add(field, f"{field}_taken", message)


def _requirement_check(requirement: Requirement) -> None:
    errors = Errors()
    types = requirement.allowed_types
    if not isinstance(types, list) or not types:
        errors.add("allowed_types", "required", gettext("Pilih minimal satu jenis berkas (PDF, JPG atau PNG)."))
    else:
        normalised = {str(t).strip().lower().lstrip(".").replace("jpeg", "jpg") for t in types}
        order = {"pdf": 0, "jpg": 1, "png": 2}
        requirement.allowed_types = sorted(normalised, key=lambda t: (order.get(t, 9), t))
        bad = [t for t in requirement.allowed_types if t not in Requirement.FileType.values]
        if bad:
            errors.add("allowed_types", "invalid_choice",
                       gettext("Jenis berkas %(kinds)s tidak diizinkan; hanya PDF, JPG atau PNG.") % {
                           "kinds": ", ".join(bad)})
    full_clean_into(requirement, errors, exclude=["allowed_types"] if "allowed_types" in errors.fields else None)
    taken = Requirement.objects.filter(permit_type_id=requirement.permit_type_id, name=requirement.name) \
        .exclude(pk=requirement.pk).exists()
    _taken_instead_of_unique(errors, taken=taken, field="name",
                             message=gettext("Persyaratan '%(name)s' sudah ada pada jenis izin ini.") % {"name": requirement.name})
    errors.raise_if_any()


def _next_order(items: Manager[Requirement] | Manager[FormField]) -> int:
    return (items.order_by("-order").values_list("order", flat=True).first() or 0) + 1


@transaction.atomic
def requirement_create(*, permit_type: PermitType, actor: User | None = None, **values: Any) -> Requirement:
    values.setdefault("order", _next_order(permit_type.requirements))
    return record_save(Requirement(permit_type=permit_type), values, REQUIREMENT_FIELDS, actor=actor,
                       action="requirement.create", check=_requirement_check,
                       detail=lambda r: {"permit_type": permit_type.code, "name": r.name})


@transaction.atomic
def requirement_update(*, requirement: Requirement, actor: User | None = None, **values: Any) -> Requirement:
    return record_save(requirement, values, REQUIREMENT_FIELDS, actor=actor, action="requirement.update",
                       check=_requirement_check, detail=lambda r: {"changed": sorted(values)})


@transaction.atomic
def requirement_delete(*, requirement: Requirement, actor: User | None = None) -> None:
    record_delete(requirement, actor=actor, action="requirement.delete", detail={"name": requirement.name})


def _reorder(item: Ordered, direction: str, *, actor: User | None, action: str) -> Ordered:
    """Move `item` one place up or down in its permit type's list (the ends stay put); orders renumbered 1..n."""
    model = type(item)
    items = list(model.objects.select_for_update().filter(permit_type_id=item.permit_type_id).order_by("order", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction in ("up", "down") and 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    changed = []
    for order, other in enumerate(items, start=1):
        if other.order != order:
            other.order = order
            changed.append(other)
    model.objects.bulk_update(changed, ["order"])
    audit_record(actor=actor, action=action, target=item, detail={"direction": direction})
    return next(other for other in items if other.pk == item.pk)


@transaction.atomic
def requirement_move(*, requirement: Requirement, direction: str, actor: User | None = None) -> Requirement:
    """Move a requirement one place up or down in the list applicants see (the ends stay put)."""
    return _reorder(requirement, direction, actor=actor, action="requirement.move")


# --- Form fields -----------------------------------------------------------


def _form_field_check(field: FormField) -> None:
    errors = Errors()
    if isinstance(field.key, str):
        field.key = field.key.strip().lower()
    full_clean_into(field, errors)
    taken = FormField.objects.filter(permit_type_id=field.permit_type_id, key=field.key).exclude(pk=field.pk).exists()
    _taken_instead_of_unique(errors, taken=taken, field="key",
                             message=gettext("Kunci '%(key)s' sudah dipakai isian lain pada formulir ini.") % {"key": field.key})
    choices = field.choices
    kind = FIELD_KINDS.get(field.kind)
    if kind is not None and kind.has_choices:
        if not isinstance(choices, list) or not choices or not all(isinstance(c, str) and c.strip() for c in choices):
            errors.add("choices", "choices_required", gettext("Isian pilihan harus punya daftar pilihan (minimal satu)."))
        elif len(set(choices)) != len(choices):
            errors.add("choices", "choices_duplicate", gettext("Daftar pilihan memuat pilihan yang sama lebih dari sekali."))
    elif choices:
        errors.add("choices", "choices_not_allowed", gettext("Daftar pilihan hanya untuk isian berjenis pilihan."))
    errors.raise_if_any()


@transaction.atomic
def form_field_create(*, permit_type: PermitType, actor: User | None = None, **values: Any) -> FormField:
    values.setdefault("order", _next_order(permit_type.form_fields))
    return record_save(FormField(permit_type=permit_type), values, FORM_FIELD_FIELDS, actor=actor,
                       action="form_field.create", check=_form_field_check,
                       detail=lambda f: {"permit_type": permit_type.code, "key": f.key})


@transaction.atomic
def form_field_update(*, field: FormField, actor: User | None = None, **values: Any) -> FormField:
    return record_save(field, values, FORM_FIELD_FIELDS, actor=actor, action="form_field.update",
                       check=_form_field_check, detail=lambda f: {"changed": sorted(values)})


@transaction.atomic
def form_field_delete(*, field: FormField, actor: User | None = None) -> None:
    record_delete(field, actor=actor, action="form_field.delete", detail={"key": field.key})


@transaction.atomic
def form_field_move(*, field: FormField, direction: str, actor: User | None = None) -> FormField:
    """Move a form field one place up or down on the applicant's form (the ends stay put)."""
    return _reorder(field, direction, actor=actor, action="form_field.move")


# --- Applicant's form data ---------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def form_value_clean(field: FormField, value: object, *, regency_code: str) -> str | None:
    """One answer checked by the field's kind (permits.field_kinds); raises ValidationError in Indonesian."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if field.is_required:
            raise ValidationError(gettext("%(label)s wajib diisi.") % {"label": field.label}, code="required")
        return None
    text = str(value).strip()
    if _CONTROL.search(text):  # PostgreSQL's JSON cannot hold NUL; no answer needs a control character
        raise ValidationError(gettext("%(label)s memuat karakter kendali yang tidak diizinkan.")
                              % {"label": field.label}, code="control_character")
    kind = FIELD_KINDS.get(field.kind)
    if kind is None:
        raise ValidationError(gettext("Jenis isian '%(kind)s' tidak dikenal.") % {"kind": field.kind}, code="kind_unknown")
    return kind.clean(field, text, regency_code)


def form_data_clean(*, permit_type: PermitType, data: dict) -> dict:
    """The applicant's answers checked field by field; FormDataInvalid names every bad field at once."""
    errors = Errors()
    fields = list(permit_type.form_fields.all())
    known = {f.key for f in fields}
    for key in sorted(set(data or {}) - known):
        errors.add(key, "unknown_field", gettext("Isian '%(key)s' tidak ada pada formulir %(type)s.") % {
            "key": key, "type": permit_type.name})
    code = regency_code()
    cleaned = {}
    for field in fields:
        try:
            cleaned[field.key] = form_value_clean(field, (data or {}).get(field.key), regency_code=code)
        except ValidationError as exc:
            errors.add(field.key, exc.code or "invalid", exc.messages[0])
    errors.raise_if_any(FormDataInvalid)
    return cleaned

