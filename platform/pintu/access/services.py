"""Writes: officers of the current regency — invitations, roles, deactivation — and its agencies (OPD)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from pintu.access.errors import (
    InvitationCancelled,
    InvitationExpired,
    InvitationNotFound,
    InvitationUsed,
    InvitationWrongAccount,
    OfficerInvalid,
)
from pintu.access.models import Agency, Invitation, Membership, Role
from pintu.audit.services import audit_record

if TYPE_CHECKING:
    from pintu.identity.models import User

#: How long an invitation link works (days); a resend starts a new period with a new link.
INVITATION_DAYS = getattr(settings, "PINTU_INVITATION_DAYS", 7)


def agency_ensure(*, name: str) -> Agency:
    """The agency of that name, recorded if this regency did not have it yet (seed, templates, old data)."""
    name = name.strip()
    agency = Agency.objects.filter(name__iexact=name).first()
    if agency is not None:
        return agency
    base = slugify(name)[:36] or "opd"
    code, n = base, 2
    while Agency.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return Agency.objects.create(code=code, name=name)


@transaction.atomic
def membership_grant(*, user: User, role: str, agency: str = "",
                     granted_by: User | None = None) -> tuple[Membership, bool]:
    """Give `user` a role here; a technical team role must name its agency (OPD)."""
    if role not in Role.values:
        raise ValidationError({"role": [gettext("Peran '%(role)s' tidak dikenal.") % {"role": role}]})
    if role == Role.TECHNICAL_TEAM and not agency.strip():
        raise ValidationError({"agency": [gettext("Tim teknis harus menyebut instansi (OPD).")]})
    if role == Role.TECHNICAL_TEAM:
        agency = agency_ensure(name=agency).name
    membership, created = Membership.objects.get_or_create(
        user_id=user.pk, role=role, agency=agency.strip(), defaults={"is_active": True}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        created = True
    if created:
        audit_record(actor=granted_by, action="membership.grant", target=membership,
                     detail={"user": user.pk, "role": role, "agency": agency})
    return membership, created


@transaction.atomic
def membership_revoke(*, membership: Membership, revoked_by: User | None = None) -> None:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(actor=revoked_by, action="membership.revoke", target=membership,
                 detail={"user": membership.user_id, "role": membership.role})


# --- Roles as the administrator gives them: [{"role": ..., "agency": <Agency id>}] ----------------


def roles_resolve(roles: object) -> list[tuple[str, str]]:
    """Check a list of role choices (as posted: role names or {"role", "agency"} objects) and turn it into
    (role, agency name) pairs, refusing in Indonesian."""
    if not isinstance(roles, (list, tuple)) or not roles:
        raise OfficerInvalid.one("roles", "roles_required", gettext("Pilih sedikitnya satu peran."))
    pairs: list[tuple[str, str]] = []
    for item in roles:
        role = item.get("role") if isinstance(item, dict) else item
        agency_id = item.get("agency") if isinstance(item, dict) else None
        if role not in Role.values:
            raise OfficerInvalid.one("roles", "role_unknown", gettext("Peran '%(role)s' tidak dikenal.") % {"role": role})
        agency_name = ""
        if role == Role.TECHNICAL_TEAM:
            agency = Agency.objects.filter(pk=agency_id).first() if str(agency_id or "").isdigit() else None
            if agency is None:
                raise OfficerInvalid.one("agency", "agency_required",
                                         gettext("Tim teknis harus memilih instansi (OPD) dari daftar instansi daerah ini."))
            agency_name = agency.name
        if (role, agency_name) not in pairs:
            pairs.append((role, agency_name))
    return pairs


def _roles_stored(pairs: list[tuple[str, str]]) -> list[dict]:
    by_name = dict(Agency.objects.filter(name__in=[a for _, a in pairs if a]).values_list("name", "pk"))
    return [{"role": role, "agency": by_name.get(agency)} for role, agency in pairs]


def _nik_check(nik: str, pairs: list[tuple[str, str]]) -> str:
    from pintu.identity.nik import nik_validate

    nik = (nik or "").strip()
    if nik:
        try:
            nik_validate(nik)
        except ValidationError as exc:
            raise OfficerInvalid.one("nik", "nik_invalid", " ".join(exc.messages)) from exc
    elif any(role == Role.SIGNING_OFFICIAL for role, _ in pairs):
        raise OfficerInvalid.one("nik", "nik_required",
                                 gettext("Pejabat penandatangan wajib memiliki NIK (dipakai untuk tanda tangan elektronik)."))
    return nik


# --- Invitations ---------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = timezone.now() + dt.timedelta(days=INVITATION_DAYS)
    invitation.sent_at = timezone.now()
    return token


def invitation_link(token: str) -> str:
    """The absolute link of an invitation on this regency's subdomain (configured scheme and port)."""
    from pintu.tenancy import current_regency, regency_public_url

    return regency_public_url(current_regency(), f"/undangan/{token}/")


