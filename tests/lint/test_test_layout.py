"""The suite's own shape: one set of factories and builders (tests/factories.py) and shared plumbing
(tests/services.py), imported by every folder; a conftest.py holds its folder's fixtures, and no test
imports another folder's conftest (a builder hidden there is found by nobody and copied instead)."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _conftest_imports(path: Path) -> list[str]:
    """Modules `path` imports that are a conftest of another folder than its own."""
    own = ".".join(("tests", *path.parent.relative_to(TESTS).parts, "conftest")).replace("tests..", "tests.")
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        found += [name for name in names if name.split(".")[-1] == "conftest" and name != own]
    return found


def test_no_test_imports_another_folders_conftest():
    offenders = {str(path.relative_to(TESTS)): found for path in sorted(TESTS.rglob("*.py"))
                 if (found := _conftest_imports(path))}
    assert not offenders, f"import these from tests.factories or tests.services instead: {offenders}"


def test_the_check_sees_a_cross_folder_import(tmp_path, monkeypatch):
    """The check above can fail: a file importing a builder from another folder's conftest is caught."""
    folder = TESTS / "lint"
    probe = folder / "_probe_cross_conftest.py"
    probe.write_text("from tests.oss.conftest import Simulator\nfrom tests.lint.conftest import x\n")
    try:
        assert _conftest_imports(probe) == ["tests.oss.conftest"]
    finally:
        probe.unlink()


def test_builders_live_in_one_module():
    """The office builder and the single-row factories are defined once, in tests/factories.py."""
    definitions = {}
    for path in TESTS.rglob("*.py"):
        for node in ast.parse(path.read_text(), str(path)).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in (
                    "office_build", "submitted_application", "pdf_bytes", "UserFactory", "ministry_user", "wait_for",
                    "database_url", "host_of"):
                definitions.setdefault(node.name, []).append(str(path.relative_to(TESTS)))
    assert {name: len(paths) for name, paths in definitions.items()} == dict.fromkeys(definitions, 1), definitions
    assert len(definitions) == 8
