"""Who may open the ministry console: a signed-in person holding a ministry role; writes need an administrator."""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from pintu.console.selectors import ministry_roles
from pintu.identity.models import MinistryRole


def request_ministry_roles(request) -> set[str]:
    if not hasattr(request, "_ministry_roles"):
        request._ministry_roles = ministry_roles(user=request.user)
    return request._ministry_roles


def ministry_role_required(*, write: bool = False):
    """View decorator: any ministry role to read; the administrator role to change anything (any POST)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            tenant = getattr(request, "tenant", None)
            if tenant is not None and not tenant.is_public:
                raise PermissionDenied("Konsol kementerian hanya tersedia di domain utama.")
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            roles = request_ministry_roles(request)
            if not roles:
                raise PermissionDenied("Halaman ini hanya untuk petugas kementerian.")
            if (write or request.method not in ("GET", "HEAD")) and MinistryRole.Role.ADMINISTRATOR not in roles:
                raise PermissionDenied("Hanya administrator kementerian yang dapat melakukan tindakan ini.")
            request.is_ministry_admin = MinistryRole.Role.ADMINISTRATOR in roles
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class MinistryAPIRole(BasePermission):
    """DRF twin of the pages' checks: apex only, signed in, a ministry role; writes need the write roles.

    A view sets `read_roles` (default: any ministry role, as the console pages) and `write_roles`
    (default: the ministry administrator, as any POST on the console). A regency role grants nothing.
    """

    message = "Hanya untuk petugas kementerian dengan peran yang sesuai, di domain utama."
    schema_text = "a ministry role on the apex"

    def has_permission(self, request, view) -> bool:
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public:
            return False
        if not (request.user and request.user.is_authenticated):
            return False
        roles = request_ministry_roles(request)
        read_roles = getattr(view, "read_roles", None)
        allowed = set(read_roles) if read_roles else set(MinistryRole.Role.values)
        if request.method not in SAFE_METHODS:
            allowed = set(getattr(view, "write_roles", (MinistryRole.Role.ADMINISTRATOR,)))
        return bool(roles & allowed)
