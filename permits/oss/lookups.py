"""Asking OSS: inqueryNIB (a business's data from the NIB an applicant or a counter officer types)
and getDataReferensi (OSS's code tables, refreshed daily into OssReference)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from permits.oss import client
from permits.oss.errors import OssRefused
from permits.oss.hub.models import OssReference
from pintu.errors import DomainError


class OssLookupFailed(DomainError):
    code = "oss_lookup_failed"
    message = "Data NIB tidak dapat diambil dari OSS saat ini. Silakan isi manual atau coba lagi nanti."
    status = 502


class NibNotFound(DomainError):
    code = "oss_nib_not_found"
    message = "NIB tidak ditemukan di OSS. Periksa kembali 13 angka NIB."
    status = 404


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
