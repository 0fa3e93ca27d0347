"""Regency administrators' writes of the OSS integration: which permit type an OSS code is."""
from __future__ import annotations

from django.db import transaction

from permits.models import PermitType
from permits.oss.errors import MappingInvalid
from permits.oss.models import PermitCodeMapping
from pintu.audit.services import audit_record


@transaction.atomic
def oss_mapping_set(*, kd_izin: str, permit_type: PermitType | None, actor) -> PermitCodeMapping:
    """Say which of the regency's permit types OSS's `kd_izin` is (None: not handled here)."""
    kd_izin = (kd_izin or "").strip()
    if not kd_izin or len(kd_izin) > 13:
        raise MappingInvalid("Kode izin OSS wajib diisi, paling panjang 13 karakter.",
                             fields={"kd_izin": [{"code": "invalid", "message": "Paling panjang 13 karakter."}]})
    if permit_type is not None and not permit_type.is_active:
        raise MappingInvalid("Jenis izin ini sedang tidak ditawarkan.")
    mapping, _ = PermitCodeMapping.objects.update_or_create(kd_izin=kd_izin, defaults={"permit_type": permit_type})
    audit_record(actor=actor, action="oss.mapping_set", target=mapping,
                 detail={"kd_izin": kd_izin, "permit_type": getattr(permit_type, "code", None)})
    return mapping
