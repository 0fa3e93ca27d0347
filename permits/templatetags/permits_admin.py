"""Template helpers of the administrators' pages: the nav link, and one form field rendered plainly."""
from __future__ import annotations

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect

from pintu.access.permissions import _roles
from pintu.access.roles import CONFIG_READ_ROLES

register = template.Library()



@register.simple_tag(takes_context=True)
def can_configure(context) -> bool:
    """Show "Pengaturan": on a regency subdomain, to its administrators (auditors and the head read it)."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if request is None or tenant is None or getattr(tenant, "is_public", True) or not request.user.is_authenticated:
        return False
    return bool(_roles(request) & set(CONFIG_READ_ROLES))


@register.filter
def widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, CheckboxInput):
        return "checkbox"
    if isinstance(widget, (CheckboxSelectMultiple, RadioSelect)):
        return "choices"
    return "input"


@register.filter
def size_kb(kb) -> str:
    """1536 -> '1,5 MB', 500 -> '500 KB' (the way offices write limits)."""
    try:
        kb = int(kb)
    except (TypeError, ValueError):
        return ""
    if kb < 1024:
        return f"{kb} KB"
    return f"{kb / 1024:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


@register.filter
def bytes_mb(size) -> str:
    """A stored file's size as applicants read it: 838860 -> '0,8 MB'."""
    from pintu.storage.validation import format_megabytes

    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    return format_megabytes(max(size, 103 * 1024))


@register.filter
def size_mb(kb) -> str:
    """512 -> '0,5 MB', 1024 -> '1 MB': the limit as applicants read it (a phone photo is 2-5 MB)."""
    from pintu.storage.validation import format_megabytes

    try:
        kb = int(kb)
    except (TypeError, ValueError):
        return ""
    return format_megabytes(max(kb, 103) * 1024)  # never "0 MB": at least 0,1 MB
