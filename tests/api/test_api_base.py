"""Every API view derives from pintu.api.ApiView, which sets permissions, authentication and errors."""
from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from pintu.access.permissions import MINISTRY_ROLE, PUBLIC, REGENCY_ROLE, Access, MinistryAPIRole, RegencyRole
from pintu.api import ApiView, exception_handler

# drf-spectacular's schema and documentation views: third-party, public by SPECTACULAR_SETTINGS.
THIRD_PARTY = ("drf_spectacular.",)


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _api_views(urlconf: str):
    for path, callback in _patterns(get_resolver(urlconf)):
        cls = getattr(callback, "cls", None)
        if cls is not None and issubclass(cls, APIView) and not cls.__module__.startswith(THIRD_PARTY):
            yield path, cls


@pytest.mark.parametrize("urlconf", ["pintu.urls_public", "pintu.urls_tenant"])
def test_every_api_view_on_every_url_derives_from_the_base_and_declares_its_access(urlconf):
    views = list(_api_views(urlconf))
    assert len(views) > 20, views  # the walk finds the API (it would pass vacuously on an empty list)
    outside = [(path, f"{cls.__module__}.{cls.__qualname__}") for path, cls in views if not issubclass(cls, ApiView)]
    assert outside == []
    for path, cls in views:
        assert isinstance(cls.access, Access), path
        assert cls.permission_classes == list(cls.access.permissions), path
        assert cls().get_exception_handler() is exception_handler, path


def test_the_urls_walked_include_the_regency_ministry_and_public_api():
    tenant = {cls for _, cls in _api_views("pintu.urls_tenant")}
    public = {cls for _, cls in _api_views("pintu.urls_public")}
    assert any(cls.access is REGENCY_ROLE for cls in tenant)
    assert any(cls.access is PUBLIC for cls in tenant)
    assert any(cls.access is MINISTRY_ROLE for cls in public)


@pytest.mark.parametrize("attribute, value", [
    ("permission_classes", [AllowAny]),
    ("authentication_classes", []),
    ("get_exception_handler", lambda self: None),
    ("handle_exception", lambda self, exc: None),
    ("get_permissions", lambda self: []),
])
def test_a_subclass_overriding_permissions_authentication_or_errors_is_refused(attribute, value):
    with pytest.raises(ImproperlyConfigured, match=attribute):
        type("Sneaky", (ApiView, ListAPIView), {"access": REGENCY_ROLE, attribute: value})


def test_a_subclass_of_a_subclass_is_checked_too():
    class Officers(ApiView):
        access = REGENCY_ROLE

    with pytest.raises(ImproperlyConfigured, match="permission_classes"):
        type("Wider", (Officers,), {"permission_classes": [IsAuthenticated]})


def test_a_view_without_access_cannot_be_served_and_access_must_be_declared_with_access():
    class Forgetful(ApiView):
        pass

    with pytest.raises(ImproperlyConfigured, match="declares no `access`"):
        Forgetful.as_view()
    with pytest.raises(ImproperlyConfigured, match="must be a pintu.access.permissions.Access"):
        type("Raw", (ApiView,), {"access": IsAuthenticated})


def test_access_sets_permission_and_authentication_classes():
    class Open(ApiView):
        access = PUBLIC

    class Ministry(ApiView):
        access = MINISTRY_ROLE

    class Regency(ApiView):
        access = REGENCY_ROLE

    assert Open.permission_classes == [AllowAny] and Open.authentication_classes == []
    assert Ministry.permission_classes == [MinistryAPIRole] and Ministry.authentication_classes
    assert Regency.permission_classes == [RegencyRole]