def _invitation_mail(invitation: Invitation, token: str) -> None:
    from pintu.tenancy import current_regency

    regency = current_regency()
    link = invitation_link(token)
    labels = dict(Role.choices)
    roles = ", ".join(str(labels.get(r["role"], r["role"])) for r in invitation.roles)
    expires = timezone.localtime(invitation.expires_at).strftime("%d-%m-%Y %H:%M")
    subject = f"Undangan petugas Pintu — {regency.name}"
    body = (f"Yth. {invitation.full_name or invitation.email},\n\n"
            f"Anda diundang menjadi petugas {regency.name} di Pintu dengan peran: {roles}.\n"
            f"Buka tautan berikut untuk menetapkan kata sandi atau menerima undangan dengan akun Pintu Anda:\n"
            f"{link}\n\n"
            f"Tautan ini hanya dapat dipakai sekali dan berlaku sampai {expires}.\n"
            "Bila Anda tidak merasa diundang, abaikan email ini.\n")
    email = invitation.email
    transaction.on_commit(lambda: send_mail(subject=subject, message=body, from_email=None, recipient_list=[email]))


@transaction.atomic
def invitation_create(*, email: str, roles: object, invited_by: User | None, nik: str = "",
                      full_name: str = "") -> tuple[Invitation, str]:
    """Invite a person by e-mail to hold roles here; the e-mail carries a single-use, expiring link."""
    from pintu.identity.models import User

    email = (email or "").strip().lower()
    try:
        from django.core.validators import validate_email
        validate_email(email)
    except ValidationError as exc:
        raise OfficerInvalid.one("email", "email_invalid", gettext("Alamat email tidak valid.")) from exc
    pairs = roles_resolve(roles)
    nik = _nik_check(nik, pairs)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and Membership.objects.filter(user_id=existing.pk, is_active=True).exists():
        raise OfficerInvalid.one("email", "already_officer",
                                 gettext("Orang ini sudah menjadi petugas di daerah ini: ubah perannya di daftar petugas."))
    if nik and existing is not None and existing.nik and existing.nik != nik:
        raise OfficerInvalid.one("nik", "nik_mismatch", gettext("NIK tidak sama dengan NIK akun Pintu pemilik email ini."))
    if nik and User.objects.filter(nik=nik).exclude(email__iexact=email).exists():
        raise OfficerInvalid.one("nik", "nik_taken", gettext("NIK ini sudah dipakai akun Pintu dengan email lain."))
    if Invitation.objects.select_for_update().filter(email=email, accepted_at__isnull=True,
                                                     cancelled_at__isnull=True).exists():
        raise OfficerInvalid.one("email", "already_invited",
                                 gettext("Sudah ada undangan yang menunggu untuk email ini: kirim ulang atau batalkan."))
    invitation = Invitation(email=email, full_name=(full_name or "").strip()[:150], nik=nik,
                            roles=_roles_stored(pairs), invited_by_id=getattr(invited_by, "pk", None))
    token = _new_token(invitation)
    invitation.save()
    audit_record(actor=invited_by, action="invitation.create", target=invitation,
                 detail={"email": email, "roles": invitation.roles})
    _invitation_mail(invitation, token)
    return invitation, token


