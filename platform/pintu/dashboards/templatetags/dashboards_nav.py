"""Which dashboard/portal links the header shows."""
from django import template

from pintu.access.permissions import has_role
from pintu.access.roles import DASHBOARD_ROLES

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_nav(context) -> dict:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "is_public", True):
        return {"portal": True}
    return {"regency": has_role(request, *DASHBOARD_ROLES)}
