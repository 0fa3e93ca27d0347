"""Writes about people: sign-up (instant, never waits for an officer) and ministry roles."""
from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from pintu.identity.mail import account_mail_send
from pintu.identity.models import MinistryRole, User
from pintu.identity.nik import nik_validate


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
    return User.objects.create_user(email, password, full_name=full_name, nik=nik or None, phone=phone)


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
