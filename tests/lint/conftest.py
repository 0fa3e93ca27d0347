"""Fixtures for the linter tests."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory):
    """One mypy cache for the session's mypy runs: a cold run parses typeshed's builtins first (~4 s), so
    each test with a cache of its own paid that again. The modules under test are re-checked whenever their
    source differs from what the cache holds, so a shared cache changes no verdict."""
    return str(tmp_path_factory.mktemp("mypy-cache"))
