"""Renewal and expiry (issue #5): reminders before a permit's validity ends, renewal from the permit.

The renewal window opens at the longest reminder lead time before `valid_until` (e.g. 60 days) and
closes when the permit ends; an expired or revoked permit is not renewed (a new application is).
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from permits.documents.text import date_id
from permits.models import Requirement
from permits.models.applications import Application, ApplicationDocument, Permit
from permits.regency import current_regency, regency_now, regency_today
from permits.selectors.calendar import is_working_day
from permits.services.applications import application_draft_create, requirements_for
from permits.services.notify import applicant_notify, common_values
from permits.services.reminders import day_id, office_members, office_url
from pintu.access.roles import LEADERSHIP_ROLES
from pintu.access.selectors import is_own_application
from pintu.audit.services import audit_record
from pintu.errors import DomainError
from pintu.notify.models import Event
from pintu.notify.services import expiry_lead_days, guard_take, guards_take, notify
from pintu.storage.services import document_read

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from pintu.identity.models import User


class PermitNotRenewable(DomainError):
    code = "permit_not_renewable"
    message = gettext_lazy("Izin ini tidak dapat diperpanjang saat ini.")


def renewal_window(permit: Permit, leads: list[int] | None = None) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) the holder may renew, or None when the permit never ends."""
    if permit.valid_until is None:
        return None
    return permit.valid_until - dt.timedelta(days=max(leads or expiry_lead_days())), permit.valid_until


def renewal_open_of(permit: Permit) -> Application | None:
    """A renewal of this permit already started (draft or in process), if any."""
    return (Application.objects.filter(renewal_of=permit)
            .exclude(status__in=[Application.Status.REJECTED, Application.Status.WITHDRAWN])
            .order_by("-pk").first())


def _renewal_time_refusal(permit: Permit, today: dt.date, leads: list[int] | None = None) -> str:
    """Why `permit` cannot be renewed today by anyone, online or at the counter ("" when it can)."""
    if not permit.application.permit_type.is_renewable:
        return gettext("Jenis izin ini tidak dapat diperpanjang.")
    if permit.status != Permit.Status.VALID:
        return gettext("Izin yang dicabut tidak dapat diperpanjang.")
    window = renewal_window(permit, leads)
    if window is None:
        return gettext("Izin ini berlaku selama kegiatan berjalan; tidak perlu diperpanjang.")
    if today < window[0]:
        return gettext("Perpanjangan dapat diajukan mulai %(date_id)s.") % {"date_id": date_id(window[0])}
    if today > window[1]:
        return gettext("Masa berlaku izin sudah berakhir; ajukan permohonan izin baru.")
    return ""


def renewal_at_counter(permit: Permit) -> bool:
    """A counter-only permit type is renewed at the counter, as is a permit whose holder has no account."""
    application = permit.application
    return not application.permit_type.is_online or application.applicant_id is None


def permit_renewal_refusal(*, permit: Permit, applicant: User | AnonymousUser, today: dt.date | None = None) -> str:
    """Why `applicant` cannot renew `permit` online today ("" when they can)."""
    today = today or regency_today()
    application = permit.application
    if not is_own_application(user=applicant, application=application):
        return gettext("Hanya pemegang izin yang dapat memperpanjangnya.")
    refusal = _renewal_time_refusal(permit, today)
    if refusal:
        return refusal
    if not application.permit_type.is_online:
        return counter_renewal_hint(permit)
    return ""


def counter_renewal_hint(permit: Permit) -> str:
    office = current_regency()
    office_name = (office.office_name or office.name) if office is not None else "kantor perizinan"
    return (gettext("Perpanjangan %(name)s dilayani di loket %(office_name)s: bawa nomor izin %(number)s dan KTP.")
            % {"name": permit.application.permit_type.name, "office_name": office_name, "number": permit.number})


def permit_counter_renewal_refusal(*, permit: Permit, today: dt.date | None = None,
                                   leads: list[int] | None = None) -> str:
    """Why the front office cannot start a renewal of `permit` today ("" when it can)."""
    return _renewal_time_refusal(permit, today or regency_today(), leads)


def permit_is_renewable(*, permit: Permit, applicant: User | AnonymousUser, today: dt.date | None = None) -> bool:
    return not permit_renewal_refusal(permit=permit, applicant=applicant, today=today)


def _old_permit_requirement(requirements: list[Requirement]) -> Requirement | None:
    """The renewal-only requirement the old permit answers ("Izin lama"): a PDF one, by name first."""
    candidates = [r for r in requirements
                  if r.applies_to == Requirement.AppliesTo.RENEWAL and "pdf" in r.allowed_types]
    named = [r for r in candidates if "izin" in r.name.lower()]
    chosen = named or candidates
    return chosen[0] if chosen else None


