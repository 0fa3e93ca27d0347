"""Who may open the ministry's pages of billing_free (apex domain only)."""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pintu.identity.selectors import user_ministry_roles


def ministry_role_required(*roles: str):
    """Apex only; signed in; one of the ministry `roles`. A regency role grants nothing here."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            tenant = getattr(request, "tenant", None)
            if tenant is None or not tenant.is_public:
                raise Http404()
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            held = user_ministry_roles(user=request.user)
            if not held & set(roles):
                raise PermissionDenied("Halaman ini hanya untuk petugas kementerian dengan peran yang sesuai.")
            request.ministry_roles = held
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
