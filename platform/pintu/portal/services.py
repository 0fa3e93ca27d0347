"""Writes of the applicant portal: the applicant's own identity numbers (public schema)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from pintu.identity.models import User
from pintu.identity.nik import nib_is_valid, nik_validate
from pintu.identity.signals import nik_recorded
from pintu.portal.errors import NibInvalid, NikInvalid, NikTaken
from pintu.portal.models import ApplicantProfile


@transaction.atomic
def applicant_profile_update(*, user: User, nik: str = "", nib: str = "", business_name: str = "",
                             phone: str = "") -> ApplicantProfile:
    """An applicant records their NIK (checked against the official district codes) and NIB once for every regency."""
    nik, nib = (nik or "").strip(), (nib or "").strip()
    if nik:
        try:
            nik_validate(nik)
        except ValidationError as exc:
            raise NikInvalid(exc.messages[0], field="nik") from None
        if User.objects.filter(nik=nik).exclude(pk=user.pk).exists():
            raise NikTaken(field="nik")
    if nib and not nib_is_valid(nib):
        raise NibInvalid(field="nib")
    phone = (phone or "").strip()[:20]
    had_nik = user.nik
    User.objects.filter(pk=user.pk).update(nik=nik or None, phone=phone)  # one phone: the account's
    user.nik, user.phone = nik or None, phone
    if nik and nik != had_nik:
        nik_recorded.send(sender=User, user=user)
    profile, _ = ApplicantProfile.objects.get_or_create(user=user)
    profile.nib, profile.business_name, profile.phone = nib, business_name.strip()[:200], phone.strip()[:20]
    profile.save()
    return profile
