"""Indonesian month names come from Django's own locale, whatever language the page is in."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation

from permits.documents.text import date_id, datetime_id, month_name


def test_month_names_are_djangos_indonesian_ones_even_on_an_english_page():
    with translation.override("en"):
        assert [month_name(m) for m in range(1, 13)] == [
            "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
            "Oktober", "November", "Desember"]
        assert date_id(dt.date(2025, 8, 17)) == "17 Agustus 2025"
        moment = dt.datetime(2025, 1, 5, 6, 30, tzinfo=ZoneInfo("UTC"))
        assert datetime_id(moment, "Asia/Makassar") == "5 Januari 2025 pukul 14.30 WITA"
