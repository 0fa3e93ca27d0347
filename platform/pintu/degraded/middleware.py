"""Degraded mode at the door: stale-tolerant public reads go to the standby, everything else gets a 503.

Sits before ``RegencyMiddleware`` so that even the host -> regency lookup (on a cache miss) reads
from the standby. Without ``STANDBY_DATABASE_URL`` it removes itself (``MiddlewareNotUsed``); then a
lost primary is the generic 503 of ``pintu.web.errors``.
"""
from __future__ import annotations

import re

from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from pintu.degraded.state import primary_available, reading_from_standby, standby_configured

#: Pages whose data may be seconds stale and that write nothing: served from the standby.
#: Verification also takes a POSTed file (compared with the stored hash, nothing saved).
STANDBY_READS = re.compile(
    r"^/(?:izin/(?:[-\w]+/)?"
    r"|lacak/"
    r"|verifikasi/[^/]+/"
    r"|transparansi/"
    r"|api/v1/(?:tracking/|verification/[^/]+/|catalog/permit-types/(?:[-\w]+/)?)"
    r")$"
)
RETRY_AFTER_SECONDS = "60"
MODE_HEADER = "Pintu-Mode"


def maintenance_message() -> str:
    return _("Layanan sedang pemeliharaan: basis data utama tidak dapat dihubungi, pengajuan permohonan baru "
             "dihentikan sementara. Data Anda aman; silakan coba lagi dalam beberapa saat.")


def maintenance_response(request) -> HttpResponse:
    """503 with Retry-After; JSON under /api/; a posted form comes back filled in (its files must be re-chosen)."""
    message = maintenance_message()
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "maintenance", "message": message,
                                 "retry_after": int(RETRY_AFTER_SECONDS)}, status=503)
    else:
        fields = []
        if request.method == "POST":
            fields = [(name, value) for name, values in request.POST.lists() for value in values]
        html = loader.get_template("degraded/maintenance.html").render(
            {"message": message, "fields": fields, "action": request.get_full_path(),
             "had_files": bool(request.method == "POST" and request.FILES)})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    response["Cache-Control"] = "no-store"
    response[MODE_HEADER] = "degraded"
    return response


class DegradedModeMiddleware:
    def __init__(self, get_response):
        if not standby_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if primary_available():
            return self.get_response(request)
        if request.method not in ("GET", "HEAD", "POST") or not STANDBY_READS.match(request.path_info):
            return maintenance_response(request)
        if request.method == "POST" and not request.path_info.startswith("/verifikasi/"):
            return maintenance_response(request)
        token = reading_from_standby.set(True)
        try:
            response = self.get_response(request)
        finally:
            reading_from_standby.reset(token)
        response[MODE_HEADER] = "degraded"
        response["Cache-Control"] = "no-store"
        return response
