"""Fixtures for billing_free: a clean alert cache, Redis counters cleared, a levy permit type."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_meter_state():
    from billing_free.services import metering
    from billing_free.services.api_calls import BATCH_PREFIX, COUNTER_KEY, redis_client

    metering._alerted.clear()
    metering._limits.clear()
    client = redis_client()
    client.delete(COUNTER_KEY, *client.scan_iter(match=BATCH_PREFIX + "*"))
    for key in client.scan_iter(match="*ratelimit:pungli-*"):
        client.delete(key)
    yield
    metering._alerted.clear()
    metering._limits.clear()


@pytest.fixture
def levy_type(trenggalek):
    """A permit type with a regional levy (PBG-like), in Trenggalek's catalog."""
    from django_tenants.utils import schema_context

    from permits.services.catalog import permit_type_create

    with schema_context(trenggalek.schema_name):
        return permit_type_create(code="pbg", name="Persetujuan Bangunan Gedung", sla_working_days=20,
                                  levy_amount="1250000", levy_regulation_number="5", levy_regulation_year=2023,
                                  levy_regulation_article="Pasal 12")


from tests.s3 import local_storage  # noqa: E402,F401 - fixture: documents on a fresh folder
