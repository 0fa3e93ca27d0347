"""Optional libraries that Django REST framework imports at start-up only to learn they are installed.

`rest_framework.compat` runs `import requests`, `import yaml` and `import uritemplate` (each in a
`try: ... except ImportError`) when `rest_framework.views` is first imported, that is by every process
that loads a URLconf: `manage.py check`, `migrate`, each worker and test process (issue #19). Pintu
needs none of them there: requests (with urllib3, charset_normalizer, idna, http.cookiejar) only for
DRF's `RequestsClient` in tests, PyYAML for a YAML document or a configuration export, uritemplate for
DRF's own schemas. Together they were ~12 % of `manage.py check`.

`defer()` puts each installed one in `sys.modules` as a module whose code has not run yet: `import yaml`
still succeeds exactly when the library is installed and returns that module object, and the library's
code runs (once, under a lock) when something first reads an attribute the module does not have yet
(`yaml.safe_load`, `from yaml import dump`). One that is not installed still raises ImportError.
(`importlib.util.LazyLoader` does not do: the import statement itself reads the module's `__spec__`,
which runs a LazyLoader module at once.)
"""
from __future__ import annotations

import importlib.util
import sys
import threading
import types

DEFERRED = ("requests", "yaml", "uritemplate")

_lock = threading.RLock()
_loading: set[str] = set()
_paths: dict[str, list[str]] = {}


class _Deferred(types.ModuleType):
    """A module whose own code runs on the first read of an attribute it lacks. It has the `__spec__` that
    the import statement reads, not the `__path__` that importing a submodule reads: a package's
    submodules are imported by its own code first, in its order."""

    def __getattr__(self, attr: str):
        _run(self)
        return getattr(self, attr)


def _run(module: types.ModuleType) -> None:
    with _lock:  # another thread running it: wait, then read the attribute as usual
        name = module.__name__
        if type(module) is not _Deferred:
            return
        if name in _loading:  # its own code, running in this thread, reads what it has not defined yet
            raise AttributeError(f"partially initialized module {name!r} has no attribute yet")
        _loading.add(name)
        if name in _paths:
            module.__path__ = _paths.pop(name)
        try:
            module.__spec__.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)  # as a failed import leaves it: the next import tries again
            raise
        finally:
            _loading.discard(name)
        module.__class__ = types.ModuleType


def defer(names: tuple[str, ...] = DEFERRED) -> None:
    """Put each of `names` that is installed and not yet imported in `sys.modules`, its code not yet run."""
    for name in names:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except ImportError:  # a finder that refuses it (the runtime-only image check): as if not installed
            continue
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            continue  # not installed: `import name` raises ImportError as before
        module = importlib.util.module_from_spec(spec)
        if "__path__" in module.__dict__:
            _paths[name] = module.__dict__.pop("__path__")
        module.__class__ = _Deferred
        sys.modules[name] = module


def load(names: tuple[str, ...] = DEFERRED) -> None:
    """Run the code of each module still deferred now."""
    for name in names:
        module = sys.modules.get(name)
        if type(module) is _Deferred:
            _run(module)
