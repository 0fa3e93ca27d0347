"""Reads of the applicant portal: always filtered by the signed-in applicant explicitly."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django_tenants.utils import schema_context

from permits.index.models import ApplicationIndex
from pintu.portal.models import ApplicantProfile


def portal_applications(*, applicant) -> list[ApplicationIndex]:
    """Every application of this applicant in every regency, from the public index (two queries)."""
    return list(ApplicationIndex.objects.filter(applicant=applicant).select_related("regency")
                .prefetch_related("regency__domains").order_by("-updated_at", "-pk"))


@dataclass(frozen=True)
class IssuedPermit:
    entry: ApplicationIndex
    number: str
    verification_code: str
    valid_until: object
    status: str


def portal_permits(*, applicant, entries: list[ApplicationIndex]) -> list[IssuedPermit]:
    """The applicant's issued permits with their verification codes: one query per regency that issued one."""
    from permits.models import Permit  # read in each regency's own schema

    issued = defaultdict(dict)
    for entry in entries:
        if entry.status == "issued":
            issued[entry.regency][entry.application_id] = entry
    result = []
    for regency, by_app in issued.items():
        with schema_context(regency.schema_name):
            rows = Permit.objects.filter(application_id__in=list(by_app), application__applicant=applicant).values_list(
                "application_id", "number", "verification_code", "valid_until", "status")
            for app_id, number, code, valid_until, status in rows:
                result.append(IssuedPermit(by_app[app_id], number, code, valid_until, status))
    return result


def applicant_profile(*, user) -> ApplicantProfile | None:
    return ApplicantProfile.objects.filter(user=user).first()
