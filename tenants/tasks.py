"""Background work about regencies. Each task runs in the schema it was queued from."""
from __future__ import annotations

from django.core.mail import send_mail
from django.db import connection
from django.utils import timezone

from pintu.access.models import Membership, Role
from pintu.access.selectors import invitation_pending_list
from pintu.access.services import invitation_link, invitation_link_issue
from pintu.celery import shared_task
from pintu.identity.models import User
from tenants.selectors import current_regency, regency_public_url


@shared_task(name="tenants.regency_admin_welcome", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def regency_admin_welcome(user_id: int) -> str:
    """E-mail a new regency administrator their subdomain, role and, while they have not accepted it,
    a fresh invitation link to set their password (read from the regency's schema)."""
    regency = current_regency()
    user = User.objects.get(pk=user_id)
    roles = [m.get_role_display() for m in Membership.objects.filter(user_id=user_id, role=Role.REGENCY_ADMIN)]
    if not roles:
        return "no-membership"
    url = regency_public_url(regency, "/")  # the platform's configured scheme and port (PUBLIC_URL_*)
    invitation = invitation_pending_list().filter(email=user.email.lower()).first()
    if invitation is not None:
        link = invitation_link(invitation_link_issue(invitation=invitation, actor=None))
        invitation.refresh_from_db()
        expires = timezone.localtime(invitation.expires_at).strftime("%d-%m-%Y %H:%M")
        access = (f"Tetapkan kata sandi Anda lewat tautan berikut (sekali pakai, berlaku sampai {expires}):\n"
                  f"{link}\n\n")
    else:
        access = f"Masuk dengan email ini di {url}pengaturan/ (lupa kata sandi: {url}lupa-sandi/).\n\n"
    send_mail(
        subject=f"Selamat datang di Pintu — {regency.name}",
        message=(
            f"Yth. {user.full_name},\n\n"
            f"{regency.name} kini melayani perizinan daring di Pintu.\n"
            f"Alamat layanan: {url}\n"
            f"Peran Anda: {', '.join(roles)}.\n\n"
            + access +
            "Di /pengaturan/ Anda mengatur katalog izin, SOP, instansi (OPD), dan mengundang petugas daerah "
            f"Anda ({url}pengaturan/petugas/).\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    return f"{connection.schema_name}:{user.email}"
