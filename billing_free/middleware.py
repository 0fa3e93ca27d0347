"""Count API calls per regency (one Redis HINCRBY per call; flushed by `meters_flush`)."""
from __future__ import annotations

from billing_free.services.api_calls import api_call_count


class ApiCallMeterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public and request.path_info.startswith("/api/"):
            api_call_count(regency=tenant)
        return response
