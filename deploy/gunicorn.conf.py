"""Gunicorn for Pintu's web role (the image's default command).

Everything tunable comes from the environment so the Helm chart and the
compose file size it without a rebuild.
"""
import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Threads serve the I/O-bound pages; processes use the cores. Default: 2 per core (+1), at most 8.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))  # < terminationGracePeriodSeconds
keepalive = 5  # above the ingress's idle timeout would leak sockets; below it wastes handshakes
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm"  # heartbeat files off the (possibly read-only) disk
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")  # the ingress sets X-Forwarded-*
# OSS RBA sends its key in a header named `user_key`; gunicorn drops underscored names unless they
# are listed here, and then only from forwarded_allow_ips (never `header_map = "dangerous"`, which
# would let `X_Forwarded_Proto` pose as `X-Forwarded-Proto`).
forwarder_headers = "SCRIPT_NAME,PATH_INFO,USER_KEY"
proxy_protocol = False
preload_app = False
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# One JSON object per request; the request id matches the application's log lines.
access_log_format = (
    '{"logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "host": "%({host}i)s", '
    '"request_id": "%({x-request-id}o)s"}'
)


def post_worker_init(worker):
    """Load both URLconfs (every view) and what the views import only when used (pyHanko, reportlab,
    qrcode, openpyxl, Pillow, cryptography's x509, Redis, urllib3 for OSS calls, the Celery app that queues
    tasks, drf-spectacular's schema machinery with the views' annotations, the libraries DRF only looks for
    (`pintu.deferred_imports`)) before the first request, so that
    no applicant's request pays the ~1 s import after a worker (re)starts; management commands and
    migrations skip them (tests/deploy/test_container.py)."""
    import importlib

    from django.urls import get_resolver

    for urlconf in ("pintu.urls_tenant", "pintu.urls_public"):
        get_resolver(urlconf).url_patterns  # noqa: B018 (imports the views)
    for module in ("permits.documents.signing", "permits.documents.pdf", "openpyxl", "PIL.Image",
                   "cryptography.x509", "redis", "urllib3", "pintu.celery", "drf_spectacular.views"):
        importlib.import_module(module)
    from pintu import deferred_imports

    deferred_imports.load()
    from pintu.api_docs import annotations_apply

    annotations_apply()  # the API views' schema annotations, as drf-spectacular would have at import
