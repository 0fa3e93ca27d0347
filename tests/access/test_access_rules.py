"""pintu.access decides who may do what: the ministry rule the pages and the API share, ownership, role groups."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from rest_framework import exceptions

from pintu.access import roles
from pintu.access.models import Role
from pintu.access.permissions import MinistryAPIRole, ministry_refusal, ministry_role_required
from pintu.access.selectors import is_own_application, ministry_role_holds, ministry_roles
from pintu.identity.models import MinistryRole
from pintu.identity.services import ministry_role_grant
from tests.factories import UserFactory

ADMIN, ANALYST, INSPECTOR = MinistryRole.Role.ADMINISTRATOR, MinistryRole.Role.ANALYST, MinistryRole.Role.INSPECTOR
APEX, REGENCY = SimpleNamespace(is_public=True), SimpleNamespace(is_public=False)


def _request(method="get", *, user=None, tenant=APEX):
    request = getattr(RequestFactory(), method)("/kementerian/uji/")
    request.user = user if user is not None else AnonymousUser()
    request.tenant = tenant
    return request


def _holder(*held):
    user = UserFactory()
    for role in held:
        ministry_role_grant(user=user, role=role)
    return user


@ministry_role_required()
def _console_page(request):
    return HttpResponse(f"admin={request.is_ministry_admin}")


@ministry_role_required(*roles.PUNGLI_ROLES, write_roles=roles.PUNGLI_ROLES)
def _pungli_page(request):
    return HttpResponse("ok")


@pytest.mark.django_db
def test_a_ministry_page_is_not_found_on_a_regency_host_even_for_the_ministry():
    with pytest.raises(Http404):
        _console_page(_request(user=_holder(ADMIN), tenant=REGENCY))


@pytest.mark.django_db
def test_a_ministry_page_sends_a_visitor_to_sign_in_and_refuses_people_without_a_ministry_role():
    assert _console_page(_request()).status_code == 302
    with pytest.raises(PermissionDenied, match="hanya untuk petugas kementerian"):
        _console_page(_request(user=UserFactory()))


@pytest.mark.django_db
def test_any_ministry_role_reads_the_console_and_only_the_administrator_writes():
    analyst, admin = _holder(ANALYST), _holder(ADMIN)
    assert _console_page(_request(user=analyst)).content == b"admin=False"
    with pytest.raises(PermissionDenied, match="Hanya administrator kementerian"):
        _console_page(_request("post", user=analyst))
    assert _console_page(_request("post", user=admin)).content == b"admin=True"


@pytest.mark.django_db
def test_named_roles_read_and_write_their_pages_and_nobody_else_does():
    inspector, admin = _holder(INSPECTOR), _holder(ADMIN)
    assert _pungli_page(_request("post", user=inspector)).status_code == 200
    for method in ("get", "post"):
        with pytest.raises(PermissionDenied, match="peran yang sesuai"):
            _pungli_page(_request(method, user=admin))


@pytest.mark.django_db
def test_the_api_permission_decides_with_the_same_rule_as_the_pages():
    analyst = _holder(ANALYST)
    permission = MinistryAPIRole()
    view = SimpleNamespace()  # no read_roles/write_roles: the console's defaults
    for method in ("get", "post"):
        request = _request(method, user=analyst)
        expected = ministry_refusal(request) is None
        assert permission.has_permission(request, view) is expected
    assert permission.has_permission(_request(user=analyst), view) is True
    assert permission.has_permission(_request("post", user=analyst), view) is False
    pungli = SimpleNamespace(read_roles=roles.PUNGLI_ROLES, write_roles=roles.PUNGLI_ROLES)
    assert permission.has_permission(_request(user=analyst), pungli) is False
    assert permission.has_permission(_request(user=AnonymousUser()), view) is False
    with pytest.raises(exceptions.NotFound):  # the same 404 as the pages off the apex
        permission.has_permission(_request(user=analyst, tenant=REGENCY), view)


@pytest.mark.django_db
def test_one_selector_answers_which_ministry_roles_a_person_holds():
    both = _holder(ANALYST, INSPECTOR)
    assert ministry_roles(user=both) == {ANALYST, INSPECTOR}
    assert ministry_roles(user=UserFactory()) == set() and ministry_roles(user=AnonymousUser()) == set()
    assert ministry_role_holds(user=both, roles=roles.PUNGLI_ROLES)
    assert not ministry_role_holds(user=both, roles=roles.MINISTRY_ADMIN_ROLES)
    assert not ministry_role_holds(user=None, roles=roles.MINISTRY_ADMIN_ROLES)


def test_an_application_is_its_applicants_own_and_a_counter_file_is_nobodys():
    applicant, other = SimpleNamespace(pk=7), SimpleNamespace(pk=8)
    assert is_own_application(user=applicant, application=SimpleNamespace(applicant_id=7))
    assert not is_own_application(user=other, application=SimpleNamespace(applicant_id=7))
    assert not is_own_application(user=SimpleNamespace(pk=None), application=SimpleNamespace(applicant_id=None))
    assert not is_own_application(user=AnonymousUser(), application=SimpleNamespace(applicant_id=7))
    assert not is_own_application(user=applicant, application=None)


def test_role_groups_hold_real_roles_and_keep_their_relations():
    regency_groups = [v for k, v in vars(roles).items() if k.endswith("_ROLES") and not k.startswith(
        ("MINISTRY", "USAGE", "PUNGLI"))]
    for group in regency_groups:
        assert group and set(group) <= set(Role.values), group
    for group in (roles.MINISTRY_ADMIN_ROLES, roles.USAGE_READ_ROLES, roles.PUNGLI_ROLES,
                  roles.PUNGLI_STATISTICS_ROLES):
        assert group and set(group) <= set(MinistryRole.Role.values), group
    assert set(roles.PROCESSING_ROLES) < set(roles.OFFICE_ROLES)
    assert Role.REGENCY_ADMIN not in roles.PROCESSING_ROLES  # administrators configure, they do not process
    assert MinistryRole.Role.ADMINISTRATOR not in roles.PUNGLI_ROLES  # reports are for inspectors only
