"""The regency (tenant) row of the schema in use, for infrastructure that may not import `tenants`.

The layering (docs/engineering.md, `.importlinter`) puts `pintu` infrastructure below `tenants`;
the tenant model is reached through django-tenants' `get_tenant_model()` instead of an import.
`tenants.selectors.current_regency` is this same function.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_tenant_model

if TYPE_CHECKING:
    from django_tenants.models import TenantMixin


def current_regency() -> TenantMixin | None:
    """The Regency row of the schema in use (None in the public schema); also under schema_context,
    where connection.tenant is a stand-in, and never a row left over from another schema."""
    model = get_tenant_model()
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, model) and tenant.schema_name == connection.schema_name:
        return tenant
    return model.objects.filter(schema_name=connection.schema_name).first()


def regency_url(regency: TenantMixin, *, scheme: str = "http", port: str = "") -> str:
    """The root URL of `regency`'s primary host ("" when it has none)."""
    domain = next((d.domain for d in regency.domains.all() if d.is_primary), None)
    if domain is None:
        return ""
    return f"{scheme}://{domain}{':' + port if port else ''}/"


def regency_public_url(regency: TenantMixin, path: str = "/") -> str:
    """An absolute link to a page of `regency` as people outside reach it (QR codes, e-mails)."""
    base = regency_url(regency, scheme=settings.PUBLIC_URL_SCHEME, port=settings.PUBLIC_URL_PORT)
    return base.rstrip("/") + path
