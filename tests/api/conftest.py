"""API clients with a token per person, on the apex or a regency's subdomain."""
from __future__ import annotations

import pytest
from django.test import Client

from pintu.identity.models import MinistryRole
from pintu.identity.services import ministry_role_grant
from tests.factories import UserFactory
from tests.services import host_of


@pytest.fixture(autouse=True)
def _no_throttle_counts_left():
    """Throttle counts live in Redis across tests; each test starts with none."""
    from django.core.cache import caches

    caches["default"].clear()
    yield


@pytest.fixture
def ministry(db):
    """ministry(role): a user holding that ministry role."""

    def make(role=MinistryRole.Role.ADMINISTRATOR, **fields):
        user = UserFactory(**fields)
        ministry_role_grant(user=user, role=role)
        return user

    return make


@pytest.fixture
def api():
    """api(regency_or_None, user=None): a client with `Authorization: Token ...` on that host.

    The token is issued for that host (tokens belong to one regency, or the apex) with the roles the
    person holds there, as POST /api/v1/auth/token/ does."""
    from django_tenants.utils import schema_context

    from pintu.access.selectors import membership_roles
    from pintu.identity.services import api_token_issue

    def make(regency=None, user=None) -> Client:
        headers = {"HTTP_HOST": host_of(regency)}
        if user is not None:
            schema = regency.schema_name if regency is not None else "public"
            roles = []
            if regency is not None:
                with schema_context(schema):
                    roles = sorted(membership_roles(user=user))
            headers["HTTP_AUTHORIZATION"] = f"Token {api_token_issue(user=user, schema_name=schema, roles=roles)[1]}"
        return Client(**headers)

    return make
