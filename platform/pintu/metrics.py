"""Prometheus metrics an operator can watch: /metrics on the pod (prometheus-client).

- ``pintu_http_request_duration_seconds{url_name, method, status}``: latency by URL *name* (never a
  path: paths carry registration numbers and codes);
- ``pintu_regency_requests_total{regency}``: requests per regency, by schema name — nothing of a person;
- at scrape time (``PlatformCollector``, cached ``SCRAPE_CACHE_SECONDS``): Celery queue depths, the
  age and count of pending outbox messages over every regency (measured by one scrape at most every
  ``OUTBOX_MEASURE_SECONDS`` across all pods, shared through Redis), whether the database takes
  writes, and the replication lag.

/metrics is for the scraper on the pod's address, not for the internet: with ``METRICS_TOKEN`` set it
needs ``Authorization: Bearer <token>``; without, it refuses requests that came through a proxy (an
``X-Forwarded-For`` header, which the ingress adds). Under gunicorn with several workers set
``PROMETHEUS_MULTIPROC_DIR`` so a scrape sums every worker (prometheus-client's multiprocess mode).
"""
from __future__ import annotations

import os
import threading
import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.utils.crypto import constant_time_compare

METRICS_PATH = "/metrics"
SCRAPE_CACHE_SECONDS = 15.0
_collectors_lock = threading.Lock()
_collectors: dict[str, object] = {}


def _request_collectors() -> dict[str, object]:
    """REQUEST_SECONDS and REGENCY_REQUESTS, made by the first web process that loads the middleware.

    Not at import: Django's `auth` check imports every middleware class (`manage.py check`, `migrate`,
    test processes), and prometheus-client with its registries was ~3 % of that start-up (issue #19).
    """
    with _collectors_lock:
        if not _collectors:
            from prometheus_client import Counter, Histogram

            _collectors["REQUEST_SECONDS"] = Histogram(
                "pintu_http_request_duration_seconds", "Request latency by URL name, method and status.",
                ["url_name", "method", "status"],
                buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
            )
            _collectors["REGENCY_REQUESTS"] = Counter("pintu_regency_requests", "Requests per regency (schema name).",
                                                      ["regency"])
        return _collectors


def __getattr__(name: str):
    if name in ("REQUEST_SECONDS", "REGENCY_REQUESTS"):
        return _request_collectors()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _queue_depths() -> dict[str, int]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return {}
    from pintu.health.checks import _redis_client

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    return {queue: int(_redis_client(url).llen(queue))}


#: The outbox figures, shared by every worker and pod through Redis, are measured at most this often.
OUTBOX_MEASURE_SECONDS = 30.0
_OUTBOX_KEY, _OUTBOX_LOCK = "metrics:outbox", "metrics:outbox:measuring"


def _outbox_shared() -> tuple[float, int]:
    """`_outbox()` measured at most once per OUTBOX_MEASURE_SECONDS across all pods, whoever is scraped.

    The measurement is a UNION ALL over every regency's outbox (514 schemas): run per scrape, per worker
    and per pod, it was the scrape's whole cost. Now one scrape takes a short Redis lock and measures;
    the others read the last figures (one GET, no database query). The age is aged by the time since
    it was measured, so a stuck outbox still shows its age growing between measurements.
    """
    from django.core.cache import caches

    cache = caches["platform"]
    try:
        shared = cache.get(_OUTBOX_KEY)
        now = time.time()
        if shared is not None:
            measured_at, age, pending = shared
            if now - measured_at < OUTBOX_MEASURE_SECONDS or not cache.add(_OUTBOX_LOCK, 1, OUTBOX_MEASURE_SECONDS):
                return (age + now - measured_at if pending else 0.0), pending
    except Exception:  # noqa: BLE001 - without Redis, measure here (still cached per process)
        return _outbox()
    age, pending = _outbox()
    try:
        cache.set(_OUTBOX_KEY, (time.time(), age, pending), None)
        cache.delete(_OUTBOX_LOCK)
    except Exception:  # noqa: BLE001
        pass
    return age, pending


