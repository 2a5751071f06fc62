"""TM-2: an inspector with a declared conflict with the establishment or its providers."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment, Provider, ProviderContract
from inspectorate.inspectors.models import ConflictOfInterest
from inspectorate.inspectors.selectors import conflicted_inspector_ids, conflicts_with
from inspectorate.inspectors.services import conflict_declare

WEEK = (date(2027, 6, 7), date(2027, 6, 11))


@pytest.fixture
def leeds(db):
    return Establishment.objects.create(code="LE", name="HMP Leeds", kind="prison")


@pytest.fixture
def wakefield(db):
    return Establishment.objects.create(code="WD", name="HMP Wakefield", kind="prison")


@pytest.fixture
def novus(db):
    return Provider.objects.create(name="Novus")


def _conflict(inspector, *, establishment=None, provider=None, starts_on, ends_on=None):
    return ConflictOfInterest.objects.create(
        inspector=inspector,
        establishment=establishment,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        reason="Worked there",
    )


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_a_conflict_with_the_establishment_in_force_bars_the_inspector(
    make_inspector, leeds, wakefield
) -> None:
    inspector = make_inspector()
    conflict = _conflict(inspector, establishment=leeds, starts_on=date(2020, 1, 1))
    assert conflicts_with(inspector, leeds, on=WEEK) == [conflict]
    assert conflicts_with(inspector, leeds, on=date(2020, 1, 1)) == [conflict]
    assert conflicts_with(inspector, wakefield, on=WEEK) == []
    assert conflicts_with(inspector, leeds, on=date(2019, 12, 31)) == []


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_a_conflict_that_ended_before_the_inspection_does_not_count(make_inspector, leeds) -> None:
    inspector = make_inspector()
    _conflict(inspector, establishment=leeds, starts_on=date(2020, 1, 1), ends_on=date(2027, 6, 6))
    assert conflicts_with(inspector, leeds, on=WEEK) == []
    ends_midweek = _conflict(
        inspector, establishment=leeds, starts_on=date(2027, 1, 1), ends_on=date(2027, 6, 8)
    )
    assert conflicts_with(inspector, leeds, on=WEEK) == [ends_midweek]


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_a_conflict_with_a_provider_contracted_there_bars_the_inspector(
    make_inspector, leeds, wakefield, novus
) -> None:
    inspector = make_inspector()
    conflict = _conflict(inspector, provider=novus, starts_on=date(2023, 9, 1))
    ProviderContract.objects.create(
        establishment=leeds, provider=novus, service="esw", starts_on=date(2019, 4, 1)
    )
    assert conflicts_with(inspector, leeds, on=WEEK) == [conflict]
    assert conflicts_with(inspector, wakefield, on=WEEK) == []  # no contract there


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_only_a_contract_running_during_the_range_counts(make_inspector, leeds, novus) -> None:
    inspector = make_inspector()
    _conflict(inspector, provider=novus, starts_on=date(2020, 1, 1))
    ProviderContract.objects.create(  # ended before the inspection
        establishment=leeds,
        provider=novus,
        service="esw",
        starts_on=date(2019, 4, 1),
        ends_on=date(2027, 3, 31),
    )
    ProviderContract.objects.create(  # starts after it
        establishment=leeds, provider=novus, service="library", starts_on=date(2027, 7, 1)
    )
    assert conflicts_with(inspector, leeds, on=WEEK) == []
    assert len(conflicts_with(inspector, leeds, on=date(2027, 3, 31))) == 1
    assert len(conflicts_with(inspector, leeds, on=(date(2027, 6, 7), date(2027, 7, 1)))) == 1


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_the_contract_and_the_conflict_must_meet_within_the_range(
    make_inspector, leeds, novus
) -> None:
    """Contract until 8 June, conflict from 10 June: no day has both, so no bar."""
    inspector = make_inspector()
    _conflict(inspector, provider=novus, starts_on=date(2027, 6, 10))
    ProviderContract.objects.create(
        establishment=leeds,
        provider=novus,
        service="esw",
        starts_on=date(2019, 4, 1),
        ends_on=date(2027, 6, 8),
    )
    assert conflicts_with(inspector, leeds, on=WEEK) == []


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_a_whole_team_is_checked_in_one_query(
    make_inspector, leeds, novus, django_assert_num_queries
) -> None:
    direct, via_provider, clear = make_inspector(), make_inspector(), make_inspector()
    _conflict(direct, establishment=leeds, starts_on=date(2020, 1, 1))
    _conflict(via_provider, provider=novus, starts_on=date(2020, 1, 1))
    ProviderContract.objects.create(
        establishment=leeds, provider=novus, service="esw", starts_on=date(2019, 4, 1)
    )
    with django_assert_num_queries(1):
        ids = conflicted_inspector_ids(leeds, WEEK, [direct, via_provider, clear])
    assert ids == {direct.pk, via_provider.pk}


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_a_conflict_names_exactly_one_of_establishment_and_provider(
    make_inspector, leeds, novus
) -> None:
    inspector = make_inspector()
    with pytest.raises(IntegrityError), transaction.atomic():
        _conflict(inspector, establishment=leeds, provider=novus, starts_on=date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        _conflict(inspector, starts_on=date(2020, 1, 1))


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_declaring_a_conflict(make_inspector, make_user, leeds, novus) -> None:
    inspector = make_inspector()
    scheduler = make_user(Role.OFSTED_SCHEDULER)
    conflict = conflict_declare(
        actor=scheduler,
        inspector=inspector,
        establishment=leeds,
        starts_on=date(2024, 1, 1),
        reason="  Former governor  ",
    )
    assert conflict.reason == "Former governor"
    with pytest.raises(ValidationError) as error:
        conflict_declare(
            actor=scheduler,
            inspector=inspector,
            establishment=leeds,
            provider=novus,
            starts_on=date(2024, 1, 1),
            reason="Both",
        )
    assert error.value.message_dict == {
        "establishment": ["Choose either an establishment or a provider, not both"]
    }
    with pytest.raises(PermissionDenied):
        conflict_declare(
            actor=make_user(Role.HMIP_INSPECTOR, username="self"),
            inspector=inspector,
            establishment=leeds,
            starts_on=date(2024, 1, 1),
            reason="Not allowed",
        )
    assert ConflictOfInterest.objects.count() == 1
