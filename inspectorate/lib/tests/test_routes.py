from types import ModuleType

import pytest

from inspectorate.lib.routes import routes


def _module(name: str, **attributes: object) -> ModuleType:
    module = ModuleType(name)
    for attribute, value in attributes.items():
        setattr(module, attribute, value)
    return module


def view(request: object) -> None:
    return None


def test_a_table_gives_one_pattern_a_line_in_order_with_the_prefix() -> None:
    views = _module("views", first=view, second=view)

    patterns = routes(
        """
        ""        first   first-name
        # a comment line is passed over
        <int:pk>/ second  second-name
        """,
        views,
        prefix="events/",
    )

    assert [(str(p.pattern), p.name) for p in patterns] == [
        ("events/", "first-name"),
        ("events/<int:pk>/", "second-name"),
    ]


def test_a_line_without_three_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="three columns"):
        routes("only/ two", _module("views", two=view))


def test_a_view_found_in_two_modules_is_refused() -> None:
    with pytest.raises(LookupError):
        routes("a/ shared a", _module("one", shared=view), _module("two", shared=view))
