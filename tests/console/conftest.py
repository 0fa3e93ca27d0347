"""Ministry users and apex clients for the console tests."""
import pytest

from pintu.identity.models import MinistryRole
from pintu.identity.services import ministry_role_grant
from tests.factories import UserFactory


@pytest.fixture
def ministry(db):
    """ministry(role): a user holding that ministry role."""

    def make(role=MinistryRole.Role.ADMINISTRATOR, **fields):
        user = UserFactory(**fields)
        ministry_role_grant(user=user, role=role)
        return user

    return make


@pytest.fixture
def ministry_admin(ministry):
    return ministry(MinistryRole.Role.ADMINISTRATOR, full_name="Rina Kementerian")


@pytest.fixture
def apex(client_for):
    """apex(user=None): a client on the apex domain, signed in as `user`."""

    def make(user=None):
        return client_for(None, user)

    return make


@pytest.fixture(autouse=True)
def _fresh_announcement_cache():
    """Cached announcement lists from rolled-back tests must not leak into the next one."""
    from pintu.console.services import _announcements_changed

    _announcements_changed()
    yield
