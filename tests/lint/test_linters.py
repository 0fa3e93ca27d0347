"""The linters `make test` runs first (`make lint`: ruff, the import-linter layer contracts, mypy)
pass on the repository's configuration and fail on a deliberately bad file in a temporary folder."""
from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*cmd: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **env})


def test_ruff_refuses_unsorted_and_unused_imports(tmp_path):
    good = tmp_path / "good.py"
    good.write_text("import os\nimport sys\n\nprint(os.sep, sys.path)\n")
    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nimport os\nimport json\n\nprint(os.sep, sys.path)\n")
    config = str(ROOT / "pyproject.toml")
    assert _run(str(BIN / "ruff"), "check", "--no-cache", "--config", config, str(good), cwd=tmp_path).returncode == 0
    done = _run(str(BIN / "ruff"), "check", "--no-cache", "--config", config, str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert "I001" in done.stdout and "F401" in done.stdout


def _layer_tree(base: Path) -> None:
    """Every module the repository's contract names, empty, under `base`."""
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    modules = {"pintu", "tenants", "permits", "billing_free"}
    for line in parser["importlinter:contract:layers"]["layers"].split("\n"):
        modules |= {name.strip() for name in line.replace("|", ":").split(":") if name.strip()}
    for module in modules:
        parts = module.split(".")
        for depth in range(1, len(parts) + 1):
            package = base.joinpath(*parts[:depth])
            package.mkdir(exist_ok=True)
            (package / "__init__.py").touch()


def test_the_layer_contract_refuses_infrastructure_importing_a_domain_app(tmp_path):
    _layer_tree(tmp_path)
    (tmp_path / "permits" / "selectors.py").write_text("from tenants import models\n")  # downwards: allowed
    (tmp_path / "tenants" / "models.py").write_text("")
    config = str(ROOT / ".importlinter")
    kept = _run(str(BIN / "lint-imports"), "--config", config, "--no-cache", cwd=tmp_path, PYTHONPATH=str(tmp_path))
    assert kept.returncode == 0, kept.stdout + kept.stderr
    # pintu.notify -> tenants.selectors: the violation this contract was written for.
    (tmp_path / "pintu" / "notify" / "services.py").write_text("from tenants import selectors\n")
    (tmp_path / "tenants" / "selectors.py").write_text("")
    broken = _run(str(BIN / "lint-imports"), "--config", config, "--no-cache", cwd=tmp_path, PYTHONPATH=str(tmp_path))
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout and "pintu.notify is not allowed to import tenants" in broken.stdout


def test_mypy_refuses_a_wrong_keyword_to_a_service(tmp_path, mypy_cache):
    source = ("def permit_type_rename(*, code: str, name: str) -> str:\n    return code + name\n\n\n"
              "permit_type_rename(code='sip', {kw}='Surat Izin Praktik')\n")
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(source.format(kw="name"))
    bad.write_text(source.format(kw="title"))
    config = str(ROOT / "pyproject.toml")
    cache = mypy_cache
    ok = _run(str(BIN / "mypy"), "--config-file", config, "--cache-dir", cache, str(good), cwd=ROOT)
    assert ok.returncode == 0, ok.stdout
    done = _run(str(BIN / "mypy"), "--config-file", config, "--cache-dir", cache, str(bad), cwd=ROOT)
    assert done.returncode == 1
    assert 'Unexpected keyword argument "title"' in done.stdout


def test_mypy_refuses_a_service_function_without_types(tmp_path, mypy_cache):
    typed = "def permit_type_rename(*, code: str, name: str) -> str:\n    return code + name\n"
    config = str(ROOT / "pyproject.toml")
    cache = mypy_cache
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "services.py").write_text(typed)
    ok = _run(str(BIN / "mypy"), "--config-file", config, "--cache-dir", cache, str(tmp_path / "good" / "services.py"),
              cwd=ROOT)
    assert ok.returncode == 0, ok.stdout
    untyped = {
        "parameter": "def permit_type_rename(*, code, name: str) -> str:\n    return code + name\n",
        "return": "def permit_type_rename(*, code: str, name: str):\n    return code + name\n",
        "everything": "def permit_type_rename(*, code, name):\n    return code + name\n",
    }
    for what, source in untyped.items():
        folder = tmp_path / what
        folder.mkdir()
        (folder / "services.py").write_text(source)
        done = _run(str(BIN / "mypy"), "--config-file", config, "--cache-dir", cache, str(folder / "services.py"),
                    cwd=ROOT)
        assert done.returncode == 1, (what, done.stdout)
        assert "[no-untyped-def]" in done.stdout, (what, done.stdout)


def _mypy_files() -> set[Path]:
    """What `make lint`'s mypy checks: the `files` of pyproject.toml, folders and globs expanded."""
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"]
    checked: set[Path] = set()
    for pattern in patterns:
        for path in ROOT.glob(pattern):
            checked |= set(path.rglob("*.py")) if path.is_dir() else {path}
    return checked


def test_every_service_and_selector_module_is_type_checked():
    # A new app's services.py (or a new services/ package) is checked, and so fully annotated, from its first line.
    modules = {path for folder in ("platform", "permits", "tenants", "billing_free")
               for path in (ROOT / folder).rglob("*.py")
               if "migrations" not in path.parts
               and ({"services", "selectors"} & ({path.stem} | {path.parent.name}))}
    assert len(modules) > 60  # vacuous on an empty tree otherwise
    missing = sorted(str(path.relative_to(ROOT)) for path in modules - _mypy_files())
    assert missing == [], missing
