"""/metrics: latency by URL name and status, requests per regency, queues, outbox; nothing personal."""
from __future__ import annotations

from django.test import Client


def _metrics(**headers) -> tuple[int, str]:
    response = Client().get("/metrics", **headers)
    return response.status_code, response.content.decode()


def test_metrics_count_requests_by_url_name_status_and_regency_without_personal_data(client_for, trenggalek, blitar,
                                                                                      applicant):
    client = client_for(trenggalek, applicant)
    assert client.get("/izin/").status_code == 200
    assert client.get("/lacak/?nomor=3503-2026-999123&kode=RAHASIA9").status_code == 200
    assert client_for(blitar).get("/izin/tidak-ada/").status_code == 404
    status, text = _metrics()
    assert status == 200
    assert 'pintu_http_request_duration_seconds_count{method="GET",status="200",url_name="permits:catalog"}' in text
    assert 'url_name="permits:track"' in text and 'status="404",url_name="permits:permit-type"' in text
    assert 'pintu_regency_requests_total{regency="trenggalek"}' in text
    assert 'pintu_regency_requests_total{regency="kota_blitar"}' in text
    assert "pintu_outbox_pending" in text and "pintu_outbox_oldest_pending_seconds" in text
    assert 'pintu_queue_depth{queue="' in text and "pintu_database_writable 1.0" in text
    for personal in ("3503-2026-999123", "RAHASIA9", applicant.email, "/lacak/"):
        assert personal not in text


def test_outbox_age_counts_a_pending_message_of_any_regency(trenggalek, blitar):
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from pintu import metrics
    from pintu.notify.models import OutboxMessage

    connection.set_tenant(blitar)
    OutboxMessage.objects.create(key="metrics-test:1:email", event=OutboxMessage._meta.get_field("event").choices[0][0],
                                 channel="email", recipient="x@contoh.id", body="-",
                                 next_attempt_at=timezone.now(), created_at=timezone.now() - dt.timedelta(minutes=10))
    connection.set_schema_to_public()
    age, pending = metrics._outbox()
    assert pending >= 1 and 590 <= age < 3600  # now() is the transaction's start, a moment earlier


def test_metrics_are_not_served_through_the_ingress_or_without_the_token(monkeypatch):
    assert _metrics(HTTP_X_FORWARDED_FOR="203.0.113.9")[0] == 404
    monkeypatch.setenv("METRICS_TOKEN", "s3cret-scrape")
    assert _metrics()[0] == 404
    assert _metrics(HTTP_AUTHORIZATION="Bearer s3cret-scrape")[0] == 200


def test_a_scrape_reads_the_shared_outbox_figures_without_a_query_across_regencies(
        trenggalek, blitar, django_assert_max_num_queries, monkeypatch):
    """The UNION ALL over every regency's outbox runs once per OUTBOX_MEASURE_SECONDS for all pods."""
    from django.core.cache import caches

    from pintu import metrics

    caches["platform"].delete(metrics._OUTBOX_KEY)
    metrics._platform._cache = None
    unions = []
    real = metrics._outbox
    monkeypatch.setattr(metrics, "_outbox", lambda: unions.append(1) or real())
    assert _metrics()[0] == 200
    assert unions == [1]
    for _ in range(3):  # other workers and pods: their own process cache is empty
        metrics._platform._cache = None
        with django_assert_max_num_queries(2) as captured:  # the replication lag (2), nothing per regency
            status, text = _metrics()
        assert status == 200 and "pintu_outbox_pending" in text
        assert not any("notify_outboxmessage" in query["sql"] for query in captured.captured_queries)
    assert unions == [1]
    measured_at, age, pending = caches["platform"].get(metrics._OUTBOX_KEY)
    caches["platform"].set(metrics._OUTBOX_KEY, (measured_at - metrics.OUTBOX_MEASURE_SECONDS - 1, age, pending), None)
    metrics._platform._cache = None
    assert _metrics()[0] == 200 and unions == [1, 1]  # stale: the next scrape measures again