def _renewal_documents_attach(*, application: Application, permit: Permit, actor: User) -> dict:
    """A renewal starts with the earlier file's documents: the signed permit as "Izin lama" (accepted: it
    is the office's own), and each requirement file of the earlier application that the renewal also asks
    for (same stored object, no re-upload), to be checked again by the verifier; either may be replaced."""
    requirements = requirements_for(application)
    wanted = {r.pk for r in requirements}
    rows = []
    old_permit = _old_permit_requirement(requirements)
    if old_permit is not None and permit.pdf_key:
        data = document_read(permit.pdf_key)  # the stored, signed PDF itself, by key: no re-upload
        rows.append(ApplicationDocument(
            application=application, requirement=old_permit, key=permit.pdf_key, sha256=permit.sha256,
            size=len(data), content_type="application/pdf", display_name=f"Izin {permit.number}.pdf",
            review=ApplicationDocument.Review.ACCEPTED, reviewed_at=timezone.now(), uploaded_by=actor))
    taken = {row.requirement_id for row in rows}
    for document in (ApplicationDocument.objects.filter(application=permit.application, is_current=True)
                     .order_by("pk")):
        if document.requirement_id in wanted and document.requirement_id not in taken:
            taken.add(document.requirement_id)
            rows.append(ApplicationDocument(
                application=application, requirement_id=document.requirement_id, key=document.key,
                sha256=document.sha256, size=document.size, content_type=document.content_type,
                display_name=document.display_name, uploaded_by=document.uploaded_by))
    ApplicationDocument.objects.bulk_create(rows)
    return {"attached_requirement": getattr(old_permit, "pk", None),
            "carried_requirements": sorted(r.requirement_id for r in rows
                                           if r.requirement_id != getattr(old_permit, "pk", None))}


@transaction.atomic
def permit_renew_start(*, permit: Permit, applicant: User) -> Application:
    """The holder renews from the permit: a renewal draft with the form pre-filled, the old permit attached
    as its requirement and the earlier requirement files carried over; the renewal-only requirements are
    asked on the draft's page. Starting twice returns the renewal already started."""
    permit = Permit.objects.select_for_update(of=("self",), no_key=True).select_related("application__permit_type").get(pk=permit.pk)
    existing = renewal_open_of(permit)
    if existing is not None:
        return existing
    refusal = permit_renewal_refusal(permit=permit, applicant=applicant)
    if refusal:
        raise PermitNotRenewable(refusal)
    application = application_draft_create(permit_type=permit.application.permit_type, applicant=applicant,
                                           kind=Application.Kind.RENEWAL, renewal_of=permit)
    detail = _renewal_documents_attach(application=application, permit=permit, actor=applicant)
    audit_record(actor=applicant, action="permit.renew_start", target=application,
                 detail={"permit": permit.pk, "number": permit.number, **detail})
    return application


@transaction.atomic
def permit_counter_renew_start(*, permit: Permit, actor: User, applicant_nik: str = "") -> Application:
    """The front office renews a permit for its holder at the counter (a counter-only type, or a holder
    without an account): a counter renewal draft for the same holder, carrying the earlier form answers
    and documents. A renewal already started online is not duplicated. `applicant_nik` (from the KTP)
    is used only when the earlier file has none."""
    permit = Permit.objects.select_for_update(of=("self",), no_key=True).select_related("application__permit_type").get(pk=permit.pk)
    existing = renewal_open_of(permit)
    if existing is not None:
        if existing.channel != Application.Channel.COUNTER:
            raise PermitNotRenewable(
                gettext("Pemegang izin sudah memulai perpanjangan secara daring (%(value)s); lanjutkan dari akunnya.")
                % {"value": existing.registration_number or 'draf'},
                code="renewal_started_online")
        return existing
    refusal = permit_counter_renewal_refusal(permit=permit)
    if refusal:
        raise PermitNotRenewable(refusal)
    earlier = permit.application
    application = application_draft_create(
        permit_type=earlier.permit_type, applicant=earlier.applicant, channel=Application.Channel.COUNTER,
        kind=Application.Kind.RENEWAL, renewal_of=permit, created_by=actor,
        applicant_name=earlier.applicant_name, applicant_nik=earlier.applicant_nik or applicant_nik.strip(),
        applicant_email=earlier.applicant_email, applicant_phone=earlier.applicant_phone)
    detail = _renewal_documents_attach(application=application, permit=permit, actor=actor)
    audit_record(actor=actor, action="permit.renew_start", target=application,
                 detail={"permit": permit.pk, "number": permit.number, "by": "counter", **detail})
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
                          sisa_hari=str((permit.valid_until - today).days),
                          cara_perpanjang=(counter_renewal_hint(permit) if renewal_at_counter(permit) else
                                           f"Ajukan perpanjangan dari halaman izin Anda: {values['tautan']}"))
            applicant_notify(application=application, event=Event.EXPIRING,
                             key=f"permit{permit.pk}:expiring:{nearest}d", values=values, now=now)
            sent += 1
    return sent


def _expiring_in_window(today: dt.date, leads: list[int]) -> QuerySet[Permit]:
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
            elif renewal_at_counter(permit):
                line += " · perpanjangan di loket"
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
