"""Quotas: generous defaults, ministry overrides, one warning at 80 %, never blocking an applicant."""
import datetime as dt

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from billing_free.errors import MinistryAdministratorRequired, QuotaInvalid
from billing_free.models import MinistryLogEntry, QuotaAlert
from billing_free.selectors import quota_state
from billing_free.services.metering import (
    DEFAULT_QUOTAS,
    meter_add,
    month_of,
    quota_set,
    sms_allowed,
    upload_accepted,
)

TRENGGALEK_ADMIN = "admin@trenggalek.localhost"


def _meter(regency, metric, n, *, on=None, capture, prefix="event"):
    for i in range(n):
        with capture(execute=True):
            meter_add(regency=regency, metric=metric, on=on, idempotency_key=f"{prefix}:{metric}:{on}:{i}")


def test_defaults_are_generous_and_every_metric_is_ok_at_zero(trenggalek):
    lines = quota_state(trenggalek)
    assert [line.metric for line in lines] == ["applications", "stored_bytes", "officers", "api_calls", "emails",
                                               "sms", "whatsapp"]
    assert all(line.state == "ok" and line.limit == DEFAULT_QUOTAS[line.metric] for line in lines)
    assert DEFAULT_QUOTAS["applications"] >= 10_000


def test_warning_at_80_percent_is_sent_once_to_the_regency_administrators(
        trenggalek, blitar, ministry_admin, eager_celery, django_capture_on_commit_callbacks):
    quota_set(actor=ministry_admin, regency=trenggalek, metric="applications", limit=10)
    _meter(trenggalek, "applications", 7, capture=django_capture_on_commit_callbacks)
    assert not QuotaAlert.objects.filter(regency=trenggalek).exists() and mail.outbox == []

    _meter(trenggalek, "applications", 1, capture=django_capture_on_commit_callbacks, prefix="eighth")  # 8/10 = 80 %
    assert len(mail.outbox) == 1
    warning = mail.outbox[0]
    assert warning.to == [TRENGGALEK_ADMIN]
    assert "80%" in warning.subject and "Permohonan" in warning.subject
    assert "8 dari kuota 10" in warning.body and "Rp 0" in warning.body

    _meter(trenggalek, "applications", 1, capture=django_capture_on_commit_callbacks, prefix="ninth")  # 90 %
    assert len(mail.outbox) == 1
    alerts = QuotaAlert.objects.filter(regency=trenggalek, metric="applications")
    assert list(alerts.values_list("level", flat=True)) == ["warning"]
    assert alerts.get().sent_at is not None and alerts.get().recipients == [TRENGGALEK_ADMIN]

    state = {line.metric: line for line in quota_state(trenggalek)}["applications"]
    assert (state.used, state.limit, state.percent, state.state) == (9, 10, 90.0, "warning")
    # Blitar's default quota is untouched.
    assert {line.metric: line for line in quota_state(blitar)}["applications"].limit == DEFAULT_QUOTAS["applications"]


def test_the_warning_comes_again_next_month_but_only_once(trenggalek, ministry_admin, eager_celery,
                                                           django_capture_on_commit_callbacks):
    quota_set(actor=ministry_admin, regency=trenggalek, metric="emails", limit=5)
    _meter(trenggalek, "emails", 4, on=dt.date(2026, 5, 10), capture=django_capture_on_commit_callbacks)
    _meter(trenggalek, "emails", 5, on=dt.date(2026, 6, 10), capture=django_capture_on_commit_callbacks)
    levels = sorted(QuotaAlert.objects.filter(regency=trenggalek, metric="emails").values_list("month", "level"))
    assert levels == [(dt.date(2026, 5, 1), "warning"), (dt.date(2026, 6, 1), "over"), (dt.date(2026, 6, 1), "warning")]
    assert len(mail.outbox) == 3


def test_a_retried_alert_task_sends_nothing_twice(trenggalek, ministry_admin, eager_celery,
                                                  django_capture_on_commit_callbacks):
    from billing_free.tasks import quota_alert_send

    quota_set(actor=ministry_admin, regency=trenggalek, metric="whatsapp", limit=1)
    _meter(trenggalek, "whatsapp", 1, capture=django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    for alert in QuotaAlert.objects.filter(regency=trenggalek, metric="whatsapp"):
        assert quota_alert_send.apply(args=[alert.pk]).get() == "already-sent"
    assert len(mail.outbox) == sent == 2  # warning and over, each once


def test_sms_falls_back_to_email_past_the_quota_but_only_for_that_regency(trenggalek, blitar, ministry_admin):
    quota_set(actor=ministry_admin, regency=trenggalek, metric="sms", limit=3)
    for i in range(2):
        meter_add(regency=trenggalek, metric="sms", idempotency_key=f"message:{i}")
    assert sms_allowed(trenggalek)
    meter_add(regency=trenggalek, metric="sms", idempotency_key="message:2")
    assert sms_allowed(trenggalek) is False
    assert sms_allowed(trenggalek, channel="whatsapp")
    assert sms_allowed(blitar)
    assert {line.metric: line.state for line in quota_state(trenggalek)}["sms"] == "over"


def test_uploads_past_the_storage_quota_are_accepted_and_the_ministry_is_alerted(
        trenggalek, ministry_admin, eager_celery, django_capture_on_commit_callbacks):
    quota_set(actor=ministry_admin, regency=trenggalek, metric="stored_bytes", limit=1_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload_accepted(regency=trenggalek, size=700_000, idempotency_key="document:a")
    with django_capture_on_commit_callbacks(execute=True):
        assert upload_accepted(regency=trenggalek, size=400_000, idempotency_key="document:b")
    assert {line.metric: line.state for line in quota_state(trenggalek)}["stored_bytes"] == "over"
    over = [m for m in mail.outbox if "melampaui kuota" in m.subject]
    assert len(over) == 1
    assert set(over[0].to) == {TRENGGALEK_ADMIN, ministry_admin.email}
    assert "unggahan tetap diterima" in over[0].body
    # The 80 % warning went to the regency only.
    warning = [m for m in mail.outbox if m not in over]
    assert warning and all(ministry_admin.email not in m.to for m in warning)


def test_only_ministry_administrators_set_quotas_and_it_is_logged(trenggalek, inspector, ministry_admin):
    admin = type(ministry_admin).objects.get(email=TRENGGALEK_ADMIN)
    for person in (admin, inspector):
        with pytest.raises(MinistryAdministratorRequired):
            quota_set(actor=person, regency=trenggalek, metric="applications", limit=5)
    with pytest.raises(QuotaInvalid):
        quota_set(actor=ministry_admin, regency=trenggalek, metric="applications", limit=0)
    quota_set(actor=ministry_admin, regency=None, metric="officers", limit=150)
    assert {line.metric: line.limit for line in quota_state(trenggalek)}["officers"] == 150
    entry = MinistryLogEntry.objects.filter(action="quota.set").first()
    assert entry.actor == ministry_admin and entry.detail == {"metric": "officers", "limit": 150, "regency": None}


def test_meter_in_the_regency_month_not_the_servers(trenggalek):
    assert month_of(trenggalek).day == 1
    with schema_context(trenggalek.schema_name):
        assert meter_add(regency=trenggalek, metric="applications")
    assert {line.metric: line.used for line in quota_state(trenggalek)}["applications"] == 1
