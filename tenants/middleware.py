"""Routes each request to its regency's schema, with the host lookup cached.

A suspended regency answers with an Indonesian page (HTTP 503), never with
its data nor another regency's.
"""
from __future__ import annotations

from django.db import connection
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_tenant_domain_model

from tenants.routing import routing_lookup


def _load(hostname: str):
    domain = get_tenant_domain_model().objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None


class RegencyMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        tenant = routing_lookup(hostname, _load)
        if tenant is None:
            raise domain_model.DoesNotExist(hostname)
        return tenant

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        if not tenant.is_public and not tenant.is_active:
            connection.set_schema_to_public()
            return render(request, "web/suspended.html", {"regency": tenant}, status=503)
        return None
