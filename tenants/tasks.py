"""Background work about regencies. Each task runs in the schema it was queued from."""
from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection

from pintu.access.models import Membership, Role
from pintu.identity.models import User
from tenants.selectors import regency_url


@shared_task(name="tenants.regency_admin_welcome", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def regency_admin_welcome(user_id: int) -> str:
    """E-mail a new regency administrator their subdomain and role (read from the regency's schema)."""
    regency = connection.tenant
    user = User.objects.get(pk=user_id)
    roles = [m.get_role_display() for m in Membership.objects.filter(user_id=user_id, role=Role.REGENCY_ADMIN)]
    if not roles:
        return "no-membership"
    url = regency_url(regency, port="8000" if settings.PINTU_DOMAIN == "localhost" else "",
                      scheme="http" if settings.DEBUG or settings.PINTU_DOMAIN == "localhost" else "https")
    send_mail(
        subject=f"Selamat datang di Pintu — {regency.name}",
        message=(
            f"Yth. {user.full_name},\n\n"
            f"{regency.name} kini melayani perizinan daring di Pintu.\n"
            f"Alamat layanan: {url}\n"
            f"Peran Anda: {', '.join(roles)}.\n\n"
            "Masuk dengan email ini untuk mengatur katalog izin, SOP, dan petugas daerah Anda.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    return f"{connection.schema_name}:{user.email}"
