"""The instance built from the database: which events the programme needs, and what bars
each inspector (TM-1, TM-2, TM-5), with the draft and what the coordinator fixed."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from inspectorate.inspectors.constants import BookingKind
from inspectorate.inspectors.models import ConflictOfInterest, InspectorBooking
from inspectorate.planner import checker
from inspectorate.planner.instance import ESTYN, OFSTED
from inspectorate.planner.model import solve
from inspectorate.planner.selectors import PlanParameters, planning_data
from inspectorate.planner.tests.db_helpers import PLANNING_DAY, planning_setup
from inspectorate.programme.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return planning_setup()


def data_for(setup, **parameters):
    return planning_data(setup.programme, PlanParameters.from_json(parameters), PLANNING_DAY)


def test_the_programme_needs_the_draft_the_due_inspections_and_the_irps(setup):
    data = data_for(setup)
    keys = {e.key for e in data.instance.events}
    assert keys == {f"event:{setup.hull_event.pk}", "full:LE", "full:CF", "irp:WD"}
    leeds = data.instance.event_by_key["full:LE"]
    # Last full inspection 5 June 2023, nothing published: 36 to 48 months after.
    assert (leeds.due_from, leeds.due_to) == (date(2026, 6, 5), date(2027, 6, 4))
    assert "judged not recorded: due 36 to 48 months after" in leeds.reason
    assert data.follows_up == {"irp:WD": setup.wakefield_full.pk}
    assert data.instance.draft is not None
    assert data.instance.draft.team_of(f"event:{setup.hull_event.pk}") == {setup.leaders[0].pk}


@pytest.mark.rule("WD-2")
def test_the_irp_window_is_8_to_12_months_after_the_inspection(setup):
    irp = data_for(setup).instance.event_by_key["irp:WD"]
    # The inspection ended on Friday 18 September 2026; 18 September 2027 is a Saturday,
    # so the window ends on the Friday before (WD-2).
    assert (irp.due_from, irp.due_to) == (date(2027, 5, 18), date(2027, 9, 17))


@pytest.mark.rule("PG-8")
@pytest.mark.rule("PG-10")
def test_education_takes_part_by_nation_and_previous_judgement(setup, monkeypatch):
    instance = data_for(setup).instance
    assert instance.event_by_key["full:LE"].education == OFSTED
    assert instance.event_by_key["full:CF"].education == ESTYN
    assert instance.event_by_key["irp:WD"].education == ""  # no weak judgement recorded
    monkeypatch.setattr(
        "inspectorate.programme.selectors.education_judgement_at",
        lambda event: "requires_improvement" if event == setup.wakefield_full else None,
    )
    data = data_for(setup)
    assert data.instance.event_by_key["irp:WD"].education == OFSTED
    assert data.previous_judgement == {"irp:WD": "requires_improvement"}


@pytest.mark.rule("PG-2")
def test_too_few_irps_is_a_warning(setup):
    data = data_for(setup)
    assert data.warnings == [
        "The programme has 1 independent review of progress: it should hold between 15 "
        "and 20 (PG-2)."
    ]


def test_chosen_irp_establishments_are_kept_to(setup):
    assert "irp:WD" not in data_for(setup, irp_establishments=[]).instance.event_by_key


@pytest.mark.rule("TM-2")
@pytest.mark.rule("TM-5")
@pytest.mark.rule("TM-1")
def test_conflicts_leave_and_vetting_come_from_the_database(setup):
    martin, jo, tom = setup.leaders[0], setup.hmip[0], setup.hmip[1]
    ConflictOfInterest.objects.create(
        inspector=martin, establishment=setup.leeds, starts_on=date(2020, 1, 1), reason="Ex-staff"
    )
    InspectorBooking.objects.create(
        inspector=jo,
        starts_on=date(2027, 4, 12),
        ends_on=date(2027, 4, 23),
        kind=BookingKind.UNAVAILABILITY,
        label="Annual leave",
    )
    tom.dbs_renewal_due_on = date(2027, 6, 30)
    tom.save()
    people = data_for(setup).instance.inspector_by_id
    assert people[martin.pk].conflicts == {"LE"}
    assert people[jo.pk].unavailable_weeks == {1, 2}  # weeks of 12 and 19 April 2027
    assert people[tom.pk].dbs_until == date(2027, 6, 30)
    assert people[martin.pk].can_lead
    assert not people[jo.pk].can_lead


def test_the_draft_teams_own_bookings_do_not_block_their_inspectors(setup):
    InspectorBooking.objects.create(
        inspector=setup.leaders[0],
        starts_on=setup.hull_event.starts_on,
        ends_on=setup.hull_event.ends_on,
        label="Full inspection",
        source=setup.hull_event,
    )
    people = data_for(setup).instance.inspector_by_id
    assert people[setup.leaders[0].pk].unavailable_weeks == frozenset()


def test_fixed_events_and_assignments_and_closed_weeks_are_carried(setup):
    data = data_for(
        setup,
        fixed_events=[setup.hull_event.pk],
        fixed_assignments=[[setup.hull_event.pk, setup.leaders[0].pk]],
        closed_weeks=["2027-12-20", "2027-12-27"],
    )
    key = f"event:{setup.hull_event.pk}"
    assert data.instance.fixed_weeks == {key: 13}  # 5 July 2027
    assert [(f.event, f.inspector, f.slot) for f in data.instance.fixed_assignments] == [
        (key, setup.leaders[0].pk, 0)
    ]
    assert data.instance.closed_weeks == {37, 38}


def test_the_database_instance_is_planned_within_the_rules(setup):
    data = data_for(setup, fixed_events=[setup.hull_event.pk])
    result = solve(data.instance, time_limit=15)
    assert result.plan is not None
    assert checker.violations(data.instance, result.plan) == []
    assert result.plan.week_of(f"event:{setup.hull_event.pk}") == 13
    assert setup.leaders[0].pk in result.plan.team_of(f"event:{setup.hull_event.pk}")


def test_the_command_line_prints_progress_and_the_proposal(setup):
    out, err = StringIO(), StringIO()
    with time_machine.travel(PLANNING_DAY, tick=True):
        call_command(
            "plan_programme", "--year", "2027-28", "--time-limit", "15", stdout=out, stderr=err
        )
    progress, proposal = err.getvalue(), out.getvalue()
    assert "4 events, 10 inspectors, 52 weeks" in progress
    assert "[joint]" in progress  # the search's progress on standard error...
    assert "[joint]" not in proposal
    assert "Full inspection of HMP Leeds:" in proposal  # ...the proposal on standard output
    assert Event.objects.filter(programme=setup.programme).count() == 1  # nothing written
