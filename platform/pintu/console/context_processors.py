"""Console bits of every page: the console link on the apex, ministry announcements on regency pages."""
from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def console(request):
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or user is None or not user.is_authenticated:
        return {}
    if tenant.is_public:
        def roles():
            from pintu.access.permissions import request_ministry_roles

            return request_ministry_roles(request)

        def is_ministry_user():
            return bool(roles())

        # ministry_roles: the role values (e.g. "inspector") for the console's own nav.
        return {"is_ministry_user": SimpleLazyObject(is_ministry_user), "ministry_roles": SimpleLazyObject(roles)}

    def current():
        from pintu.access.permissions import has_role
        from pintu.console.selectors import announcements_current

        found = announcements_current(regency=tenant)  # cached briefly; one query on a miss
        # Only officers see them; has_role reuses the page's own role lookup when it made one.
        return found if found and has_role(request) else []

    return {"announcements": SimpleLazyObject(current)}
