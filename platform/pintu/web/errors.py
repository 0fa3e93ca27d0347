"""The 500 handler: a database that cannot be reached is a 503 with a clear Indonesian message.

PostgreSQL restarting (a failover, a maintenance window) makes every query raise OperationalError
or InterfaceError, in a view or in a middleware (the regency's search_path). That is not a bug in
the request: the person should read "try again shortly", an API client should get a structured 503
with Retry-After, and nothing should be rendered that needs the database (no context processors).
With CONN_HEALTH_CHECKS the next request opens a fresh connection, so the app recovers by itself.
"""
from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

UNAVAILABLE_MESSAGE = ("Layanan sedang tidak dapat menghubungi basis data. Data Anda aman; silakan coba lagi "
                       "dalam beberapa saat.")
RETRY_AFTER_SECONDS = "30"


def server_error(request, *args, **kwargs):
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "service_unavailable", "message": UNAVAILABLE_MESSAGE}, status=503)
        else:
            response = HttpResponse(loader.get_template("503.html").render({"message": UNAVAILABLE_MESSAGE}),
                                    status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    return django_server_error(request, *args, **kwargs)


NOT_FOUND_MESSAGE = "Alamat API ini tidak ada di domain ini."


def page_not_found(request, exception, *args, **kwargs):
    """An API path no route matches answers the API's error shape (JSON), not the HTML page."""
    from django.views.defaults import page_not_found as django_page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": NOT_FOUND_MESSAGE}, status=404)
    return django_page_not_found(request, exception, *args, **kwargs)