def _pending(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationUsed()
    if invitation.cancelled_at is not None:
        raise InvitationCancelled()


@transaction.atomic
def invitation_link_issue(*, invitation: Invitation, actor: User | None) -> str:
    """A new link for a pending invitation (the old link stops working) and a new period; no mail."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _pending(invitation)
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    audit_record(actor=actor, action="invitation.resend", target=invitation, detail={"email": invitation.email})
    return token


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User | None) -> str:
    """Send a pending invitation again with a new link (the old link stops working) and a new period."""
    token = invitation_link_issue(invitation=invitation, actor=actor)
    invitation.refresh_from_db()
    _invitation_mail(invitation, token)
    return token


@transaction.atomic
def invitation_for_member(*, user: User, roles: list[str], invited_by: User | None = None) -> Invitation:
    """The hand-over invitation of someone already given roles here (a new regency's first administrator,
    whose account has no password yet): its link lets them set one. The link is issued when it is sent."""
    invitation = Invitation.objects.filter(email=user.email.lower(), accepted_at__isnull=True,
                                           cancelled_at__isnull=True).first()
    if invitation is not None:
        return invitation
    invitation = Invitation(email=user.email.lower(), full_name=user.full_name, roles=[{"role": r, "agency": None}
                                                                                        for r in roles],
                            invited_by_id=getattr(invited_by, "pk", None))
    _new_token(invitation)  # a placeholder nobody knows until the link is issued
    invitation.save()
    audit_record(actor=invited_by, action="invitation.create", target=invitation,
                 detail={"email": invitation.email, "roles": invitation.roles})
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, actor: User | None) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _pending(invitation)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    audit_record(actor=actor, action="invitation.cancel", target=invitation, detail={"email": invitation.email})
    return invitation


def invitation_of_token(token: str, *, for_update: bool = False) -> Invitation:
    """The invitation a link carries, refused when unknown, used, cancelled or expired."""
    rows = Invitation.objects.select_for_update() if for_update else Invitation.objects
    invitation = rows.filter(token_hash=_token_hash(token or "")).first()
    if invitation is None:
        raise InvitationNotFound()
    _pending(invitation)
    if invitation.is_expired:
        raise InvitationExpired()
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User | None = None, password: str = "", full_name: str = "") -> User:
    """Accept an invitation once: with the signed-in account of that e-mail, or by setting a password
    for a new account. Grants the invited roles here and returns the account."""
    from pintu.identity.models import User

    invitation = invitation_of_token(token, for_update=True)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None:
        if user.email.lower() != invitation.email.lower():
            raise InvitationWrongAccount()
    elif existing is not None and existing.has_usable_password():
        raise OfficerInvalid.one("password", "account_exists",
                                 gettext("Email ini sudah memiliki akun Pintu: masuk dengan akun itu untuk menerima undangan."))
    else:
        name = (full_name or invitation.full_name).strip()
        if not name:
            raise OfficerInvalid.one("full_name", "name_required", gettext("Isi nama lengkap Anda."))
        try:
            validate_password(password)
        except ValidationError as exc:
            raise OfficerInvalid(" ".join(exc.messages),
                                 fields={"password": [{"code": "password_invalid", "message": m}
                                                      for m in exc.messages]}) from exc
        if existing is not None:  # an account made for the hand-over, still without a password
            user = existing
            user.set_password(password)
            user.full_name = name[:150]
            user.save(update_fields=["password", "full_name"])
        else:
            user = User.objects.create_user(invitation.email, password, full_name=name[:150],
                                            nik=invitation.nik or None, email_verified_at=timezone.now())
    if invitation.nik and not user.nik:
        user.nik = invitation.nik
        user.save(update_fields=["nik"])
    if user.email_verified_at is None:  # the link reached this mailbox: the address is verified
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    for item in invitation.roles:
        agency = Agency.objects.filter(pk=item.get("agency")).first() if item.get("agency") else None
        if item["role"] == Role.TECHNICAL_TEAM and agency is None:
            continue  # the agency was removed since; the administrator gives the role again
        membership_grant(user=user, role=item["role"], agency=agency.name if agency else "",
                         granted_by=invitation.invited_by)
    Membership.objects.filter(user_id=user.pk).update(is_active=True)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by_id = user.pk
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, action="invitation.accept", target=invitation, detail={"email": invitation.email})
    return user


# --- Officers: roles, deactivation ------------------------------------------------------------


def _is_last_admin(user: User, *, remaining: list[tuple[str, str]] | None = None) -> bool:
    others = (Membership.objects.filter(role=Role.REGENCY_ADMIN, is_active=True).exclude(user_id=user.pk).exists())
    keeps = remaining is not None and any(role == Role.REGENCY_ADMIN for role, _ in remaining)
    return not others and not keeps


@transaction.atomic
def officer_roles_set(*, user: User, roles: object, actor: User | None) -> list[Membership]:
    """Make `user`'s roles here exactly `roles`: missing ones granted, others removed (kept in the audit log)."""
    pairs = roles_resolve(roles)
    current = list(Membership.objects.select_for_update().filter(user_id=user.pk))
    if not current:
        raise OfficerInvalid.one("roles", "not_officer", gettext("Orang ini belum menjadi petugas di daerah ini."))
    if any(role == Role.SIGNING_OFFICIAL for role, _ in pairs) and not user.nik:
        raise OfficerInvalid.one("roles", "nik_required",
                                 gettext("Pejabat penandatangan wajib memiliki NIK; akun ini belum mencatat NIK."))
    if _is_last_admin(user, remaining=pairs) and any(m.role == Role.REGENCY_ADMIN for m in current):
        raise OfficerInvalid.one("roles", "last_admin",
                                 gettext("Ini administrator instansi terakhir: tunjuk administrator lain lebih dulu."))
    active = all(m.is_active for m in current)
    before = sorted((m.role, m.agency) for m in current)
    for membership in current:
        if (membership.role, membership.agency) not in pairs:
            membership.delete()
    for role, agency in pairs:
        membership, created = Membership.objects.get_or_create(user_id=user.pk, role=role, agency=agency,
                                                               defaults={"is_active": active})
    audit_record(actor=actor, action="officer.roles_set", target=user,
                 detail={"user": user.pk, "before": before, "after": sorted(pairs)})
    return list(Membership.objects.filter(user_id=user.pk))


@transaction.atomic
def officer_deactivate(*, user: User, actor: User | None) -> int:
    """Stop a person acting here: every membership inactive, so their sessions and API tokens are refused
    on this regency from the next request (access is checked against live, active memberships)."""
    if getattr(actor, "pk", None) == user.pk:
        raise OfficerInvalid.one("user", "self_deactivate", gettext("Anda tidak dapat menonaktifkan diri sendiri."))
    rows = Membership.objects.select_for_update().filter(user_id=user.pk, is_active=True)
    if not rows.exists():
        raise OfficerInvalid.one("user", "not_active", gettext("Petugas ini tidak aktif di daerah ini."))
    if rows.filter(role=Role.REGENCY_ADMIN).exists() and _is_last_admin(user):
        raise OfficerInvalid.one("user", "last_admin",
                                 gettext("Ini administrator instansi terakhir: tunjuk administrator lain lebih dulu."))
    count = rows.update(is_active=False)
    audit_record(actor=actor, action="officer.deactivate", target=user, detail={"user": user.pk, "memberships": count})
    return count


@transaction.atomic
def officer_reactivate(*, user: User, actor: User | None) -> int:
    rows = Membership.objects.select_for_update().filter(user_id=user.pk, is_active=False)
    if not rows.exists():
        raise OfficerInvalid.one("user", "not_inactive", gettext("Petugas ini tidak sedang nonaktif di daerah ini."))
    count = rows.update(is_active=True)
    audit_record(actor=actor, action="officer.reactivate", target=user, detail={"user": user.pk, "memberships": count})
    return count
