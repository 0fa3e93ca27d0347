"""Who may do what, decided in one place: regency roles, ministry roles and an applicant's own files.

Pages use the decorators (`role_required`, `ministry_role_required`), API views declare an
`Access` (`pintu.api.ApiView`), both read the same live rows through the same functions:

- a regency role: an active membership in the regency of `request.tenant` (`membership_teams`,
  read once per request by `request_teams`);
- a ministry role: a `MinistryRole` in public, on the apex only (`ministry_roles`); reading needs
  the view's read roles (any ministry role when none are named), anything but GET/HEAD its write
  roles (the ministry administrator unless named);
- ownership: the applicant of an application is its `applicant_id` (`selectors.is_own_application`).

Ministry pages and API on a regency host answer 404, not 403: the regency URLconf does not mount
them, so "not found" is what that host says for every ministry path; a check answering 403 there
would tell a prober which paths are ministry pages, and would disagree with the URLconf.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeAlias

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from pintu.access.roles import MINISTRY_ADMIN_ROLES
from pintu.access.selectors import membership_teams, ministry_roles
from pintu.identity.models import MinistryRole

#: A page view (a function of the request and the URL's arguments) and the decorator that wraps one.
View: TypeAlias = Callable[..., HttpResponseBase]
ViewDecorator: TypeAlias = Callable[[View], View]
#: A page's request or an API view's (DRF's wraps Django's; both carry `user`, `tenant`, `method`).
AnyRequest: TypeAlias = HttpRequest | Request

# --- Regency roles -----------------------------------------------------------------------------


def request_teams(request: AnyRequest) -> list[tuple[str, str]]:
    """(role, agency) of the signed-in person's active memberships here, read once per request: the
    role check and the page behind it (a worklist is made of them) share the one query."""
    if not hasattr(request, "_pintu_teams"):
        request._pintu_teams = membership_teams(user=request.user)
    return request._pintu_teams


def _roles(request: AnyRequest) -> set[str]:
    if not hasattr(request, "_pintu_roles"):
        request._pintu_roles = {role for role, _ in request_teams(request)}
    return request._pintu_roles


def has_role(request: AnyRequest, *roles: str) -> bool:
    """True when the signed-in person holds one of `roles` (any role if none named) here."""
    held = _roles(request)
    return bool(held & set(roles)) if roles else bool(held)


def role_required(*roles: str, hidden: bool = False) -> ViewDecorator:
    """View decorator: sign in first, then a membership with one of `roles` in this regency.

    `hidden`: anyone else gets 404, not 403 (an applicant's scans: the path tells nothing)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request, *roles):
                if hidden:
                    raise Http404
                raise PermissionDenied(gettext("Anda tidak terdaftar sebagai petugas dengan peran ini di daerah ini."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RegencyRole(BasePermission):
    """DRF: the view's `required_roles` (or any role) in the regency of request.tenant."""

    message = gettext_lazy("Anda tidak memiliki peran di daerah ini.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return has_role(request, *getattr(view, "required_roles", ()))


# --- Ministry roles ----------------------------------------------------------------------------


def request_ministry_roles(request: AnyRequest) -> set[str]:
    """The signed-in person's ministry roles, read once per request."""
    if not hasattr(request, "_ministry_roles"):
        request._ministry_roles = ministry_roles(user=request.user)
    return request._ministry_roles


def _on_apex(request: AnyRequest) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is None or tenant.is_public


def ministry_refusal(request: AnyRequest, *, read_roles: Collection[str] = (),
                     write_roles: Collection[str] = MINISTRY_ADMIN_ROLES) -> str | None:
    """Why a signed-in person may not do this on the ministry's pages or API, or None when they may."""
    held = request_ministry_roles(request)
    if not held:
        return "Halaman ini hanya untuk petugas kementerian."
    if request.method not in SAFE_METHODS:
        if not held & set(write_roles):
            if tuple(write_roles) == MINISTRY_ADMIN_ROLES:
                return "Hanya administrator kementerian yang dapat melakukan tindakan ini."
            return "Halaman ini hanya untuk petugas kementerian dengan peran yang sesuai."
    elif read_roles and not held & set(read_roles):
        return "Halaman ini hanya untuk petugas kementerian dengan peran yang sesuai."
    return None


def ministry_role_required(*read_roles: str, write_roles: tuple[str, ...] = MINISTRY_ADMIN_ROLES) -> ViewDecorator:
    """View decorator of the ministry's pages: the apex only (404 elsewhere), signed in, then one of
    `read_roles` (any ministry role when none are named) to read and one of `write_roles` (the
    ministry administrator by default) for anything but GET/HEAD. A regency role grants nothing."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not _on_apex(request):
                raise Http404()
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            refusal = ministry_refusal(request, read_roles=read_roles, write_roles=write_roles)
            if refusal:
                raise PermissionDenied(refusal)
            request.ministry_roles = request_ministry_roles(request)
            request.is_ministry_admin = MinistryRole.Role.ADMINISTRATOR in request.ministry_roles
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class MinistryAPIRole(BasePermission):
    """DRF twin of `ministry_role_required`: the same function decides, from the view's `read_roles`
    (default: any ministry role) and `write_roles` (default: the ministry administrator)."""

    message = gettext_lazy("Hanya untuk petugas kementerian dengan peran yang sesuai, di domain utama.")
    schema_text = "a ministry role on the apex"

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not _on_apex(request):
            raise exceptions.NotFound()
        if not (request.user and request.user.is_authenticated):
            return False
        return ministry_refusal(request, read_roles=getattr(view, "read_roles", None) or (),
                                write_roles=getattr(view, "write_roles", MINISTRY_ADMIN_ROLES)) is None


class ApexOnly(BasePermission):
    """The applicant's portal API: on the apex domain only."""

    message = gettext_lazy("Portal pemohon hanya tersedia di domain utama.")
    schema_text = "the apex domain only"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return _on_apex(request)


# --- What an API view declares -----------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """Who may call an API view: its permission classes and whether a session or token is read at all.

    `pintu.api.ApiView` turns the declaration into DRF's `permission_classes` and
    `authentication_classes`; a view never sets those itself.
    """

    name: str
    permissions: tuple[type[BasePermission], ...]
    authenticate: bool = True  # False: no session or token is read (public lookups need no CSRF token)


#: Anyone, anonymously: no session or token is read (public catalog, tracking, verification, open data).
PUBLIC = Access("public", (AllowAny,), authenticate=False)
#: Anyone; a signed-in person is recognised (a complaint may be linked to its author's account).
ANYONE = Access("anyone", (AllowAny,))
#: A signed-in person; the view then narrows to their own rows (`selectors.is_own_application`) or their roles.
SIGNED_IN = Access("signed_in", (IsAuthenticated,))
#: A signed-in person on the apex (the applicant's portal across regencies).
SIGNED_IN_ON_APEX = Access("signed_in_on_apex", (ApexOnly, IsAuthenticated))
#: One of the view's `required_roles` (any role when empty) in this regency.
REGENCY_ROLE = Access("regency_role", (RegencyRole,))
#: The view's `read_roles`/`write_roles` among the ministry roles, on the apex.
MINISTRY_ROLE = Access("ministry_role", (MinistryAPIRole,))
