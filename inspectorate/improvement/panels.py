"""What the improvement cases add to lower apps' pages (inspectorate.lib.contributions):
the establishment's cases, a programme's re-inspections due, the letters due. Imported by
the app's ready()."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspectorate.estate.models import Establishment
from inspectorate.estate.pages import establishment_page
from inspectorate.improvement.selectors import (
    establishment_cases,
    letters_due,
    reinspection_windows,
)
from inspectorate.programme.models import Programme
from inspectorate.programme.pages import deadlines_page, programme_page


@establishment_page.register
def improvement_cases(establishment: Establishment, user: Any) -> dict[str, Any]:
    """The establishment's cases (SC-9)."""
    return {"improvement_cases": establishment_cases(user, establishment)}


@programme_page.register
def reinspections_due(programme: Programme, user: Any) -> dict[str, Any]:
    """SC-7, SC-8, SC-9: the re-inspections the improvement cases make due in the year."""
    return {
        "reinspection_windows": [
            case
            for case in reinspection_windows(user)
            if case.reinspection_from <= programme.ends_on  # type: ignore[operator]
            and case.reinspection_to >= programme.starts_on  # type: ignore[operator]
        ]
    }


@deadlines_page.register
def visit_letters_due(user: Any, by: date) -> dict[str, Any]:
    """SC-4: the letters of the user's improvement visits due by `by`."""
    return {"letters_due": letters_due(user, by=by)}
