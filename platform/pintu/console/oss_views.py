"""The ministry's view of the OSS integration (apex, /kementerian/oss/): per regency, files received,
statuses sent, failures with their reasons, queue depth, last success; an alert when sends keep failing."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from permits.oss.selectors import alert_failures, oss_health_rows, oss_regency_detail
from pintu.access.permissions import ministry_role_required
from tenants.models import Regency


@ministry_role_required()
def oss_overview(request):
    rows = oss_health_rows()
    return render(request, "oss/console.html", {"rows": rows, "alerts": [r for r in rows if r["alert"]],
                                                "threshold": alert_failures()})


@ministry_role_required()
def oss_regency(request, code: str):
    regency = Regency.objects.filter(code=code).first()
    if regency is None:
        raise Http404
    return render(request, "oss/console_regency.html", {"regency": regency, **oss_regency_detail(regency=regency)})
