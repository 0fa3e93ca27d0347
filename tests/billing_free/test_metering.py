"""Usage meters: counts equal the activity, retries count once, regencies never mix."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from billing_free.models import MeterIdempotencyKey, UsageMeter
from billing_free.selectors import quota_state
from billing_free.services.api_calls import api_calls_pending
from billing_free.services.metering import meter_add, month_of
from billing_free.tasks import meters_flush
from tenants.models import Regency

MAY = dt.date(2026, 5, 1)


def used(regency, metric, month=MAY) -> int:
    return UsageMeter.objects.filter(regency=regency, month=month, metric=metric).values_list("value", flat=True).first() or 0


def test_a_seeded_month_is_counted_exactly_even_with_retried_tasks(trenggalek, blitar):
    # What the flow does in May: each event metered with its own idempotency key, from the regency's schema.
    applications = [f"application:{n}:submit" for n in range(1, 38)]
    documents = [(f"document:trenggalek/requirements/2026/05/{n:032x}.pdf", 150_000 + n) for n in range(1, 61)]
    emails = [f"message:{n}" for n in range(1, 51)]
    sms = [f"message:sms-{n}" for n in range(1, 11)]
    with schema_context(trenggalek.schema_name):
        for day, key in enumerate(applications):
            assert meter_add(regency=trenggalek, metric="applications", on=MAY + dt.timedelta(days=day % 28),
                             idempotency_key=key)
        for key, size in documents:
            meter_add(regency=trenggalek, metric="stored_bytes", amount=size, on=dt.date(2026, 5, 9), idempotency_key=key)
        for key in emails:
            meter_add(regency=trenggalek, metric="emails", on=dt.date(2026, 5, 20), idempotency_key=key)
        for key in sms:
            meter_add(regency=trenggalek, metric="sms", on=dt.date(2026, 5, 20), idempotency_key=key)
        # Celery retries: the same tasks run again (worker lost, acks late) and must not count again.
        for key in applications[:5] + emails[-7:]:
            metric = "applications" if key.startswith("application") else "emails"
            assert meter_add(regency=trenggalek, metric=metric, on=dt.date(2026, 5, 21), idempotency_key=key) is False
        for key, size in documents[:3]:
            assert meter_add(regency=trenggalek, metric="stored_bytes", amount=size, on=dt.date(2026, 5, 21),
                             idempotency_key=key) is False
    with schema_context(blitar.schema_name):
        for n in range(4):
            meter_add(regency=blitar, metric="applications", on=dt.date(2026, 5, 3), idempotency_key=f"application:{n}:submit")

    assert used(trenggalek, "applications") == len(applications) == 37
    assert used(trenggalek, "stored_bytes") == sum(size for _, size in documents)
    assert used(trenggalek, "emails") == 50
    assert used(trenggalek, "sms") == 10
    assert used(trenggalek, "whatsapp") == 0
    # The same keys in another regency are that regency's own events.
    assert used(blitar, "applications") == 4
    assert used(blitar, "emails") == 0
    lines = {line.metric: line for line in quota_state(trenggalek, MAY)}
    assert lines["applications"].used == 37 and lines["applications"].state == "ok"
    assert lines["stored_bytes"].used == sum(size for _, size in documents)


def test_a_rolled_back_event_is_not_counted_and_its_retry_is(trenggalek):
    with pytest.raises(RuntimeError), transaction.atomic():
        meter_add(regency=trenggalek, metric="applications", on=MAY, idempotency_key="application:9:submit")
        raise RuntimeError("the submission failed after metering")
    assert used(trenggalek, "applications") == 0
    assert not MeterIdempotencyKey.objects.filter(regency=trenggalek, key="application:9:submit").exists()
    assert meter_add(regency=trenggalek, metric="applications", on=MAY, idempotency_key="application:9:submit")
    assert used(trenggalek, "applications") == 1


def test_stored_bytes_carry_over_into_the_next_month(trenggalek):
    meter_add(regency=trenggalek, metric="stored_bytes", amount=1000, on=dt.date(2026, 4, 30))
    meter_add(regency=trenggalek, metric="stored_bytes", amount=500, on=dt.date(2026, 5, 2))
    meter_add(regency=trenggalek, metric="applications", amount=2, on=dt.date(2026, 4, 30))
    assert used(trenggalek, "stored_bytes", dt.date(2026, 4, 1)) == 1000
    assert used(trenggalek, "stored_bytes") == 1500
    # A monthly counter starts again at zero; a level with no activity in June still shows May's level.
    june = {line.metric: line.used for line in quota_state(trenggalek, dt.date(2026, 6, 1))}
    assert june["stored_bytes"] == 1500 and june["applications"] == 0


def test_the_month_is_the_regencys_own():
    moment = dt.datetime(2026, 5, 31, 16, 30, tzinfo=ZoneInfo("UTC"))  # 23:30 WIB, 00:30 WITA on 1 June
    assert month_of(Regency(time_zone="Asia/Jakarta"), moment) == dt.date(2026, 5, 1)
    assert month_of(Regency(time_zone="Asia/Makassar"), moment) == dt.date(2026, 6, 1)


def test_unknown_metric_is_refused_with_a_code(trenggalek):
    from billing_free.errors import MetricUnknown

    with pytest.raises(MetricUnknown) as exc:
        meter_add(regency=trenggalek, metric="faxes")
    assert exc.value.code == "metric_unknown"


def test_api_calls_are_counted_per_regency_and_flushed_once(trenggalek, blitar, client_for):
    from pintu.access.models import Role
    from tests.factories import UserFactory

    month = month_of(trenggalek)
    admin = UserFactory()
    with schema_context(trenggalek.schema_name):
        from pintu.access.services import membership_grant

        membership_grant(user=admin, role=Role.REGENCY_ADMIN)
    client = client_for(trenggalek, admin)
    for _ in range(7):
        assert client.get("/api/v1/regency/").status_code == 200
    client_for(blitar).get("/api/v1/regency/")  # refused (not signed in) but still a call on Blitar's API
    client_for(None).get("/api/v1/regencies/")  # the apex belongs to no regency
    client.get("/")  # a page, not an API call
    assert api_calls_pending() == {(trenggalek.pk, month): 7, (blitar.pk, month_of(blitar)): 1}

    result = meters_flush.apply().get()
    assert result["api_calls"] == 8
    assert used(trenggalek, "api_calls", month) == 7
    assert used(blitar, "api_calls", month_of(blitar)) == 1
    assert api_calls_pending() == {}
    assert meters_flush.apply().get()["api_calls"] == 0
    assert used(trenggalek, "api_calls", month) == 7


def test_a_flush_that_dies_before_clearing_redis_does_not_count_twice(trenggalek, monkeypatch):
    from billing_free.services import api_calls

    month = month_of(trenggalek)
    api_calls.api_call_count(regency=trenggalek, amount=5)
    client = api_calls.redis_client()
    monkeypatch.setattr(type(client), "delete", lambda self, *keys: 0)  # the worker dies after its commit
    assert api_calls.api_calls_flush() == 5
    monkeypatch.undo()
    api_calls.api_call_count(regency=trenggalek, amount=2)
    assert api_calls.api_calls_flush() == 2  # the old batch is found again but already counted
    assert used(trenggalek, "api_calls", month) == 7
    assert api_calls_pending() == {}


def test_officers_are_the_active_people_with_a_role(trenggalek, blitar, officer):
    from pintu.access.models import Membership

    verifier = officer(trenggalek, "verifier")
    officer(trenggalek, "technical_team", agency="Dinas Kesehatan")
    with schema_context(trenggalek.schema_name):
        from pintu.access.services import membership_grant

        membership_grant(user=verifier, role="front_office")  # one person, two roles: one officer
        expected = Membership.objects.filter(is_active=True).values("user_id").distinct().count()
    with schema_context(blitar.schema_name):
        expected_blitar = Membership.objects.filter(is_active=True).values("user_id").distinct().count()
    meters_flush.apply().get()
    assert used(trenggalek, "officers", month_of(trenggalek)) == expected
    assert used(blitar, "officers", month_of(blitar)) == expected_blitar
    assert expected == expected_blitar + 2
