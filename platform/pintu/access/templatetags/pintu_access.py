"""Template access to the signed-in person's roles in the regency being served (for the nav)."""
from __future__ import annotations

from django import template

from pintu.access.models import Role
from pintu.access.permissions import _roles

register = template.Library()

_PROCESSING = {Role.FRONT_OFFICE, Role.VERIFIER, Role.TECHNICAL_TEAM, Role.SURVEYOR, Role.SIGNING_OFFICIAL, Role.HEAD}
_AUDIT = {Role.AUDITOR, Role.REGENCY_ADMIN, Role.HEAD}
_USAGE = {Role.REGENCY_ADMIN, Role.HEAD}  # billing_free.views.usage.regency_statement


@register.simple_tag(takes_context=True)
def officer_nav(context) -> dict:
    """Which officer links to show; all false on the apex, for visitors, and for people without a role here."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if request is None or tenant is None or getattr(tenant, "is_public", True) or not request.user.is_authenticated:
        return {}
    roles = _roles(request)
    return {"worklist": bool(roles & _PROCESSING), "counter": Role.FRONT_OFFICE in roles, "audit": bool(roles & _AUDIT),
            "usage": bool(roles & _USAGE)}
