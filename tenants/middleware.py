"""Routes each request to its regency's schema, with the host lookup cached.

A suspended regency answers with an Indonesian page (HTTP 503), never with
its data nor another regency's.

Per request this costs no query of its own: the host -> regency answer comes
from the process cache (tenants.routing), and the `SET search_path` that
django-tenants issues on the first cursor of every request is skipped when
the persistent connection already has that regency's path (with
TENANT_LIMIT_SET_CALLS).
"""
from __future__ import annotations

from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponseNotFound
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_tenant_domain_model

from tenants.routing import routing_lookup, schema_activate


def _load(hostname: str):
    connection.set_schema_to_public()
    domain = get_tenant_domain_model().objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None


class RegencyMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        tenant = routing_lookup(hostname, _load)
        if tenant is None:
            raise domain_model.DoesNotExist(hostname)
        return tenant

    def process_request(self, request):
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return HttpResponseNotFound()
        tenant = routing_lookup(hostname, _load)
        if tenant is None:
            connection.set_schema_to_public()
            return self.no_tenant_found(request, hostname)
        tenant.domain_url = hostname
        request.tenant = tenant
        schema_activate(connection, tenant)
        self.setup_url_routing(request)
        if not tenant.is_public and not tenant.is_active:
            connection.set_schema_to_public()
            return render(request, "web/suspended.html", {"regency": tenant}, status=503)
        return None
