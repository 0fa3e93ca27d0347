"""The OpenAPI side of the API, loaded only when a host's document is asked for.

drf-spectacular's `extend_schema` builds a subclass of the schema class (`pintu.api_schema`, on
`drf_spectacular.openapi`, which imports `rest_framework.test`, `django.test` and jinja2) as each
view is decorated: ~7 % of every process's start-up (`manage.py check`, `migrate`, each worker and
test process) for a document few processes ever generate. Here `extend_schema` only notes its
arguments; `annotations_apply()` hands them to drf-spectacular's, in the order they were written,
before the first document is generated (`schema_view`), and from then on each decoration is applied
at once. API views take `extend_schema` from here; its helpers (`OpenApiParameter`, ...) still come
from `drf_spectacular.utils`, which is light.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from rest_framework.schemas.inspectors import DefaultSchema

F = TypeVar("F", bound=Callable[..., Any])

_pending: list[tuple[Callable[..., Any], dict[str, Any]]] = []
_state = {"applied": False}


def extend_schema(**kwargs: Any) -> Callable[[F], F]:
    """drf-spectacular's `extend_schema(**kwargs)`, applied when a schema is first generated."""

    def decorator(view: F) -> F:
        if _state["applied"]:
            _apply(view, kwargs)
        else:
            _pending.append((view, kwargs))
        return view

    return decorator


def _apply(view: Callable[..., Any], kwargs: dict[str, Any]) -> None:
    from drf_spectacular.utils import extend_schema as spectacular_extend_schema

    spectacular_extend_schema(**kwargs)(view)  # annotates `view` in place (a method's `kwargs`, a class's `schema`)


def annotations_apply() -> None:
    """Every annotation noted so far, in the order the decorators ran (inner before outer, methods before
    their class), as drf-spectacular would have applied them at import."""
    from rest_framework.settings import api_settings

    # The schema class first: importing it (pintu.api_schema) calls this function, which must not
    # start while an annotation is half applied (stacked decorators would swap their order).
    api_settings.DEFAULT_SCHEMA_CLASS  # noqa: B018
    _state["applied"] = True
    while _pending:
        view, kwargs = _pending.pop(0)
        _apply(view, kwargs)


class LazyDefaultSchema(DefaultSchema):
    """`APIView.schema` (DRF's `DefaultSchema`), except that reading it on the class before any schema
    machinery is loaded returns this placeholder instead of importing the schema class: DRF's router lists
    a viewset's members (`get_extra_actions`), and so read `schema` of every viewset at URLconf import.
    Once a schema is generated (`annotations_apply` has run) it answers exactly as DRF's does."""

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None and not _state["applied"]:
            return self
        return super().__get__(instance, owner)


def example(name: str, value: Any, *, summary: str = "") -> Any:
    """One response example (shared helper so views stay short): a drf-spectacular `OpenApiExample`."""
    from drf_spectacular.utils import OpenApiExample

    return OpenApiExample(name, value=value, summary=summary or name, response_only=True)


def schema_view(name: str, **initkwargs: Any) -> Callable[..., Any]:
    """drf-spectacular's view `name` (`SpectacularAPIView`, `SpectacularSwaggerSplitView`), imported on its
    first request: its module loads drf-spectacular's schema machinery."""
    built: dict[str, Callable[..., Any]] = {}

    def view(request: Any, *args: Any, **kwargs: Any) -> Any:
        if "view" not in built:
            from django.urls import get_resolver
            from drf_spectacular import views

            urlconf = initkwargs.get("urlconf")
            if urlconf:
                get_resolver(urlconf).url_patterns  # noqa: B018 (imports every API view: their annotations)
            annotations_apply()
            built["view"] = getattr(views, name).as_view(**initkwargs)
        return built["view"](request, *args, **kwargs)

    view.csrf_exempt = True  # type: ignore[attr-defined]  # as DRF's as_view() marks its views
    view.__name__ = view.__qualname__ = name
    return view
