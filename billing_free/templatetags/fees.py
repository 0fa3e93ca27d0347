"""`{% load fees %}{% cost_line permit_type %}`: the one cost sentence on receipts, tracking,
issued permits and transparency pages. Accepts a permit type, an application (its snapshot)
or an issued permit."""
from __future__ import annotations

from django import template
from django.utils.html import format_html

from permits.fees import cost_of

register = template.Library()


@register.simple_tag
def cost_line(obj):
    statement = cost_of(obj)
    css = "cost cost-free badge" if statement.is_free else "cost cost-levy"
    return format_html('<span class="{}" data-cost="{}">{}</span>', css, "free" if statement.is_free else "levy",
                       statement.text)


@register.filter
def cost_text(obj) -> str:
    """The plain sentence, for places that cannot hold markup (e.g. a title attribute)."""
    return cost_of(obj).text
