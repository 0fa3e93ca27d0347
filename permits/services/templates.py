"""Adopting national catalog templates: the regency gets its own copy and may change it freely."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext

from permits.errors import TemplateNotAdoptable
from permits.models import PermitType
from permits.services.config_io import permit_type_apply
from pintu.audit.services import audit_record
from pintu.national.models import CatalogTemplate

if TYPE_CHECKING:
    from pintu.identity.models import User



@transaction.atomic
def template_adopt(*, template: CatalogTemplate, actor: User | None = None, code: str | None = None,
                   overrides: dict | None = None, publish_sop: bool = True) -> PermitType:
    """Copy a national template (type, requirements, form, SOP) into this regency's catalog.

    `overrides` changes permit-type fields on the way in (e.g. {"is_online": False}
    for a regency that serves it at the counter only). The SOP is put in force
    unless `publish_sop` is False; roles nobody holds yet are only warnings.
    """
    if not template.is_published:
        raise TemplateNotAdoptable(gettext("Templat %(name)s sudah ditarik oleh kementerian.") % {"name": template.name})
    entry = copy.deepcopy(template.data)
    entry["permit_type"].update(overrides or {})
    if code:
        entry["permit_type"]["code"] = code
    entry["permit_type"]["adopted_from"] = f"{template.code}@v{template.version}"
    changes: list[str] = []
    permit_type = permit_type_apply(entry, changes=changes, actor=actor, path=f"templat {template.code}",
                                    create_only=True, publish_sop=publish_sop)
    audit_record(actor=actor, action="permit_type.adopt", target=permit_type,
                 detail={"template": template.code, "version": template.version, "overrides": overrides or {}})
    return permit_type
