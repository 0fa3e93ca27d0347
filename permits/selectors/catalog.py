"""Reads of the catalog: what applicants see before applying, what administrators configure."""
from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from permits.models import FormField, PermitType, Requirement, Sop


def permit_type_list(*, active_only: bool = False) -> QuerySet[PermitType]:
    qs = PermitType.objects.prefetch_related(
        Prefetch("requirements", queryset=Requirement.objects.order_by("order", "pk")),
        Prefetch("form_fields", queryset=FormField.objects.order_by("order", "pk")),
        Prefetch("sops", queryset=Sop.objects.filter(status=Sop.Status.PUBLISHED).prefetch_related("steps"),
                 to_attr="sops_in_force"),
    )
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name")


def public_catalog() -> QuerySet[PermitType]:
    """The permit types the regency offers, with what an applicant needs: requirements, SLA, cost."""
    return permit_type_list(active_only=True)


#: What the public catalog list shows of a permit type (the detail page reads the rest).
CATALOG_LIST_FIELDS = ("code", "name", "is_online", "sla_working_days", "levy_amount", "levy_regulation_number",
                       "levy_regulation_year", "levy_regulation_article")


def public_catalog_list() -> list[PermitType]:
    """The catalog list in ONE query: what each card shows and its count of requirements, nothing more.

    (`public_catalog` prefetches requirements, form fields, SOPs and steps: five queries the list
    does not show.) The instances carry `requirement_count`.
    """
    return list(PermitType.objects.filter(is_active=True).only(*CATALOG_LIST_FIELDS)
                .annotate(requirement_count=Count("requirements")).order_by("name"))


def requirement_list(*, permit_type: PermitType | None = None) -> QuerySet[Requirement]:
    qs = Requirement.objects.select_related("permit_type")
    return (qs.filter(permit_type=permit_type) if permit_type else qs).order_by("permit_type__name", "order", "pk")


def form_field_list(*, permit_type: PermitType | None = None) -> QuerySet[FormField]:
    qs = FormField.objects.select_related("permit_type")
    return (qs.filter(permit_type=permit_type) if permit_type else qs).order_by("permit_type__name", "order", "pk")
