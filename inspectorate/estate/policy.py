"""Pure rules about establishments: who inspects education there, capacity, probation teams.

No database access: each function takes what it needs and answers, so the programme,
planner and inspections apps can call them anywhere.
"""

from __future__ import annotations

from typing import Protocol

from inspectorate.estate.constants import Nation, Organisation

PROBATION_GROUPS = (1, 2, 3, 4)

# PG-13: Ofsted team size by probation group: (at least, at most); None means no upper
# bound. Group 4's size is set by the lead inspector, so only the lead is required.
_PROBATION_TEAM_SIZES: dict[int, tuple[int, int | None]] = {
    1: (2, None),
    2: (2, None),
    3: (2, 4),
    4: (1, None),
}


class HasNation(Protocol):
    nation: str


class HasOnSiteMaximum(Protocol):
    name: str
    max_inspectors_on_site: int | None


def education_inspectorate(establishment: HasNation) -> Organisation | None:
    """The inspectorate for education, skills and work at `establishment` (PG-10).

    Ofsted in England, Estyn in Wales. Scotland and Northern Ireland have their own
    inspectorates, outside this service: None.
    """
    if establishment.nation == Nation.ENGLAND:
        return Organisation.OFSTED
    if establishment.nation == Nation.WALES:
        return Organisation.ESTYN
    return None


def exceeds_on_site_maximum(establishment: HasOnSiteMaximum, inspectors: int) -> str | None:
    """A warning when `inspectors` on site at once exceed the establishment's maximum (PG-11).

    None when within the maximum, or when no maximum is recorded. Exceeding it is a warning,
    not a refusal: the coordinator may still go ahead.
    """
    maximum = establishment.max_inspectors_on_site
    if maximum is None or inspectors <= maximum:
        return None
    return (
        f"{inspectors} inspectors on site at {establishment.name} is more than its maximum "
        f"of {maximum}. Balance the team against the establishment's capacity."
    )


def probation_team_size_bounds(group: int) -> tuple[int, int | None]:
    """(fewest, most) Ofsted inspectors for a probation area of `group` (PG-13).

    Groups 1 and 2: at least two, no upper bound. Group 3: two to four. Group 4: set by the
    lead inspector, so only the lead is required and there is no upper bound.
    """
    try:
        return _PROBATION_TEAM_SIZES[group]
    except KeyError:
        raise ValueError(f"Probation group must be 1, 2, 3 or 4, not {group}") from None


def probation_team_size_problem(group: int, inspectors: int) -> str | None:
    """A message when `inspectors` is outside the team size for probation `group` (PG-13)."""
    fewest, most = probation_team_size_bounds(group)
    if inspectors < fewest:
        return f"A probation group {group} inspection needs at least {fewest} Ofsted inspectors."
    if most is not None and inspectors > most:
        return (
            f"A probation group {group} inspection has {fewest} to {most} Ofsted inspectors, "
            f"not {inspectors}."
        )
    return None
