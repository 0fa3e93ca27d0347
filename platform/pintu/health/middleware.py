"""Answers /healthz and /readyz before anything else looks at the host.

Kubelet probes hit the pod IP over plain HTTP: no ALLOWED_HOSTS entry, no
regency, no TLS. This middleware sits first in settings.MIDDLEWARE so none of
that applies to the two probe paths; every other request passes through.
"""
from __future__ import annotations

from django.http import JsonResponse

from pintu.health.checks import check_standby, readiness

LIVENESS_PATH = "/healthz"
#: 200 when this pod can take writes (the primary answers and is not in recovery).
READINESS_PATH = "/readyz"
#: 200 when this pod serves: writes, or, while the primary is down, the public reads from the standby.
#: The Kubernetes readiness probe (helm/): a degraded pod stays in the Service, so verification and
#: tracking keep answering, and the pod itself answers every write with the 503 of pintu.degraded.
READS_READINESS_PATH = "/readyz/reads"


def _json(payload: dict, status: int) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/") or "/"
        if path == LIVENESS_PATH:
            # Liveness: the process answers. No I/O, so a slow database never
            # gets a healthy pod killed.
            return _json({"status": "ok"}, 200)
        if path in (READINESS_PATH, READS_READINESS_PATH):
            return _readiness(reads=path == READS_READINESS_PATH)
        return self.get_response(request)


def _readiness(*, reads: bool):
    """The checks; while the primary is down, whether the standby serves the public reads (degraded)."""
    results = readiness()
    failed = [name for name, result in results.items() if not result.ok]
    payload = {
        "status": "fail" if failed else "ok",
        "checks": {name: result.detail for name, result in results.items()},
        "failed": failed,
        "writable": results["database"].ok,
    }
    if not results["database"].ok:
        standby = check_standby()
        payload["standby"] = standby.detail
        if reads and standby.ok and failed == ["database"]:
            payload["status"] = "degraded"  # reads from the standby; writes answer 503
            return _json(payload, 200)
    return _json(payload, 503 if failed else 200)
