"""Renewal and expiry (issue #5): reminders before a permit's validity ends, renewal from the permit.

The renewal window opens at the longest reminder lead time before `valid_until` (e.g. 60 days) and
closes when the permit ends; an expired or revoked permit is not renewed (a new application is).
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from permits.documents.text import date_id
from permits.models import Requirement
from permits.models.applications import Application, ApplicationDocument, Permit
from permits.regency import current_regency, regency_now, regency_today
from permits.selectors.calendar import is_working_day
from permits.services.applications import application_draft_create
from permits.services.notify import applicant_notify, common_values
from permits.services.reminders import day_id, office_members, office_url
from pintu.access.roles import LEADERSHIP_ROLES
from pintu.access.selectors import is_own_application
from pintu.audit.services import audit_record
from pintu.errors import DomainError
from pintu.notify.models import Event
from pintu.notify.services import expiry_lead_days, guard_take, guards_take, notify
from pintu.storage.services import document_read


class PermitNotRenewable(DomainError):
    code = "permit_not_renewable"
    message = "Izin ini tidak dapat diperpanjang saat ini."


def renewal_window(permit: Permit) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) the holder may renew, or None when the permit never ends."""
    if permit.valid_until is None:
        return None
    return permit.valid_until - dt.timedelta(days=max(expiry_lead_days())), permit.valid_until


def renewal_open_of(permit: Permit) -> Application | None:
    """A renewal of this permit already started (draft or in process), if any."""
    return (Application.objects.filter(renewal_of=permit)
            .exclude(status__in=[Application.Status.REJECTED, Application.Status.WITHDRAWN])
            .order_by("-pk").first())


def permit_renewal_refusal(*, permit: Permit, applicant, today: dt.date | None = None) -> str:
    """Why `applicant` cannot renew `permit` today ("" when they can)."""
    today = today or regency_today()
    application = permit.application
    if not is_own_application(user=applicant, application=application):
        return "Hanya pemegang izin yang dapat memperpanjangnya."
    if not application.permit_type.is_renewable:
        return "Jenis izin ini tidak dapat diperpanjang."
    if permit.status != Permit.Status.VALID:
        return "Izin yang dicabut tidak dapat diperpanjang."
    window = renewal_window(permit)
    if window is None:
        return "Izin ini berlaku selama kegiatan berjalan; tidak perlu diperpanjang."
    if today < window[0]:
        return f"Perpanjangan dapat diajukan mulai {date_id(window[0])}."
    if today > window[1]:
        return "Masa berlaku izin sudah berakhir; ajukan permohonan izin baru."
    return ""


def permit_is_renewable(*, permit: Permit, applicant, today: dt.date | None = None) -> bool:
    return not permit_renewal_refusal(permit=permit, applicant=applicant, today=today)


def _old_permit_requirement(permit_type) -> Requirement | None:
    """The renewal-only requirement the old permit answers ("Izin lama"): a PDF one, by name first."""
    candidates = [r for r in permit_type.requirements.all()
                  if r.applies_to == Requirement.AppliesTo.RENEWAL and "pdf" in r.allowed_types]
    named = [r for r in candidates if "izin" in r.name.lower()]
    return (named or candidates or [None])[0]


@transaction.atomic
def permit_renew_start(*, permit: Permit, applicant) -> Application:
    """The holder renews from the permit: a renewal draft with the form pre-filled and the old permit
    attached as its requirement; the renewal-only requirements are asked on the draft's page.
    Starting twice returns the renewal already started."""
    permit = Permit.objects.select_for_update().select_related("application__permit_type").get(pk=permit.pk)
    existing = renewal_open_of(permit)
    if existing is not None:
        return existing
    refusal = permit_renewal_refusal(permit=permit, applicant=applicant)
    if refusal:
        raise PermitNotRenewable(refusal)
    application = application_draft_create(permit_type=permit.application.permit_type, applicant=applicant,
                                           kind=Application.Kind.RENEWAL, renewal_of=permit)
    requirement = _old_permit_requirement(application.permit_type)
    if requirement is not None:
        data = document_read(permit.pdf_key)  # the stored, signed PDF itself, by key: no re-upload
        ApplicationDocument.objects.create(
            application=application, requirement=requirement, key=permit.pdf_key, sha256=permit.sha256,
            size=len(data), content_type="application/pdf", display_name=f"Izin {permit.number}.pdf",
            review=ApplicationDocument.Review.ACCEPTED, reviewed_at=timezone.now(), uploaded_by=applicant,
        )
    audit_record(actor=applicant, action="permit.renew_start", target=application,
                 detail={"permit": permit.pk, "number": permit.number,
                         "attached_requirement": getattr(requirement, "pk", None)})
    return application


