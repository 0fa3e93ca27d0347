"""Checks every regency view and API runs: a role in *this* regency, or nothing."""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from pintu.access.selectors import membership_roles


def _roles(request) -> set[str]:
    if not hasattr(request, "_pintu_roles"):
        request._pintu_roles = membership_roles(user=request.user)
    return request._pintu_roles


def has_role(request, *roles: str) -> bool:
    """True when the signed-in person holds one of `roles` (any role if none named) here."""
    held = _roles(request)
    return bool(held & set(roles)) if roles else bool(held)


def role_required(*roles: str):
    """View decorator: sign in first, then a membership with one of `roles` in this regency."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request, *roles):
                raise PermissionDenied("Anda tidak terdaftar sebagai petugas dengan peran ini di daerah ini.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RegencyRole(BasePermission):
    """DRF: the view's `required_roles` (or any role) in the regency of request.tenant."""

    message = "Anda tidak memiliki peran di daerah ini."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return has_role(request, *getattr(view, "required_roles", ()))
