"""Context that higher apps contribute to a lower app's page.

A page of a lower app (the establishment page, an event's overview) shows panels whose data
belongs to apps built on it (improvement cases, the inspection record's tabs). The lower app
declares one `PageContributions` per page and merges `contributions.context(...)` into the
page's context; each higher app registers a contributor from its AppConfig.ready(), as the
establishment timeline's sources do. The page's template decides where each panel shows, so
the order of registration changes nothing on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, ParamSpec

P = ParamSpec("P")

Contributor = Callable[P, Mapping[str, Any]]


class PageContributions(Generic[P]):
    """The contributors to one page's context, each called with the page's own arguments."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.contributors: list[Contributor[P]] = []

    def register(self, contributor: Contributor[P]) -> Contributor[P]:
        """Add a contributor (usable as a decorator); adding one twice adds it once."""
        if contributor not in self.contributors:
            self.contributors.append(contributor)
        return contributor

    def context(self, *args: P.args, **kwargs: P.kwargs) -> dict[str, Any]:
        """Every contributor's context for the page, merged."""
        merged: dict[str, Any] = {}
        for contributor in self.contributors:
            merged.update(contributor(*args, **kwargs))
        return merged

    def __repr__(self) -> str:
        return f"<PageContributions of {self.page}: {len(self.contributors)}>"
