"""Routes each request to its regency's schema, with the host lookup cached.

A suspended regency answers with an Indonesian page (HTTP 503), never with
its data nor another regency's.

Per request this costs no query of its own: the host -> regency answer comes
from the process cache (tenants.routing), and the `SET search_path` that
django-tenants issues on the first cursor of every request is skipped when
the persistent connection already has that regency's path (with
TENANT_LIMIT_SET_CALLS).

It also keeps its Python small (bench/routing.py counts instructions per
request): the database wrapper is taken once from `connections` rather than
through the `django.db.connection` proxy, whose every attribute is a
context-local lookup, and settings are read once per process, like Django's
SecurityMiddleware does (each `settings.X` costs a few microseconds, and
django-tenants' URL routing reads a setting Pintu leaves unset, an
AttributeError raised and caught on every request).
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponseNotFound, HttpResponsePermanentRedirect
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name, get_tenant_domain_model, has_multi_type_tenants

from tenants.routing import routing_lookup, schema_activate


def _load(hostname: str):
    connections[DEFAULT_DB_ALIAS].set_schema_to_public()
    domain = get_tenant_domain_model().objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None


class RegencyMiddleware(TenantMainMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.public_schema = get_public_schema_name()
        self.public_urlconf = getattr(settings, "PUBLIC_SCHEMA_URLCONF", None)
        self.multi_type = has_multi_type_tenants()
        self.www_apex = f"www.{settings.PINTU_DOMAIN}"

    @staticmethod
    def hostname_from_request(request):
        """The request's host without its port, exactly as sent (lower-cased).

        django-tenants strips a leading `www.`, so `www.kota-blitar.<domain>` answered as Kota Blitar
        (docs/security-findings.md, item 6); only the exact hosts of the Domain table name a regency."""
        return request.get_host().split(":")[0].lower()

    def get_tenant(self, domain_model, hostname):
        tenant = routing_lookup(hostname, _load)
        if tenant is None:
            raise domain_model.DoesNotExist(hostname)
        return tenant

    def process_request(self, request):
        database = connections[DEFAULT_DB_ALIAS]  # django-tenants routes the default alias too
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return HttpResponseNotFound()
        tenant = routing_lookup(hostname, _load)
        if tenant is None:
            database.set_schema_to_public()
            if hostname == self.www_apex:  # www.<apex> is the apex; www.<regency> is no host of ours
                return HttpResponsePermanentRedirect(request.build_absolute_uri().replace(
                    "//" + request.get_host(), "//" + request.get_host()[len("www."):], 1))
            return self.no_tenant_found(request, hostname)
        tenant.domain_url = hostname
        request.tenant = tenant
        schema_activate(database, tenant)
        self.setup_url_routing(request)
        if not tenant.is_public and not tenant.is_active:
            database.set_schema_to_public()
            return render(request, "web/suspended.html", {"regency": tenant}, status=503)
        return None

    def setup_url_routing(self, request, force_public=False):
        """The apex (public schema) gets PUBLIC_SCHEMA_URLCONF; a regency keeps ROOT_URLCONF."""
        if self.multi_type:  # several kinds of tenant (TENANT_TYPES): django-tenants' own rules
            return super().setup_url_routing(request, force_public)
        if self.public_urlconf and (force_public or request.tenant.schema_name == self.public_schema):
            request.urlconf = self.public_urlconf
        return None
