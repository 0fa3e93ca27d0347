"""Answers /healthz and /readyz before anything else looks at the host.

Kubelet probes hit the pod IP over plain HTTP: no ALLOWED_HOSTS entry, no
regency, no TLS. This middleware sits first in settings.MIDDLEWARE so none of
that applies to the two probe paths; every other request passes through.
"""
from __future__ import annotations

from django.http import JsonResponse

from pintu.health.checks import check_standby, readiness

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


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
        if path == READINESS_PATH:
            # 200 only when this pod can take writes; while the primary is down it also says whether
            # the standby serves the public reads (degraded mode), for dashboards and the runbook.
            results = readiness()
            failed = [name for name, result in results.items() if not result.ok]
            payload = {
                "status": "fail" if failed else "ok",
                "checks": {name: result.detail for name, result in results.items()},
                "failed": failed,
                "writable": results["database"].ok,
            }
            if not results["database"].ok:
                payload["standby"] = check_standby().detail
            return _json(payload, 503 if failed else 200)
        return self.get_response(request)
