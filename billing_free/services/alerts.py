"""Delivering quota alerts: to the regency's administrators, and to the ministry when storage overflows."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django_tenants.utils import schema_context

from billing_free.models import Metric, QuotaAlert
from permits.documents.text import month_name

if TYPE_CHECKING:
    from tenants.models import Regency



def month_label(month: dt.date) -> str:
    return f"{month_name(month.month)} {month.year}"


def amount_label(metric: str, value: int) -> str:
    if metric == Metric.STORED_BYTES:
        return str(filesizeformat(value)).replace("\xa0", " ")
    return f"{value:,}".replace(",", ".")


def regency_admin_emails(regency: Regency) -> list[str]:
    """Active regency administrators and heads of `regency`, read from its own schema."""
    from pintu.access.models import Membership
    from pintu.access.roles import LEADERSHIP_ROLES
    from pintu.identity.models import User

    with schema_context(regency.schema_name):
        user_ids = list(Membership.objects.filter(is_active=True, role__in=LEADERSHIP_ROLES)
                        .values_list("user_id", flat=True))
    return sorted(set(User.objects.filter(pk__in=user_ids, is_active=True).values_list("email", flat=True)))


def ministry_admin_emails() -> list[str]:
    from pintu.identity.models import MinistryRole

    return sorted(set(MinistryRole.objects.filter(role=MinistryRole.Role.ADMINISTRATOR, user__is_active=True)
                      .values_list("user__email", flat=True)))


def ministry_alert(alert: QuotaAlert) -> bool:
    """Uploads past the storage quota are still accepted; the ministry is told instead."""
    return alert.metric == Metric.STORED_BYTES and alert.level == QuotaAlert.Level.OVER


def quota_alert_deliver(*, alert_pk: int) -> str:
    """Send one alert once (a retried or re-queued task sends nothing twice)."""
    with transaction.atomic():
        alert = QuotaAlert.objects.select_for_update(of=("self",)).select_related("regency").filter(pk=alert_pk).first()
        if alert is None:
            return "missing"
        if alert.sent_at is not None:
            return "already-sent"
        regency = alert.regency
        metric_label = Metric(alert.metric).label
        used, limit = amount_label(alert.metric, alert.used), amount_label(alert.metric, alert.limit)
        percent = int(alert.used * 100 / alert.limit)
        if alert.level == QuotaAlert.Level.WARNING:
            subject = f"Pemakaian {metric_label} {regency.name} mencapai {percent}% kuota — {month_label(alert.month)}"
            body = (f"Pemakaian {metric_label} {regency.name} bulan {month_label(alert.month)} telah mencapai "
                    f"{used} dari kuota {limit} ({percent}%).\n\n"
                    "Layanan tetap berjalan seperti biasa dan tidak ada biaya (Rp 0). Lihat rincian pada halaman "
                    "Pemakaian di subdomain daerah Anda.\n")
        else:
            subject = f"Pemakaian {metric_label} {regency.name} melampaui kuota — {month_label(alert.month)}"
            body = (f"Pemakaian {metric_label} {regency.name} bulan {month_label(alert.month)} telah mencapai "
                    f"{used}, melampaui kuota {limit}.\n\n"
                    "Pemohon tidak pernah dihentikan di tengah permohonan: unggahan tetap diterima, dan pesan "
                    "SMS/WhatsApp dialihkan ke email. Tidak ada biaya (Rp 0). Hubungi kementerian bila kuota perlu "
                    "ditambah.\n")
        recipients = regency_admin_emails(regency)
        if ministry_alert(alert):
            recipients = sorted(set(recipients) | set(ministry_admin_emails()))
        if recipients:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)
        alert.sent_at, alert.recipients = timezone.now(), recipients
        alert.save(update_fields=["sent_at", "recipients"])
    return f"sent:{len(recipients)}"
