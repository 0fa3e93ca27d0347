"""Reads of the OSS integration: the administrator's code list, a regency's figures for the ministry."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import schema_context

from permits.oss.hub.models import OssCredential, OssHealth, OssInbound
from permits.oss.models import OssSend, PermitCodeMapping

if TYPE_CHECKING:
    from tenants.models import Regency


def alert_failures() -> int:
    return int(getattr(settings, "OSS_ALERT_CONSECUTIVE_FAILURES", 5))


def oss_mappings() -> QuerySet[PermitCodeMapping]:
    """Every OSS code this regency was sent or mapped, the unmapped first."""
    from django.db.models import F

    return PermitCodeMapping.objects.select_related("permit_type").order_by(
        F("permit_type").asc(nulls_first=True), "kd_izin")


def oss_inbound_recent(*, regency: Regency, limit: int = 20) -> QuerySet[OssInbound]:
    return OssInbound.objects.filter(regency=regency).order_by("-received_at")[:limit]


def oss_health_rows() -> list[dict]:
    """The ministry's list: every regency with an OSS key, its figures, and whether to raise the alarm."""
    keyed = OssCredential.objects.select_related("regency").order_by("regency__code")
    health = {h.regency_id: h for h in OssHealth.objects.all()}
    rows = []
    for credential in keyed:
        h = health.get(credential.regency_id) or OssHealth(regency=credential.regency)
        rows.append({"regency": credential.regency, "health": h, "alert": h.consecutive_failures >= alert_failures()})
    return rows


def oss_regency_detail(*, regency: Regency, limit: int = 30) -> dict:
    """One regency: files received, statuses sent, failures with their reasons, queue, last success."""
    health = OssHealth.objects.filter(regency=regency).first() or OssHealth(regency=regency)
    with schema_context(regency.schema_name):
        counts = OssSend.objects.aggregate(
            sent=Count("pk", filter=Q(status=OssSend.Status.SENT)),
            waiting=Count("pk", filter=~Q(status=OssSend.Status.SENT)),
            failed=Count("pk", filter=Q(status=OssSend.Status.FAILED)),
            oldest=Min("created_at", filter=~Q(status=OssSend.Status.SENT)))
        failures = list(OssSend.objects.exclude(status=OssSend.Status.SENT).exclude(last_error="")
                        .select_related("file").order_by("-pk")[:limit])
        files = OssSend.objects.values("file").distinct().count()
    stale = counts["oldest"] is not None and counts["oldest"] < timezone.now() - dt.timedelta(hours=1)
    return {"health": health, "counts": counts, "failures": failures, "files_reporting": files,
            "inbound": list(oss_inbound_recent(regency=regency, limit=limit)),
            "alert": health.consecutive_failures >= alert_failures() or stale}
