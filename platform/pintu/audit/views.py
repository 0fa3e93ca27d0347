"""The audit log, browsed by the regency's auditors, administrators and head."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pintu.access.permissions import role_required
from pintu.access.roles import AUDIT_ROLES
from pintu.audit.models import AuditEntry
from pintu.audit.services import audit_state

PAGE_SIZE = 50


@require_GET
@role_required(*AUDIT_ROLES)
def audit_log(request):
    action = request.GET.get("aksi", "").strip()
    entries = AuditEntry.objects.select_related("actor").order_by("-seq")
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("halaman"))
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    return render(request, "audit/log.html", {
        "page": page, "action": action, "actions": list(actions), "chain": audit_state(),
    })
