"""Reads of the applicant portal: always filtered by the signed-in applicant explicitly."""
from __future__ import annotations

from typing import TYPE_CHECKING

from permits.index.models import ApplicationIndex
from pintu.portal.models import ApplicantProfile

if TYPE_CHECKING:
    from pintu.identity.models import User


def portal_applications(*, applicant: User) -> list[ApplicationIndex]:
    """Every application of this applicant in every regency, from the public index (two queries)."""
    return list(ApplicationIndex.objects.filter(applicant=applicant).select_related("regency")
                .prefetch_related("regency__domains").order_by("-updated_at", "-pk"))


def portal_permits(*, entries: list[ApplicationIndex]) -> list[ApplicationIndex]:
    """The applicant's issued permits (revoked ones too: their page says so), from the index rows: no query."""
    return [entry for entry in entries if entry.verification_code]


def applicant_profile(*, user: User) -> ApplicantProfile | None:
    return ApplicantProfile.objects.filter(user=user).first()
