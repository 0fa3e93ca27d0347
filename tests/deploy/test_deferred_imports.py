"""The libraries DRF only looks for at start-up (pintu.deferred_imports): importable as before, run when used."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    script = "import sys\nsys.path.insert(0, 'platform')\nfrom pintu import deferred_imports\n" + code
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_deferred_library_imports_at_once_and_runs_its_code_on_first_use():
    out = _run("deferred_imports.defer(('yaml', 'requests'))\n"
               "import yaml, requests\n"
               "print('yaml.loader' in sys.modules, 'urllib3' in sys.modules)\n"
               "from yaml import safe_dump\n"
               "print(safe_dump({'a': 1}).strip(), 'yaml.loader' in sys.modules, type(yaml).__name__)\n"
               # a submodule first: the package's own code runs first, in its own order
               "from requests.adapters import HTTPAdapter\n"
               "print(HTTPAdapter.__module__, requests.__version__ == requests.__version__, type(requests).__name__)\n")
    assert out.splitlines() == ["False False", "a: 1 True module", "requests.adapters True module"]


def test_a_library_that_is_not_installed_still_fails_to_import():
    out = _run("deferred_imports.defer(('pintu_no_such_library',))\n"
               "try:\n    import pintu_no_such_library\nexcept ImportError:\n    print('ImportError')\n")
    assert out == "ImportError"


def test_load_runs_what_is_still_deferred_and_a_missing_attribute_is_still_an_attribute_error():
    out = _run("deferred_imports.defer(('uritemplate',))\n"
               "deferred_imports.load(('uritemplate',))\n"
               "print('uritemplate.api' in sys.modules)\n"
               "import uritemplate\n"
               "print(hasattr(uritemplate, 'no_such_name'), hasattr(uritemplate, 'URITemplate'))\n")
    assert out.splitlines() == ["True", "False True"]
