"""Writes about people: sign-up (instant, never waits for an officer) and ministry roles."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django_tenants.utils import get_public_schema_name

from pintu.audit.services import audit_record
from pintu.errors import DomainError
from pintu.identity.mail import account_mail_send
from pintu.identity.models import ApiToken, MinistryRole, User
from pintu.identity.nik import nik_validate
from pintu.identity.signals import nik_recorded


class TokenRefused(DomainError):
    code = "token_refused"
    message = gettext_lazy("Token tidak dapat dibuat atau diubah.")
    status = 400


@transaction.atomic
def user_register(*, email: str, password: str, full_name: str, nik: str = "", phone: str = "") -> User:
    """Create an applicant's account at once: no officer approval, no activation wait."""
    email = User.objects.normalize_email(email).lower()
    errors: dict[str, list[str]] = {}
    nik_owner = None
    if User.objects.filter(email__iexact=email).exists():
        errors.setdefault("email", []).append("Email ini sudah terdaftar.")
    if nik:
        try:
            nik_validate(nik)
        except ValidationError as exc:
            errors.setdefault("nik", []).extend(exc.messages)
        nik_owner = User.objects.filter(nik=nik).first() if not errors.get("nik") else None
    try:
        validate_password(password)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    if nik and nik_owner is not None:
        # The same answer as for a new NIK (telling a stranger "this NIK has an account" is an oracle):
        # the account is created without the NIK, and the NIK's owner hears of it.
        account_mail_send(to=nik_owner.email, subject="NIK Anda dipakai untuk mendaftar di Pintu", body=(
            f"Yth. {nik_owner.full_name},\n\n"
            "Seseorang baru saja mendaftar akun Pintu dengan NIK yang tercatat pada akun Anda. "
            "NIK itu tidak dipasang pada akun baru tersebut dan akun Anda tidak berubah.\n"
            "Bila itu Anda sendiri, masuklah dengan akun ini. Bila bukan, tidak ada yang perlu dilakukan; "
            "hubungi kantor perizinan bila Anda merasa NIK Anda disalahgunakan.\n"))
        nik = ""
    user = User.objects.create_user(email, password, full_name=full_name, nik=nik or None, phone=phone)
    if user.nik:
        nik_recorded.send(sender=User, user=user)
    return user


def user_ensure(*, email: str, full_name: str, password: str | None = None) -> tuple[User, bool]:
    """Get or create an account by email (used by provisioning and the demo)."""
    email = email.lower()
    user = User.objects.filter(email=email).first()
    if user:
        return user, False
    return User.objects.create_user(email, password, full_name=full_name), True


def ministry_role_grant(*, user: User, role: str) -> MinistryRole:
    grant, _ = MinistryRole.objects.get_or_create(user=user, role=role)
    return grant


# --- API tokens and sessions (docs/security-findings.md, item 5) ---------------------------------

API_TOKEN_DAYS = 30


def _audit_here(*, actor: User | None, action: str, target: Model | None = None, detail: dict | None = None) -> None:
    """Audit in the regency the request runs in; the apex (public schema) has no audit log of its own."""
    if connection.schema_name != get_public_schema_name():
        audit_record(actor=actor, action=action, target=target, detail=detail)


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, schema_name: str, kind: str = ApiToken.Kind.OFFICER, roles: list[str] | None = None,
                    name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user` on one regency (or the apex); returns the row and the key, shown once."""
    if kind not in ApiToken.Kind.values:
        raise TokenRefused(gettext("Jenis token '%(kind)s' tidak dikenal. Pilih: read, officer, integration.") % {"kind": kind},
                           code="token_kind_unknown")
    roles = sorted(set(roles or []))
    if kind == ApiToken.Kind.INTEGRATION and not roles:
        raise TokenRefused(gettext("Token integrasi hanya untuk petugas yang memiliki peran di daerah ini."),
                           code="token_integration_needs_role")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_digest=api_token_digest(key), prefix=key[:8], schema_name=schema_name, kind=kind,
        roles=roles, name=name[:100],
        expires_at=timezone.now() + dt.timedelta(days=days or getattr(settings, "API_TOKEN_DAYS", API_TOKEN_DAYS)))
    _audit_here(actor=user, action="api_token.issue", detail={"token": token.pk, "kind": kind, "roles": roles})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """A person revokes one of their own tokens."""
    if token.user_id != actor.pk:
        raise TokenRefused(gettext("Token ini bukan milik Anda."), code="token_not_yours")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit_here(actor=actor, action="api_token.revoke", detail={"token": token.pk})
    return token


@transaction.atomic
def user_sign_out_everywhere(*, user: User, actor: User | None = None) -> int:
    """End every session of `user` (apex and every subdomain) and revoke all their tokens.

    Sessions end because each one's auth hash includes `session_epoch`; the tokens are marked revoked.
    Returns the number of tokens revoked. Called by the person ("Keluar dari semua perangkat") and
    by administrators who deactivate someone."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _audit_here(actor=actor or user, action="user.sign_out_everywhere", detail={"user": user.pk, "tokens": revoked})
    account_mail_send(to=user.email, subject="Anda telah keluar dari semua perangkat", body=(
        f"Yth. {user.full_name},\n\nSemua sesi akun Pintu Anda telah diakhiri dan {revoked} token API dicabut. "
        "Bila bukan Anda yang melakukannya, segera ganti kata sandi Anda.\n"))
    return revoked


#: A confirmation link works for a week; confirming twice changes nothing.
EMAIL_VERIFY_MAX_AGE = 7 * 24 * 3600


def email_verification_link(*, user: User) -> str:
    """The path of the link that confirms `user` owns their e-mail address (bound to that address)."""
    from django.core import signing
    from django.urls import reverse

    token = signing.dumps({"u": user.pk, "e": user.email}, salt="pintu.email-verify", compress=True)
    return reverse("web:email-verify", args=[token])


@transaction.atomic
def email_verify(*, token: str) -> User | None:
    """Mark the address confirmed; None when the link is forged, expired, or for an address since changed."""
    from django.core import signing
    from django.utils import timezone

    try:
        data = signing.loads(token, salt="pintu.email-verify", max_age=EMAIL_VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is not None and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user
