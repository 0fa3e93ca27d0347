"""Every change of an application's status, declared once: from which status, to which, by whom.

The services that move an application (submit, resubmit, return, reject, approve, fiktif positif,
the old-register import) ask `status_change` for the move instead of assigning `status`; a move
the table does not hold raises `StatusChangeRefused` and nothing is written. Reading the table
answers "who may do what to a file now" without reading five services;
`tests/permits/services/test_transitions.py` walks it and checks that no other module assigns an
application's status.

`by` names the kind of actor, not a person: which person of that kind may act (the officer who
holds the open SOP step, the official who holds signing authority today) is each service's own
check (`officer_may_act`, `delegation_resolve`), made before it asks for the move.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from permits.errors import StatusChangeRefused
from permits.models.applications import Application

Status = Application.Status


class By(str, enum.Enum):
    """Who moves an application."""

    APPLICANT = "applicant"        # the account holder (online, or through OSS RBA)
    COUNTER = "front_office"       # a front-office officer for a walk-in at the counter
    STEP_OFFICER = "step_officer"  # the officer holding the open SOP step that allows the action
    AUTHORITY = "authority"        # the official holding signing authority for the permit type today
    SYSTEM = "system"              # Pintu itself, under a rule (fiktif positif)
    REGISTER = "regency_admin"     # a regency administrator importing the old paper register


@dataclass(frozen=True)
class Transition:
    verb: str
    source: str | None  # None: the application is created in `target`
    target: str
    by: frozenset[By]
    refused: str        # what a person reads when the application is not in `source`


_NOT_IN_PROCESS = "Permohonan ini sedang tidak dalam proses di kantor."

TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", Status.DRAFT, Status.IN_PROCESS, frozenset({By.APPLICANT, By.COUNTER}),
               "Permohonan ini sudah diajukan."),
    Transition("resubmit", Status.RETURNED, Status.IN_PROCESS, frozenset({By.APPLICANT, By.COUNTER}),
               "Permohonan ini tidak sedang dikembalikan kepada pemohon."),
    Transition("return", Status.IN_PROCESS, Status.RETURNED, frozenset({By.STEP_OFFICER}), _NOT_IN_PROCESS),
    Transition("reject", Status.IN_PROCESS, Status.REJECTED, frozenset({By.STEP_OFFICER}), _NOT_IN_PROCESS),
    Transition("approve", Status.IN_PROCESS, Status.ISSUED, frozenset({By.AUTHORITY}), _NOT_IN_PROCESS),
    Transition("fiktif_positif", Status.IN_PROCESS, Status.ISSUED, frozenset({By.SYSTEM}), _NOT_IN_PROCESS),
    Transition("register_import", None, Status.ISSUED, frozenset({By.REGISTER}), ""),
)


def submitter_of(application: Application) -> By:
    """Who submits this application: the counter for a walk-in's file, else the applicant."""
    return By.COUNTER if application.channel == Application.Channel.COUNTER else By.APPLICANT


_BY_VERB = {t.verb: t for t in TRANSITIONS}


def transition_of(verb: str) -> Transition:
    """The table's row named `verb` (a name no row has is a programming error: LookupError)."""
    try:
        return _BY_VERB[verb]
    except KeyError:
        raise LookupError(f"no application status transition named {verb!r}") from None


def status_change_check(*, application: Application | None, verb: str, by: By) -> Transition:
    """Refuse (StatusChangeRefused) unless the table's `verb` lets `by` move `application` from where it is now
    (None: an application being created)."""
    row = transition_of(verb)
    source = application.status if application is not None else None
    if by not in row.by or source != row.source:
        message = row.refused if by in row.by else "Perubahan status permohonan ini bukan wewenang Anda."
        raise StatusChangeRefused(message or None, **{"from": source, "to": row.target, "by": by.value, "verb": verb})
    return row


def status_change(*, application: Application, verb: str, by: By) -> Transition:
    """Move `application` as the table's `verb` does, or StatusChangeRefused; the caller saves it in its
    transaction (with `status` in update_fields)."""
    row = status_change_check(application=application, verb=verb, by=by)
    application.status = row.target
    return row


def status_on_create(*, verb: str, by: By) -> str:
    """The status an application is created in when it does not start as a draft (the old register)."""
    return status_change_check(application=None, verb=verb, by=by).target
