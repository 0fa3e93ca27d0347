"""Fault tests: each starts the real service it breaks (its own Redis, its own S3 server) and stops it."""
from __future__ import annotations

import time
from collections import Counter

import pytest

FAULTS: Counter = Counter()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if FAULTS["injected"]:
        terminalreporter.write_line(f"faults injected: {FAULTS['injected']}, faults survived: {FAULTS['survived']}")


def wait_for(predicate, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """The web server and the worker are other processes: they must see committed rows."""
    with django_db_blocker.unblock():
        yield
