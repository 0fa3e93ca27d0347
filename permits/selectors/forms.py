"""An application's form answers as people read them: district names, Indonesian dates, the form's order."""
from __future__ import annotations

from permits.field_kinds import FIELD_KINDS, ShownIn
from permits.models import FormField
from permits.models.applications import Application
from permits.regency import regency_code


def form_answers(application: Application, *, codes: bool = False) -> list[tuple[str, str, str]]:
    """(key, label, shown value) of each answered field, in the form's order (the stored JSON has none);
    `codes` adds a district's code to its name (officers cross-check it)."""
    data = application.form_data or {}
    shown_in = ShownIn(regency_code=regency_code, codes=codes)
    answers = []
    for field in application.permit_type.form_fields.all():
        value = data.get(field.key)
        if value in (None, ""):
            continue
        kind = FIELD_KINDS.get(field.kind, FIELD_KINDS[FormField.Kind.TEXT])
        answers.append((field.key, field.label, kind.show(field, str(value), shown_in)))
    return answers
