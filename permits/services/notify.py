"""What the applicant is told when their application moves (issue #5).

`event_record` calls `event_notify` for every application event, inside the event's transaction:
the outbox rows (pintu.notify) commit or roll back with the event itself.
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse

from permits.documents.text import date_id
from permits.fees import application_cost_statement
from permits.models.applications import Application, ApplicationEvent, StepTask
from permits.regency import current_regency
from pintu.access.models import Role
from pintu.access.roles import SIDE_REVIEW_ROLES
from pintu.notify.models import Event
from pintu.notify.services import notify
from tenants.selectors import regency_public_url

if TYPE_CHECKING:
    import datetime as dt

    from pintu.notify.models import OutboxMessage
    from tenants.models import Regency

# Application events the applicant hears about, and the notification event each one becomes.
_EVENTS = {"submitted": Event.SUBMITTED, "returned": Event.RETURNED, "rejected": Event.DECIDED,
           "issued": Event.ISSUED, "revoked": Event.REVOKED}


def common_values(application: Application, regency: Regency) -> dict[str, str]:
    return {
        "nama": application.applicant_name, "daerah": regency.name, "kantor": regency.office_name or regency.name,
        "jenis_izin": application.permit_type.name, "nomor_registrasi": application.registration_number or "",
        "kode_pelacakan": application.tracking_code,
        "tautan": _tracking_link(application, regency),
    }


def _tracking_link(application: Application, regency: Regency) -> str:
    """The applicant's page for an account holder; for a walk-in without one (an SMS to a phone at
    the counter), the public tracking page with the registration number and tracking code filled in."""
    if application.applicant_id or not application.registration_number:
        return regency_public_url(regency, reverse("permits:application", args=[application.pk]))
    return public_tracking_url(application, regency)


def public_tracking_url(application: Application, regency: Regency, url_name: str = "permits:track") -> str:
    """A public page reached with the registration number and tracking code (tracking, or the walk-in's
    permit download), filled in for this application, on the regency's subdomain."""
    query = urlencode({"nomor": application.registration_number, "kode": application.tracking_code})
    return regency_public_url(regency, f"{reverse(url_name)}?{query}")


def applicant_notify(*, application: Application, event: str, key: str, values: dict,
                     now: dt.datetime | None = None) -> list[OutboxMessage]:
    """One message per channel the applicant chose (email always), plus their inbox entry."""
    return notify(key=key, event=event, values=values, user=application.applicant,
                  email=application.applicant_email, phone=application.applicant_phone,
                  name=application.applicant_name, application_id=application.pk, link=values.get("tautan", ""),
                  now=now)


def _permit_link(application: Application, regency: Regency) -> str:
    """Where the applicant downloads the permit: their account's page, or (a walk-in without an
    account) the public tracking download with the registration number and tracking code."""
    if application.applicant_id:
        return regency_public_url(regency, reverse("permits:permit-download", args=[application.pk]))
    return public_tracking_url(application, regency, "permits:track-permit-download")


def event_notify(event: ApplicationEvent) -> list[OutboxMessage]:
    """Turn one application event into the applicant's messages (or none, for internal steps)."""
    application = event.application
    if event.kind == "step_opened":
        return _review_scheduled(event)
    if event.kind in ("survey_scheduled", "survey_rescheduled"):
        return _survey_scheduled(event)
    kind = _EVENTS.get(event.kind)
    if kind is None:
        return []
    regency = current_regency()
    tz = regency.time_zone
    values = common_values(application, regency)
    if kind == Event.SUBMITTED:
        values["batas_waktu"] = date_id(application.due_at, tz) if application.due_at else "-"
    elif kind == Event.RETURNED:
        text = event.message.split(" — ", 1)[1] if " — " in event.message else event.message
        values["perbaikan"] = text.removeprefix("Dikembalikan kepada pemohon untuk perbaikan. ").strip()
    elif kind == Event.DECIDED:
        decision = getattr(application, "decision", None)
        values["keputusan"] = "ditolak"
        values["alasan"] = decision.reason if decision else event.message
    elif kind in (Event.ISSUED, Event.REVOKED):
        permit = application.permit
        values.update(nomor_izin=permit.number,
                      berlaku_sampai=date_id(permit.valid_until) if permit.valid_until else "selama kegiatan berjalan",
                      tautan_unduh=_permit_link(application, regency),
                      alasan=permit.revoked_reason, biaya=application_cost_statement(application).text,
                      keterangan=(" Izin ini terbit karena batas waktu layanan terlampaui (fiktif positif)."
                                  if permit.is_fiktif_positif else ""))
    return applicant_notify(application=application, event=kind, key=f"app{application.pk}:{event.kind}:{event.pk}",
                            values=values)


def _review_scheduled(event: ApplicationEvent) -> list[OutboxMessage]:
    """A technical review or survey stage opened: one message per stage, naming its steps."""
    application = event.application
    tasks = list(StepTask.objects.filter(application=application, status=StepTask.Status.OPEN)
                 .select_related("step").order_by("stage", "step__order"))
    if not tasks:
        return []
    stage = max(t.stage for t in tasks)
    in_stage = [t for t in tasks if t.stage == stage]
    if not any(t.role in SIDE_REVIEW_ROLES for t in in_stage):
        return []
    regency = current_regency()
    values = common_values(application, regency)
    values["tahap"] = "; ".join(t.step.name for t in in_stage)
    values["batas_waktu"] = date_id(max(t.due_at for t in in_stage), regency.time_zone)
    return applicant_notify(application=application, event=Event.REVIEW_SCHEDULED,
                            key=f"app{application.pk}:review_scheduled:stage{stage}", values=values)


def application_fallback_email(sender: object, *, message: OutboxMessage, **kwargs: object) -> str:
    """Answers pintu.notify's `fallback_email`: the address on the message's application today (a walk-in
    who gave none at the counter may have been handed over to their account since)."""
    if not message.application_id:
        return ""
    application = (Application.objects.filter(pk=message.application_id).select_related("applicant")
                   .only("applicant_email", "applicant__email").first())
    if application is None:
        return ""
    return (application.applicant.email if application.applicant_id else application.applicant_email) or ""


def _survey_scheduled(event: ApplicationEvent) -> list[OutboxMessage]:
    """The site visit's date (issue #14.7), told again on every change of date: one message per scheduling."""
    from permits.services.site_survey import visit_text

    application = event.application
    task = (StepTask.objects.filter(application=application, role=Role.SURVEYOR, survey_at__isnull=False,
                                    step__name=event.step_name)
            .select_related("step").order_by("-pk").first())
    if task is None:
        return []
    regency = current_regency()
    values = common_values(application, regency)
    values["tahap"] = task.step.name
    values["jadwal"] = visit_text(task.survey_at)
    values["perubahan"] = " Jadwal ini menggantikan jadwal sebelumnya." if event.kind == "survey_rescheduled" else ""
    values["catatan"] = f" Catatan petugas: {task.survey_note.strip().rstrip('.')}." if task.survey_note.strip() else ""
    return applicant_notify(application=application, event=Event.SURVEY_SCHEDULED,
                            key=f"app{application.pk}:survey:{event.pk}", values=values)
