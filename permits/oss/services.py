"""Writes of the OSS integration outside receiving and reporting: which permit type an OSS code is
(the regency administrator), and a file waiting for its person in charge to have an account."""
from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from permits.models import PermitType
from permits.oss.errors import MappingInvalid
from permits.oss.hub.models import OssHolderWaiting
from permits.oss.models import OssFile, PermitCodeMapping
from pintu.audit.services import audit_record

if TYPE_CHECKING:
    from pintu.identity.models import User


@transaction.atomic
def oss_mapping_set(*, kd_izin: str, permit_type: PermitType | None, actor: User | None) -> PermitCodeMapping:
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


def _nik_digest(nik: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), ("oss-holder-nik:" + nik).encode(), hashlib.sha256).hexdigest()


def oss_holder_wait(*, file: OssFile, nik: str) -> OssHolderWaiting:
    """Note (in the file's transaction) that the person in charge with this NIK has no account yet."""
    from tenants.selectors import current_regency

    return OssHolderWaiting.objects.create(regency=current_regency(), application_id=file.application_id,
                                           id_izin=file.id_izin, nik_digest=_nik_digest(nik), created_at=timezone.now())


@transaction.atomic
def oss_files_link_holder(*, user: User) -> int:
    """A person in charge who signs up (or adds their NIK) after OSS sent their business's file gets that file
    on their account, in every regency; only the file whose person in charge has exactly this NIK."""
    from permits.models import Application
    from permits.services.index import application_index_sync

    if not user.nik:
        return 0
    linked = 0
    # Regencies in one order: two runs for the same person never hold each other's audit locks.
    for row in (OssHolderWaiting.objects.select_related("regency").filter(nik_digest=_nik_digest(user.nik))
                .order_by("regency__schema_name", "pk")):
        with schema_context(row.regency.schema_name):
            application = (Application.objects.select_for_update(no_key=True)
                           .filter(pk=row.application_id, applicant__isnull=True, applicant_nik=user.nik).first())
            if application is not None:
                application.applicant = user
                application.save(update_fields=["applicant", "updated_at"])
                application_index_sync(application)
                audit_record(actor=user, action="oss.holder_linked", target=application,
                             detail={"id_izin": row.id_izin})
                linked += 1
        row.delete()
    return linked