def _outbox() -> tuple[float, int]:
    """(seconds the oldest pending message has waited, pending messages) over every regency's outbox."""
    from django_tenants.utils import get_public_schema_name, get_tenant_model

    schemas = [s for s in get_tenant_model().objects.using(DEFAULT_DB_ALIAS).exclude(
        schema_name=get_public_schema_name()).values_list("schema_name", flat=True)]
    if not schemas:
        return 0.0, 0
    parts = " UNION ALL ".join(
        f'SELECT min(created_at) AS oldest, count(*) AS pending FROM "{schema}".notify_outboxmessage '
        "WHERE status IN ('pending', 'sending')" for schema in schemas)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(oldest)), 0), COALESCE(sum(pending), 0) "
                       f"FROM ({parts}) t")
        age, pending = cursor.fetchone()
    return float(age), int(pending)


class PlatformCollector:
    """Gauges read at scrape time; each source that fails is left out (a scrape never raises)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._cache: tuple[float, list] | None = None

    def collect(self):
        now = time.monotonic()
        with self._lock:
            if self._cache is None or now - self._cache[0] > SCRAPE_CACHE_SECONDS:
                self._cache = (now, self._read())
            return list(self._cache[1])

    def _read(self) -> list:
        from prometheus_client.core import GaugeMetricFamily

        from pintu.replication import replication_lag_seconds

        families = []
        try:
            depth = GaugeMetricFamily("pintu_queue_depth", "Messages waiting in a Celery queue.", labels=["queue"])
            for queue, count in _queue_depths().items():
                depth.add_metric([queue], count)
            families.append(depth)
        except Exception:  # noqa: BLE001 - the broker down is /readyz's news, not a failed scrape
            pass
        try:
            age, pending = _outbox_shared()
            families.append(GaugeMetricFamily("pintu_outbox_oldest_pending_seconds",
                                              "Age of the oldest outbox message not yet sent.", value=age))
            families.append(GaugeMetricFamily("pintu_outbox_pending", "Outbox messages not yet sent.", value=pending))
            lag = replication_lag_seconds()
            families.append(GaugeMetricFamily("pintu_database_writable", "1 when the database takes writes.",
                                              value=1))
            if lag is not None:
                families.append(GaugeMetricFamily("pintu_replication_lag_seconds",
                                                  "Replay lag of the most lagging standby.", value=lag))
        except Exception:  # noqa: BLE001
            families.append(GaugeMetricFamily("pintu_database_writable", "1 when the database takes writes.",
                                              value=0))
            try:
                connections[DEFAULT_DB_ALIAS].close()
            except Exception:  # noqa: BLE001
                pass
        return families


_platform = PlatformCollector()


def metrics_text() -> bytes:
    from prometheus_client import CollectorRegistry, generate_latest

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in _request_collectors().values():  # Pintu's own, not the default registry's
            registry.register(collector)
    registry.register(_platform)
    return generate_latest(registry)


def _allowed(request) -> bool:
    token = os.environ.get("METRICS_TOKEN", "")
    if token:
        return constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}")
    return "X-Forwarded-For" not in request.headers


class MetricsMiddleware:
    """Answers /metrics and times every other request (sits right after the health probes)."""

    def __init__(self, get_response):
        if os.environ.get("METRICS_ENABLED", "1") == "0":
            raise MiddlewareNotUsed
        self.get_response = get_response
        collectors = _request_collectors()
        self.request_seconds, self.regency_requests = collectors["REQUEST_SECONDS"], collectors["REGENCY_REQUESTS"]

    def __call__(self, request):
        if request.path_info == METRICS_PATH:
            if not _allowed(request):
                return HttpResponse(status=404)
            from prometheus_client import CONTENT_TYPE_LATEST

            response = HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
            response["Cache-Control"] = "no-store"
            return response
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        url_name = match.view_name if match is not None and match.view_name else "unmatched"
        self.request_seconds.labels(url_name, request.method, str(response.status_code)).observe(
            time.perf_counter() - started)
        tenant = getattr(request, "tenant", None)
        self.regency_requests.labels(tenant.schema_name if tenant is not None else "none").inc()
        return response
