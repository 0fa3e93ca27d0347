from tests.permits.conftest import in_trenggalek, mataram  # noqa: F401  (fixtures)
from tests.permits.flow.conftest import office  # noqa: F401
