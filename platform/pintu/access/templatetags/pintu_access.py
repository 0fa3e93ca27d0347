"""Template access to the signed-in person's roles in the regency being served (for the nav)."""
from __future__ import annotations

from django import template

from pintu.access.models import Role
from pintu.access.permissions import _roles
from pintu.access.roles import AUDIT_ROLES, PROCESSING_ROLES, REGENCY_USAGE_ROLES

register = template.Library()



@register.simple_tag(takes_context=True)
def officer_nav(context) -> dict:
    """Which officer links to show; all false on the apex, for visitors, and for people without a role here."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if request is None or tenant is None or getattr(tenant, "is_public", True) or not request.user.is_authenticated:
        return {}
    roles = _roles(request)
    return {"worklist": bool(roles & set(PROCESSING_ROLES)), "counter": Role.FRONT_OFFICE in roles,
            "audit": bool(roles & set(AUDIT_ROLES)), "usage": bool(roles & set(REGENCY_USAGE_ROLES))}
