"""URL patterns and router registrations written as tables, one route a line.

A urls module lists its routes as a table instead of one `path(...)` call each:

    urlpatterns = routes(
        '''
        ""            case_list     case-list
        <int:pk>/     case_detail   case-detail
        ''',
        views,
    )

Each line is `route  view  name`, separated by white space; `""` is the empty route. The view
is an attribute of one of the given modules (exactly one, so a table never means two things);
a class-based view is turned into a view with `as_view()`. `prefix=` is written once for
routes that all start alike. Blank lines and lines starting with `#` are passed over.
"""

from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from django.urls import URLPattern, path
from rest_framework.routers import BaseRouter

EMPTY_ROUTE = '""'


def _rows(table: str) -> Iterator[tuple[str, str, str]]:
    for line in table.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if len(words) != 3:
            raise ValueError(f"A route table line has three columns: {line.strip()!r}")
        route, attribute, name = words
        yield ("" if route == EMPTY_ROUTE else route), attribute, name


def _attribute(attribute: str, modules: tuple[ModuleType, ...]) -> Any:
    found = [getattr(module, attribute) for module in modules if hasattr(module, attribute)]
    if len(found) != 1:
        names = ", ".join(module.__name__ for module in modules)
        raise LookupError(f"{attribute!r} must be in exactly one of {names}")
    return found[0]


def _view(attribute: str, modules: tuple[ModuleType, ...]) -> Callable[..., Any]:
    view = _attribute(attribute, modules)
    if isinstance(view, type):
        return view.as_view()  # type: ignore[attr-defined]
    return view


def routes(table: str, *modules: ModuleType, prefix: str = "") -> list[URLPattern]:
    """The URL patterns of a table of `route  view  name` lines, in the table's order.

    `prefix` is put before every route of the table (the part they all share).
    """
    return [
        path(prefix + route, _view(attribute, modules), name=name)
        for route, attribute, name in _rows(table)
    ]


def register(router: BaseRouter, table: str, *modules: ModuleType) -> None:
    """Register each `prefix  ViewSet  basename` line of a table with the router, in order."""
    for prefix, attribute, basename in _rows(table):
        router.register(prefix, _attribute(attribute, modules), basename=basename)
