"""OSS RBA tests: the simulator (deploy/oss_simulator) runs as a real process on a free port."""
from __future__ import annotations

import pytest

from tests.services import Simulator


@pytest.fixture
def committed(django_db_setup, django_db_blocker, database_restored):
    """For tests whose Celery worker or web server is another process: it must see committed rows."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def simulator(tmp_path, settings):
    sim = Simulator(tmp_path)
    sim.start()
    settings.OSS_BASE_URL = sim.url
    settings.OSS_USER_KEY = "kunci-pintu-di-oss"
    settings.OSS_SEND_EAGER = True  # tests drive the sender themselves (no broker task queued)
    settings.OSS_TIMEOUT_SECONDS = 2
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def apex(client_for):
    """A client on the apex domain, where OSS calls /oss/receiveNIB."""
    return client_for(None)


@pytest.fixture
def keys(trenggalek, blitar):
    from permits.oss.credentials import oss_user_key_rotate

    return {"3503": oss_user_key_rotate(regency=trenggalek), "3572": oss_user_key_rotate(regency=blitar)}
