"""An application's form answers as people read them: district names, Indonesian dates, the form's order."""
from __future__ import annotations

import datetime as dt

from permits.documents.text import date_id
from permits.models.applications import Application
from permits.regency import regency_code
from tenants.regions import districts


def form_answers(application: Application, *, codes: bool = False) -> list[tuple[str, str, str]]:
    """(key, label, shown value) of each answered field, in the form's order (the stored JSON has none);
    `codes` adds a district's code to its name (officers cross-check it)."""
    data = application.form_data or {}
    names = None
    answers = []
    for field in application.permit_type.form_fields.all():
        value = data.get(field.key)
        if value in (None, ""):
            continue
        shown = str(value)
        if field.kind == "district":
            if names is None:
                names = dict(districts(regency_code()))
            shown = f"{names.get(shown, '')} ({shown})".strip() if codes else names.get(shown, shown)
        elif field.kind == "date":
            try:
                shown = date_id(dt.date.fromisoformat(shown))
            except ValueError:
                pass
        answers.append((field.key, field.label, shown))
    return answers
