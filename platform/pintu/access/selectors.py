"""Reads: who holds which role in the current regency (the schema in use), and in the ministry (public)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.db.models import QuerySet

from pintu.access.models import Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pintu.access.models import Agency, Invitation
    from pintu.identity.models import User


class Owned(Protocol):
    """What ownership reads of an application (permits' `Application`; this layer cannot import it)."""

    applicant_id: int | None


def membership_teams(*, user: User | AnonymousUser | None) -> list[tuple[str, str]]:
    """(role, agency) of each active membership `user` holds in the current regency; empty for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user_id=user.pk, is_active=True).values_list("role", "agency"))


def membership_roles(*, user: User | AnonymousUser | None) -> set[str]:
    """The active roles `user` holds in the current regency; empty for anyone else."""
    return {role for role, _ in membership_teams(user=user)}


def ministry_roles(*, user: User | AnonymousUser | None) -> set[str]:
    """The ministry roles `user` holds (empty for applicants, regency officers and visitors)."""
    from pintu.identity.models import MinistryRole

    if not getattr(user, "is_authenticated", False):
        return set()
    return set(MinistryRole.objects.filter(user_id=user.pk).values_list("role", flat=True))


def ministry_role_holds(*, user: User | AnonymousUser | None, roles: tuple[str, ...] | list[str]) -> bool:
    """True when `user` holds one of the ministry `roles` (services check it again behind the pages)."""
    from pintu.identity.models import MinistryRole

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return MinistryRole.objects.filter(user_id=user.pk, role__in=list(roles)).exists()


def is_own_application(*, user: User | AnonymousUser | None, application: Owned | None) -> bool:
    """True when `user` is the applicant of `application` (a counter file without an account is nobody's)."""
    return application is not None and application.applicant_id is not None \
        and application.applicant_id == getattr(user, "pk", None)


def officer_list() -> QuerySet[Membership]:
    return Membership.objects.filter(is_active=True).order_by("role", "agency", "user_id")


def membership_is_officer(*, user_id: int) -> bool:
    """True when the account holds an active role in the current regency."""
    return Membership.objects.filter(user_id=user_id, is_active=True).exists()


def officer_users() -> QuerySet[User]:
    """The accounts holding an active role in the current regency (the schema in use)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(memberships__is_active=True).distinct().order_by("full_name", "email")


def agency_list() -> QuerySet[Agency]:
    from pintu.access.models import Agency

    return Agency.objects.order_by("name")


def invitation_pending_list() -> QuerySet[Invitation]:
    from pintu.access.models import Invitation

    return Invitation.objects.filter(accepted_at__isnull=True, cancelled_at__isnull=True).order_by("-created_at")


def invitation_pending_rows() -> list[dict]:
    """Pending invitations with the roles they give, as the officers' page lists them (agency names read once)."""
    from pintu.access.models import Agency, Role

    invitations = list(invitation_pending_list())
    agencies = dict(Agency.objects.filter(pk__in={r.get("agency") for i in invitations for r in i.roles
                                                  if r.get("agency")}).values_list("pk", "name"))
    labels = dict(Role.choices)
    return [{"invitation": i, "roles": [f"{labels.get(r['role'], r['role'])}"
                                        + (f" ({agencies[r['agency']]})" if r.get("agency") in agencies else "")
                                        for r in i.roles]} for i in invitations]


def officer_people() -> list[dict]:
    """Each person with a membership here (active or not), their roles, for the officers' page."""
    from pintu.identity.models import User

    rows = list(Membership.objects.order_by("user_id", "role", "agency"))
    users = User.objects.in_bulk({m.user_id for m in rows})
    people: dict[int, dict] = {}
    for m in rows:
        user = users.get(m.user_id)
        if user is None:
            continue
        person = people.setdefault(m.user_id, {"user": user, "memberships": [], "is_active": False})
        person["memberships"].append(m)
        person["is_active"] = person["is_active"] or m.is_active
    return sorted(people.values(), key=lambda p: (not p["is_active"], (p["user"].full_name or p["user"].email).lower()))
