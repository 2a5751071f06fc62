"""The estate's pure rules: education inspectorate by nation, on-site maximum, probation teams."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from inspectorate.estate.constants import Nation
from inspectorate.estate.models import Establishment
from inspectorate.estate.policy import (
    education_inspectorate,
    exceeds_on_site_maximum,
    probation_team_size_bounds,
    probation_team_size_problem,
)
from inspectorate.inspectors.constants import Organisation


@pytest.mark.rule("PG-10")
@pytest.mark.parametrize(
    ("nation", "inspectorate"),
    [
        (Nation.ENGLAND, Organisation.OFSTED),
        (Nation.WALES, Organisation.ESTYN),
        (Nation.SCOTLAND, None),
        (Nation.NORTHERN_IRELAND, None),
    ],
)
def test_the_nation_selects_the_education_inspectorate(nation, inspectorate) -> None:
    establishment = Establishment(code="X", name="HMP X", kind="prison", nation=nation)
    assert education_inspectorate(establishment) == inspectorate
    assert establishment.education_inspectorate == inspectorate


@pytest.mark.rule("PG-11")
def test_more_inspectors_than_the_maximum_is_a_warning_naming_the_site() -> None:
    leeds = Establishment(code="LE", name="HMP Leeds", max_inspectors_on_site=12)
    assert exceeds_on_site_maximum(leeds, 12) is None
    warning = exceeds_on_site_maximum(leeds, 13)
    assert warning is not None
    assert "HMP Leeds" in warning
    assert "maximum of 12" in warning


@pytest.mark.rule("PG-11")
def test_no_maximum_recorded_gives_no_warning() -> None:
    assert exceeds_on_site_maximum(Establishment(name="HMP X"), 40) is None


@pytest.mark.rule("PG-11")
@pytest.mark.django_db
def test_the_database_refuses_an_on_site_maximum_that_is_not_positive() -> None:
    with pytest.raises(IntegrityError, match="on_site_maximum_is_positive"), transaction.atomic():
        Establishment.objects.create(
            code="X", name="HMP X", kind="prison", max_inspectors_on_site=0
        )


@pytest.mark.rule("PG-13")
@pytest.mark.parametrize(
    ("group", "bounds"), [(1, (2, None)), (2, (2, None)), (3, (2, 4)), (4, (1, None))]
)
def test_probation_team_size_bounds_by_group(group, bounds) -> None:
    assert probation_team_size_bounds(group) == bounds


@pytest.mark.rule("PG-13")
@pytest.mark.parametrize("group", [0, 5, -1])
def test_there_are_only_four_probation_groups(group) -> None:
    with pytest.raises(ValueError, match="1, 2, 3 or 4"):
        probation_team_size_bounds(group)


@pytest.mark.rule("PG-13")
def test_probation_team_size_problems_are_worded() -> None:
    assert probation_team_size_problem(1, 1) == (
        "A probation group 1 inspection needs at least 2 Ofsted inspectors."
    )
    assert probation_team_size_problem(2, 7) is None  # no upper bound
    assert probation_team_size_problem(3, 4) is None
    assert "2 to 4" in (probation_team_size_problem(3, 5) or "")
    assert probation_team_size_problem(4, 9) is None  # the lead inspector sets it


@pytest.mark.rule("PG-13")
@pytest.mark.django_db
def test_the_database_keeps_probation_groups_to_probation_areas() -> None:
    with pytest.raises(IntegrityError, match="probation_group_only"), transaction.atomic():
        Establishment.objects.create(code="X", name="HMP X", kind="prison", probation_group=1)
    with pytest.raises(IntegrityError, match="probation_group_only"), transaction.atomic():
        Establishment.objects.create(code="P", name="P", kind="probation_area", probation_group=5)
    Establishment.objects.create(code="P", name="P", kind="probation_area", probation_group=4)
