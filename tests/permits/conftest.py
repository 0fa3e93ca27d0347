"""Fixtures for the permits domain: work inside a real regency schema."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def national_2026(db):
    from pintu.national.services import national_holidays_seed

    national_holidays_seed(years=[2026])


@pytest.fixture
def permit_type(in_trenggalek):
    from permits.services.catalog import permit_type_create

    return permit_type_create(code="sipb", name="Surat Izin Praktik Bidan", sla_working_days=5,
                              number_format="503/{seq:04d}/SIPB/DPM-PTSP/{year}", validity_months=60,
                              is_renewable=True)


D = dt.date
