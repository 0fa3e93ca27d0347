import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pintu.identity.nik import nik_validate

TODAY = dt.date(2026, 11, 25)


def test_valid_male_nik_decodes_district_and_birth_date():
    info = nik_validate("3503011204850001", today=TODAY)  # Trenggalek district 350301, born 12-04-1985
    assert info.regency_name == "Kab. Trenggalek"
    assert info.birth_date == dt.date(1985, 4, 12)
    assert info.is_female is False


def test_woman_has_forty_added_to_the_day():
    info = nik_validate("3503015204850002", today=TODAY)  # day 52 -> 12
    assert info.is_female is True
    assert info.birth_date == dt.date(1985, 4, 12)


def test_two_digit_year_picks_the_century_that_is_not_in_the_future():
    assert nik_validate("3503010101100001", today=TODAY).birth_date == dt.date(2010, 1, 1)
    assert nik_validate("3503010101300001", today=TODAY).birth_date == dt.date(1930, 1, 1)


@pytest.mark.parametrize(
    "nik, code",
    [
        ("350301120485000", "nik_format"),      # 15 digits
        ("35030112048500011", "nik_format"),    # 17 digits
        ("35030112048500A1", "nik_format"),     # a letter
        ("", "nik_format"),
        ("9999011204850001", "nik_region"),     # no such province
        ("3503991204850001", "nik_region"),     # no such district in Trenggalek
        ("3503013204850001", "nik_birth_date"),  # day 32
        ("3503017204850001", "nik_birth_date"),  # woman, day 72 -> 32
        ("3503010013850001", "nik_birth_date"),  # month 13
        ("3503013002850001", "nik_birth_date"),  # 30 February
        ("3503012902010001", "nik_birth_date"),  # 29 February 2001 / 1901
        ("3503011204850000", "nik_serial"),
    ],
)
def test_invalid_niks_are_refused_with_a_reason(nik, code):
    with pytest.raises(ValidationError) as exc:
        nik_validate(nik, today=TODAY)
    assert exc.value.code == code
    assert exc.value.messages[0]  # an Indonesian sentence for the person


def test_leap_day_is_accepted_in_a_leap_year():
    assert nik_validate("3503012902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)
