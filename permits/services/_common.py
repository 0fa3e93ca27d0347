"""Helpers the services share: model validation as field-level codes, and the save/delete-with-audit shape."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils.translation import gettext

from permits.errors import ConfigInvalid
from pintu.audit.services import audit_record

if TYPE_CHECKING:
    from pintu.identity.models import User

#: The configuration record a shared helper saves (a permit type, requirement, position, ...).
M = TypeVar("M", bound=Model)


def fields_of(exc: ValidationError) -> dict[str, list[dict]]:
    fields: dict[str, list[dict]] = {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            key = "non_field_errors" if name == NON_FIELD_ERRORS else name
            for error in errors:
                for message in error.messages:
                    fields.setdefault(key, []).append({"code": error.code or "invalid", "message": message})
    else:
        for error in exc.error_list:
            for message in error.messages:
                fields.setdefault("non_field_errors", []).append({"code": error.code or "invalid", "message": message})
    return fields


class Errors:
    """Collects field errors and raises them together."""

    def __init__(self) -> None:
        self.fields: dict[str, list[dict]] = {}

    def add(self, field: str, code: str, message: str) -> None:
        self.fields.setdefault(field, []).append({"code": code, "message": message})

    def merge(self, fields: dict[str, list[dict]], prefix: str = "") -> None:
        for name, errors in fields.items():
            self.fields.setdefault(prefix + name, []).extend(errors)

    def raise_if_any(self, cls: type[ConfigInvalid] = ConfigInvalid) -> None:
        if self.fields:
            raise cls(fields=self.fields)


def full_clean_into(instance: Model, errors: Errors, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors.merge(fields_of(exc))


def apply_fields(instance: Model, values: dict, allowed: set[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise ConfigInvalid.one(sorted(unknown)[0], "unknown_field", gettext("Isian '%(value)s' tidak dikenal.")
                                                                     % {"value": sorted(unknown)[0]})
    for name, value in values.items():
        setattr(instance, name, value)


def model_check(instance: Model) -> None:
    """The default check of a record: the model's own validation, as field errors."""
    errors = Errors()
    full_clean_into(instance, errors)
    errors.raise_if_any()


def record_save(instance: M, values: dict, allowed: set[str], *, actor: User | None, action: str,
                detail: Callable[[M], dict], check: Callable[[M], None] = model_check,
                then: Callable[[M], None] | None = None) -> M:
    """The shape of every configuration write: set the allowed values, check, save, (then), audit."""
    apply_fields(instance, values, allowed)
    check(instance)
    instance.save()
    if then is not None:
        then(instance)
    audit_record(actor=actor, action=action, target=instance, detail=detail(instance))
    return instance


def record_delete(instance: Model, *, actor: User | None, action: str, detail: dict) -> None:
    """Audit, then delete (the entry keeps what was removed)."""
    audit_record(actor=actor, action=action, target=instance, detail=detail)
    instance.delete()
