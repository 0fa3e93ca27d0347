"""Asking OSS: inqueryNIB (a business's data from the NIB an applicant or a counter officer types)
and getDataReferensi (OSS's code tables, refreshed daily into OssReference)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from permits.field_kinds import holds_nib
from permits.models import Application, PermitType
from permits.oss import client
from permits.oss.errors import NibLookupsExhausted, NibNotFound, NibNotUsed, NibNotYours, OssLookupFailed, OssRefused
from permits.oss.hub.models import OssReference
from pintu.audit.services import audit_record


def _user_key() -> str:
    from permits.oss.reporting import _user_key as key

    return key()


def oss_nib_inquire(*, nib: str) -> dict:
    """The business's data as OSS holds it (the shape of business_of), or a clear Indonesian error."""
    from permits.oss.receiving import business_of

    nib = (nib or "").strip()
    if len(nib) != 13 or not (nib.isascii() and nib.isdigit()):
        raise OssRefused("NIB harus 13 angka.", code="nib_invalid", errors=[{"field": "nib", "reason": "harus 13 angka"}])
    try:
        answer = client.oss_call("inqueryNIB", {"INQUERYNIB": {"nib": nib}}, user_key=_user_key())
    except client.OssRejected as exc:
        raise NibNotFound() if exc.status in (400, 404) else OssLookupFailed() from exc
    except (client.OssUnreachable, client.OssUncertain) as exc:
        raise OssLookupFailed() from exc
    body = answer.get("responinqueryNIB") or {}
    data = body.get("dataNIB")
    if str(body.get("kode")) != "200" or not isinstance(data, dict):
        raise NibNotFound()
    return business_of(data, {})


def oss_nib_form_answers(*, permit_type, nib: str) -> dict:
    """The permit type's form answers OSS knows for this NIB (for the online form and the counter)."""
    from permits.oss.receiving import form_from_business

    return form_from_business(permit_type, oss_nib_inquire(nib=nib))


def oss_nib_fill_offered(permit_type: PermitType) -> bool:
    """Whether the forms offer "fill from OSS" for this permit type: OSS is connected, the type is a business
    permit (it asks for a NIB, or OSS's checklist codes are mapped to it) and OSS knows some of its fields."""
    from permits.oss.models import PermitCodeMapping
    from permits.oss.receiving import fillable_keys

    if not client.base_url():
        return False
    fields = list(permit_type.form_fields.all())
    is_business = any(holds_nib(f) for f in fields) or \
        PermitCodeMapping.objects.filter(permit_type=permit_type).exists()
    return is_business and bool(fillable_keys(fields))


def oss_nib_prefill(application: Application) -> str:
    """The NIB the form already holds (a field of kind NIB, else one keyed `nib`), to start the lookup box with."""
    for field in application.permit_type.form_fields.all():
        if holds_nib(field) or field.key == "nib":
            value = application.form_data.get(field.key)
            if value:
                return str(value)
    return ""


def oss_nib_answers_checked(*, permit_type: PermitType, nib: str, holder_nik: str | None = None) -> dict:
    """The answers OSS knows for this NIB; with `holder_nik` (an applicant filling their own form) only when
    they are the business's person in charge: the answers name that person with their NIK."""
    from permits.oss.receiving import form_from_business

    if not oss_nib_fill_offered(permit_type):
        raise NibNotUsed()
    business = oss_nib_inquire(nib=nib)
    if holder_nik is not None and (not holder_nik or business["penanggung_jawab"]["nik"] != holder_nik):
        raise NibNotYours()
    return form_from_business(permit_type, business)


@transaction.atomic
def oss_counter_draft_create(*, permit_type: PermitType, nib: str, created_by, applicant_name: str,
                             applicant_nik: str, applicant_phone: str = "", applicant_email: str = "") -> Application:
    """A walk-in business's counter application, its form filled from OSS by the NIB they brought."""
    from permits.services.applications import application_draft_create, application_form_save

    answers = oss_nib_answers_checked(permit_type=permit_type, nib=nib)
    application = application_draft_create(
        permit_type=permit_type, channel=Application.Channel.COUNTER, created_by=created_by,
        applicant_name=applicant_name, applicant_nik=applicant_nik, applicant_phone=applicant_phone,
        applicant_email=applicant_email)
    application = application_form_save(application=application, data=answers, actor=created_by)
    audit_record(actor=created_by, action="oss.form_fill", target=application, detail={"nib": nib, "fields": sorted(answers)})
    return application


@transaction.atomic
def oss_form_fill(*, application: Application, nib: str, typed: dict, actor, as_holder: bool) -> list[str]:
    """Fill an application's form from OSS by NIB: what the person typed is kept, the business fields OSS knows
    are taken from OSS. Online (`as_holder`) only the business's person in charge may; the counter may."""
    from django.conf import settings
    from django.core.cache import cache

    from permits.services.applications import application_form_save

    if as_holder:  # each lookup is a call to OSS: an account may not probe NIBs by the thousand
        key = f"oss-nib-lookups:{actor.pk}:{actor.date_joined.timestamp():.0f}"  # an id a restored database reuses
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > int(getattr(settings, "OSS_NIB_LOOKUPS_PER_HOUR", 20)):
            raise NibLookupsExhausted()
    answers = oss_nib_answers_checked(permit_type=application.permit_type, nib=nib,
                                      holder_nik=(actor.nik or "") if as_holder else None)
    application_form_save(application=application, data={**typed, **answers}, actor=actor)
    audit_record(actor=actor, action="oss.form_fill", target=application, detail={"nib": nib, "fields": sorted(answers)})
    return sorted(answers)


@transaction.atomic
def oss_references_refresh(*, tables: tuple[str, ...] = ("9", "10", "31")) -> int:
    """Bring OSS's code tables up to date; a table OSS cannot give now keeps its last rows."""
    now, count = timezone.now(), 0
    for table in tables:
        try:
            answer = client.oss_call("getDataReferensi", {"GETDATAREFERENSI": {"kode": table}}, user_key=_user_key())
        except (client.OssRejected, client.OssUnreachable, client.OssUncertain):
            continue
        rows = (answer.get("respongetDataReferensi") or {}).get("dataReferensi") or []
        for row in rows:
            if not isinstance(row, dict) or not row.get("kode_referensi"):
                continue
            OssReference.objects.update_or_create(table=table, code=str(row["kode_referensi"])[:25], defaults={
                "description": str(row.get("uraian_referensi") or ""),
                "note": str(row.get("keterangan_referensi") or "")[:255], "updated_at": now})
            count += 1
    return count
