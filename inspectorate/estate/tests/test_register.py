"""The register brought up to date: every establishment with its status (open, closed with
its date, renamed from), each fact with its source and the date it was checked; closed
establishments shown as closed and never planned."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.estate.constants import EstablishmentStatus, FactKind
from inspectorate.estate.models import Establishment, RegisterFact
from inspectorate.estate.register import (
    REGISTER_SOURCE,
    EstablishmentRecord,
    establishment_records,
    open_establishments,
    register_changes,
    register_establishments,
)
from inspectorate.estate.services import establishments_load_register
from inspectorate.planner.selectors import PlanParameters, planning_data
from inspectorate.planner.tests.db_helpers import PLANNING_DAY, planning_setup
from inspectorate.programme.constants import EventKind
from inspectorate.programme.services import event_schedule

HEADER = "prison\tchange\tdate\tname\toperator\tsource\tchecked\n"


def _records() -> dict[str, EstablishmentRecord]:
    return {record.code: record for record in establishment_records()}


def test_blantyre_house_glen_parva_and_medway_are_closed_with_their_sources() -> None:
    records = _records()
    blantyre = records["BH"]
    assert blantyre.name == "HMP Blantyre House"  # the register's name lacked the prefix
    assert blantyre.closed_on == date(2016, 1, 1)
    closed = [fact for fact in blantyre.facts if fact.kind == FactKind.CLOSED]
    assert [(f.precision, f.source, f.checked_on) for f in closed] == [
        ("month", "http://w.owiki.org/wiki/HM_Prison_Blantyre_House", date(2026, 12, 7))
    ]
    assert records["GP"].closed_on == date(2017, 1, 1)
    assert records["MW"].closed_on == date(2020, 1, 1)
    open_codes = {record.code for record in open_establishments()}
    assert not {"BH", "GP", "MW", "HY", "WB"} & open_codes


def test_new_prisons_since_the_register_are_open_with_their_opening_dates() -> None:
    records = _records()
    expected = {
        "FW": ("HMP Five Wells", date(2022, 2, 1), "G4S Care and Justice Services"),
        "FO": ("HMP Fosse Way", date(2023, 5, 29), "Serco"),
        "MK": ("HMP Millsike", date(2025, 4, 23), "Mitie Care and Custody"),
    }
    for code, (name, opened, operator) in expected.items():
        record = records[code]
        assert (record.name, record.opened_on, record.operator, record.closed_on) == (
            name,
            opened,
            operator,
            None,
        )
        (fact,) = record.facts
        assert fact.kind == FactKind.OPENED
        assert fact.source.startswith("https://")


def test_elmley_has_its_current_name_and_opening_date() -> None:
    elmley = _records()["EY"]
    assert (elmley.name, elmley.opened_on) == ("HMP Elmley", date(1992, 2, 1))
    assert [fact.kind for fact in elmley.facts] == [
        FactKind.LISTED,
        FactKind.NAMED,
        FactKind.OPENED,
    ]


def test_every_fact_says_where_it_comes_from_and_every_change_when_it_was_checked() -> None:
    for record in establishment_records():
        assert record.facts, record.code
        for fact in record.facts:
            assert fact.source, (record.code, fact)
            if fact.source != REGISTER_SOURCE:
                assert fact.checked_on is not None, (record.code, fact)
    for change in register_changes():
        assert change.source.startswith(("https://", "http://")), change


def test_a_renaming_keeps_the_former_name(tmp_path) -> None:
    changes = tmp_path / "changes.tsv"
    changes.write_text(
        HEADER + "LE\trenamed\t2027-04-01\tHMP Leeds and Armley\t\thttps://example.org/\t"
        "2027-04-02\n",
        encoding="utf-8",
    )
    leeds = {r.code: r for r in establishment_records(changes=changes)}["LE"]
    assert (leeds.name, leeds.renamed_from) == ("HMP Leeds and Armley", "HMP Leeds")
    assert leeds.facts[-1].detail == "HMP Leeds"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("BH\tclosed\t2016\t\t\t\t2026-12-07\n", "line 2: every change needs its source"),
        ("BH\tdemolished\t2016\t\t\thttps://example.org/\t2026-12-07\n", "unknown change"),
        ("EY\trenamed\t\t\t\thttps://example.org/\t2026-12-07\n", "needs the new name"),
    ],
)
def test_a_change_without_what_it_needs_is_refused_naming_the_line(tmp_path, row, problem):
    changes = tmp_path / "changes.tsv"
    changes.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        register_changes(changes)


@pytest.mark.django_db
def test_loading_the_register_records_each_fact_once() -> None:
    records = register_establishments()
    created, _ = establishments_load_register(records=records)
    assert created == len(records)
    blantyre = Establishment.objects.get(code="BH")
    assert (blantyre.status, blantyre.closed_on) == (EstablishmentStatus.CLOSED, date(2016, 1, 1))
    assert blantyre.closure_text() == "in January 2016"
    facts = RegisterFact.objects.count()
    assert establishments_load_register(records=records) == (0, 0)
    assert RegisterFact.objects.count() == facts
    assert not Establishment.objects.filter(code="HY").exists()  # closed before the register


@pytest.fixture
def register(db) -> None:
    establishments_load_register(records=register_establishments())


@pytest.mark.django_db
def test_the_register_screens_show_a_closed_establishment_as_closed(
    register, client, make_user
) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    page = client.get(reverse("estate:establishment-detail", kwargs={"code": "BH"})).text
    assert "Closed" in page
    assert "HMP Blantyre House closed in January 2016" in page
    assert "http://w.owiki.org/wiki/HM_Prison_Blantyre_House" in page
    assert "7 December 2026" in page  # when the source was checked
    listing = client.get(reverse("estate:establishment-list"), {"status": "closed"}).text
    assert "HMP Blantyre House" in listing
    assert "HMP Leeds" not in listing


@pytest.mark.django_db
def test_an_establishments_own_users_do_not_see_the_registers_working(
    register, client, make_user
) -> None:
    governor = make_user(
        Role.ESTABLISHMENT_USER, establishment=Establishment.objects.get(code="BH")
    )
    client.force_login(governor)
    page = client.get(reverse("estate:establishment-detail", kwargs={"code": "BH"})).text
    assert "w.owiki.org" not in page


@pytest.mark.django_db
def test_an_event_at_a_closed_establishment_is_refused_naming_the_closure(
    register, make_user
) -> None:
    from inspectorate.programme.tests.test_milestone_helpers import make_programme

    with pytest.raises(ValidationError) as error:
        event_schedule(
            actor=make_user(Role.HMIP_COORDINATOR),
            programme=make_programme(2027),
            kind=EventKind.FULL_INSPECTION,
            establishment=Establishment.objects.get(code="BH"),
            starts_on=date(2027, 9, 6),
        )
    assert error.value.message_dict["establishment"] == [
        "HMP Blantyre House closed in January 2016: select an open establishment"
    ]


def _close(establishment: Establishment, on: date) -> None:
    establishment.status = EstablishmentStatus.CLOSED
    establishment.closed_on = on
    establishment.save()
    RegisterFact.objects.create(
        establishment=establishment,
        kind=FactKind.CLOSED,
        on=on,
        precision="day",
        source="https://example.org/closure",
        checked_on=on,
        position=9,
    )


@pytest.mark.django_db
def test_the_planner_never_plans_a_closed_establishment() -> None:
    setup = planning_setup()
    before = planning_data(setup.programme, PlanParameters.from_json({}), PLANNING_DAY)
    assert "full:LE" in {e.key for e in before.instance.events}
    _close(Establishment.objects.get(code="LE"), date(2026, 3, 31))
    hull = setup.hull_event.establishment
    _close(hull, date(2026, 2, 27))
    after = planning_data(setup.programme, PlanParameters.from_json({}), PLANNING_DAY)
    keys = {e.key for e in after.instance.events}
    assert "full:LE" not in keys
    assert f"event:{setup.hull_event.pk}" not in keys
    assert {site.key for site in after.instance.sites}.isdisjoint({"LE", hull.code})
    assert any(
        warning.startswith(f"{hull} closed on 27 February 2026: its full inspection is left out")
        for warning in after.warnings
    )
