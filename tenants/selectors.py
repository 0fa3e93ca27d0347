"""Reads about regencies."""
from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from pintu import tenancy
from tenants.models import Regency


def regency_list(*, include_suspended: bool = True) -> QuerySet[Regency]:
    """The regencies on the platform (never the public schema's own row)."""
    qs = Regency.objects.exclude(schema_name__in=[settings.PUBLIC_SCHEMA_NAME, settings.TENANT_BASE_SCHEMA])
    if not include_suspended:
        qs = qs.filter(status=Regency.Status.ACTIVE)
    return qs.prefetch_related("domains").order_by("province_code", "code")


def regency_host_known(hostname: str) -> bool:
    """True when `hostname` is exactly a regency's host in the Domain table (not the apex)."""
    from tenants.models import Domain

    return Domain.objects.filter(domain=hostname.lower()).exclude(
        tenant__schema_name__in=[settings.PUBLIC_SCHEMA_NAME, settings.TENANT_BASE_SCHEMA]).exists()


def regency_names(*, schema_names: set[str]) -> dict[str, str]:
    """schema name -> the regency's name, for the schemas given."""
    return dict(Regency.objects.filter(schema_name__in=schema_names).values_list("schema_name", "name"))


def regency_search(*, query: str = "", include_suspended: bool = False) -> QuerySet[Regency]:
    """The apex list, narrowed by what a person typed: part of the name, the province or the region code."""
    qs = regency_list(include_suspended=include_suspended)
    query = (query or "").strip()[:100]
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(province_name__icontains=query) | Q(code__startswith=query))
    return qs


regency_url = tenancy.regency_url
regency_public_url = tenancy.regency_public_url


def current_regency() -> Regency | None:
    """The Regency row of the schema in use (None in the public schema); one rule, in `pintu.tenancy`."""
    return tenancy.current_regency()  # type: ignore[return-value]
