"""Fixtures for the permits domain: work inside a real regency schema."""
from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context


@pytest.fixture
def in_trenggalek(trenggalek):
    with schema_context(trenggalek.schema_name):
        yield trenggalek


@pytest.fixture
def national_2026(db):
    from pintu.national.services import national_holidays_seed

    national_holidays_seed(years=[2026])


@pytest.fixture
def mataram(db):
    from tenants.services import regency_provision

    return regency_provision(code="5271", welcome=False).regency


def sip_steps():
    return [
        {"name": "Pemeriksaan kelengkapan", "role": "front_office", "sla_working_days": 1,
         "allowed_actions": ["forward", "return"]},
        {"name": "Kajian Dinas Kesehatan", "role": "technical_team", "agency": "Dinas Kesehatan",
         "sla_working_days": 2, "allowed_actions": ["recommend", "return"], "parallel_group": "kajian"},
        {"name": "Kajian Satpol PP", "role": "technical_team", "agency": "Satpol PP",
         "sla_working_days": 1, "allowed_actions": ["recommend", "return"], "parallel_group": "kajian"},
        {"name": "Penandatanganan", "role": "signing_official", "sla_working_days": 1,
         "allowed_actions": ["approve_sign", "reject"]},
    ]


@pytest.fixture
def permit_type(in_trenggalek):
    from permits.services.catalog import permit_type_create

    return permit_type_create(code="sipb", name="Surat Izin Praktik Bidan", sla_working_days=5,
                              number_format="503/{seq:04d}/SIPB/DPM-PTSP/{year}", validity_months=60,
                              is_renewable=True)


D = dt.date