def expiry_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind holders at each configured lead time before their permit ends (each lead once;
    a permit first seen inside several lead times gets only the nearest one)."""
    now = now or timezone.now()
    today = regency_now(at=now).date()
    leads = expiry_lead_days()
    permits = (Permit.objects.filter(status=Permit.Status.VALID, valid_until__gte=today,
                                     valid_until__lte=today + dt.timedelta(days=max(leads)))
               .select_related("application__permit_type", "application__applicant"))
    regency = current_regency()
    sent = 0
    for permit in permits:
        applicable = [lead for lead in leads if today >= permit.valid_until - dt.timedelta(days=lead)]
        if not applicable:
            continue
        nearest = min(applicable)
        with transaction.atomic():
            taken = {lead: guard_take(f"expiring:permit{permit.pk}:{lead}d") for lead in applicable}
            if not taken[nearest] or renewal_open_of(permit) is not None:
                continue
            application = permit.application
            values = common_values(application, regency)
            values.update(nomor_izin=permit.number, berlaku_sampai=date_id(permit.valid_until),
                          sisa_hari=str((permit.valid_until - today).days))
            applicant_notify(application=application, event=Event.EXPIRING,
                             key=f"permit{permit.pk}:expiring:{nearest}d", values=values, now=now)
            sent += 1
    return sent


def _expiring_in_window(today: dt.date, leads: list[int]):
    return (Permit.objects.filter(status=Permit.Status.VALID, valid_until__gte=today,
                                  valid_until__lte=today + dt.timedelta(days=max(leads)))
            .select_related("application__permit_type").order_by("valid_until", "pk"))


def expiry_digest_send(*, now: dt.datetime | None = None) -> int:
    """The office's side of expiry: one digest a working day (regency time) to the regency's administrators
    and heads, and to the office's own e-mail address, listing the permits that reached a reminder lead
    time. Each permit and lead time is listed once, whatever the number of scheduler runs; a permit that
    reaches its lead time after today's digest went out waits for the next one."""
    now = now or timezone.now()
    today = regency_now(at=now).date()
    if not is_working_day(today):
        return 0
    leads = expiry_lead_days()
    regency = current_regency()
    with transaction.atomic():
        day_key = f"expiring_digest:{today.isoformat()}"
        if not guard_take(day_key):
            return 0
        reached = {permit: [f"expiring_office:permit{permit.pk}:{lead}d" for lead in leads
                            if today >= permit.valid_until - dt.timedelta(days=lead)]
                   for permit in _expiring_in_window(today, leads)}
        taken = guards_take([key for keys in reached.values() for key in keys])
        listed = [permit for permit, keys in reached.items() if taken.intersection(keys)]
        if not listed:
            transaction.set_rollback(True)  # nothing new: today's digest is still to come
            return 0
        renewing = set(Application.objects.filter(renewal_of__in=listed).exclude(
            status__in=[Application.Status.REJECTED, Application.Status.WITHDRAWN]).values_list("renewal_of_id", flat=True))
        lines = []
        for permit in listed:
            application = permit.application
            line = (f"- {permit.number} · {application.permit_type.name} · {application.applicant_name} · "
                    f"berakhir {date_id(permit.valid_until)} ({(permit.valid_until - today).days} hari lagi)")
            if permit.pk in renewing:
                line += " · perpanjangan sedang diproses"
            lines.append(f"{line}\n  {office_url(regency, 'office:application', application.pk)}")
        values = {"daerah": regency.name, "kantor": regency.office_name or regency.name, "jumlah": str(len(listed)),
                  "tanggal": day_id(today), "daftar": "\n".join(lines), "tautan": office_url(regency, "office:worklist")}
        members = office_members(*LEADERSHIP_ROLES)
        for member in members:
            notify(key=f"{day_key}:u{member.pk}", event=Event.EXPIRING_DIGEST,
                   values={**values, "nama": member.full_name}, user=member, link=values["tautan"], now=now)
        office_email = (regency.office_email or "").strip()
        if office_email and office_email.lower() not in {m.email.lower() for m in members}:
            notify(key=f"{day_key}:office", event=Event.EXPIRING_DIGEST, email=office_email,
                   values={**values, "nama": values["kantor"]}, name=values["kantor"], now=now)
    return 1
