"""The one public entry to a stored file: a signed, expiring, regency-bound token URL (local disk).

Views that stream a document after their own permission check call
`pintu.storage.services.document_response` directly.
"""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from pintu.errors import DomainError
from pintu.storage.services import document_response, download_token_resolve


@require_GET
def signed_download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        key, name = download_token_resolve(token)
        return document_response(key, download_name=name)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
