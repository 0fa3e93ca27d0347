"""Fault tests: each starts the real service it breaks (its own Redis, its own S3 server) and stops it."""
from __future__ import annotations

import pytest

from tests.services import FAULTS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if FAULTS["injected"]:
        terminalreporter.write_line(f"faults injected: {FAULTS['injected']}, faults survived: {FAULTS['survived']}")


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """The web server and the worker are other processes: they must see committed rows."""
    with django_db_blocker.unblock():
        yield
