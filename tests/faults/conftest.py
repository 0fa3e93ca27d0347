"""Fault tests: each starts the real service it breaks (its own Redis, its own S3 server) and stops it."""
from __future__ import annotations

from collections import Counter

from tests.permits.conftest import in_trenggalek  # noqa: F401 - fixture

FAULTS: Counter = Counter()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if FAULTS["injected"]:
        terminalreporter.write_line(f"faults injected: {FAULTS['injected']}, faults survived: {FAULTS['survived']}")
