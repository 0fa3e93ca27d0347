"""Fiktif positif: when the office misses the SLA of a permit type that follows the rule, the
application counts as granted — a real decision, numbered, signed and issued like any other.

Who signs: the official who holds authority for the permit type that day (delegation or Plh/Plt),
as for any decision, but no person acted — the regency's signing identity (the same one that seals
every permit) signs automatically in their name, and the decision/permit say "fiktif positif".
When no official can be found (post vacant, no regional head recorded), the permit is signed by
that identity in the name of the office itself (the DPMPTSP), never left unissued.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from permits.models.applications import Application, Decision
from permits.regency import current_regency, regency_today
from permits.selectors.delegation import delegation_resolve
from permits.services.applications import event_record

if TYPE_CHECKING:
    from django.db.models import QuerySet

log = logging.getLogger(__name__)
REASON = "Batas waktu layanan terlampaui tanpa keputusan; permohonan dianggap dikabulkan (fiktif positif)."


@dataclass(frozen=True)
class OfficeSigner:
    """The office as signer when no official holds authority: named on the permit, no personal NIK."""

    full_name: str
    nik: str = ""
    pk: None = None


def office_signer() -> OfficeSigner:
    regency = current_regency()
    return OfficeSigner(full_name=regency.office_name or f"DPMPTSP {regency.name}")


def fiktif_positif_due(*, now: dt.datetime) -> QuerySet[Application, int]:
    """Applications of fiktif-positif permit types whose SLA has passed while the office held them."""
    return (Application.objects.filter(status=Application.Status.IN_PROCESS, permit_type__is_fiktif_positif=True,
                                       due_at__lt=now, decision__isnull=True)
            .order_by("due_at").values_list("pk", flat=True))


@transaction.atomic
def fiktif_positif_grant(*, application: Application, now: dt.datetime | None = None) -> Application | None:
    """Grant one lapsed application; exactly once even when two schedulers run together (row lock)."""
    from permits.services.processing import application_decide

    now = now or timezone.now()
    application = Application.objects.select_for_update(of=("self",), no_key=True).select_related("permit_type").get(pk=application.pk)
    if (application.status != Application.Status.IN_PROCESS or not application.permit_type.is_fiktif_positif
            or application.due_at is None or application.due_at >= now
            or Decision.objects.filter(application=application).exists()):
        return None  # decided meanwhile, returned (clock paused), or granted by the other run
    authority = delegation_resolve(permit_type=application.permit_type, on=regency_today(at=now))
    event_record(application=application, kind="fiktif_positif", message=REASON)
    return application_decide(application=application, official=authority.official,
                              outcome=Decision.Outcome.APPROVED, reason=REASON, now=now, fiktif_positif=True)


def fiktif_positif_run(*, now: dt.datetime | None = None) -> int:
    """Grant every lapsed application in this regency, each in its own transaction."""
    now = now or timezone.now()
    granted = 0
    for pk in list(fiktif_positif_due(now=now)):
        try:
            if fiktif_positif_grant(application=Application(pk=pk), now=now) is not None:
                granted += 1
        except Exception:  # noqa: BLE001 - one application's failure (e.g. signing down) must not stop the rest
            log.exception("fiktif positif: application %s could not be granted; retried at the next run", pk)
    return granted
