"""Fault tests: each starts the real service it breaks (its own Redis, its own S3 server) and stops it."""
from __future__ import annotations

import pytest

from tests.services import FAULTS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if FAULTS["injected"]:
        terminalreporter.write_line(f"faults injected: {FAULTS['injected']}, faults survived: {FAULTS['survived']}")


@pytest.fixture
def committed(django_db_setup, django_db_blocker, database_restored):
    """The web server and the worker are other processes: they must see committed rows."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def standby_cluster(django_db_setup):
    """A real primary and synchronous standby (tests/faults/replication.py) loaded with the test database,
    built once for the module: initdb, the dump and load, and pg_basebackup took ~16-20 s, paid by each
    test. Each test leaves `a` the primary and `b` its synchronous standby, as built; `cluster` checks that."""
    from tests.faults.replication import Cluster
    from tests.services import database_url, free_port

    cluster = Cluster(database_url(), (free_port(), free_port()))
    try:
        cluster.build()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def cluster(standby_cluster, committed):
    """The module's primary and standby, rebuilt first when an earlier test left them otherwise (it failed
    half-way through a failover): every test starts from a primary `a` and a streaming synchronous standby `b`."""
    if not standby_cluster.ready():
        standby_cluster.rebuild()
    return standby_cluster
