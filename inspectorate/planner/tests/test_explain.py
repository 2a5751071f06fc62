"""When no plan exists the planner says why, naming the events, the inspectors and the rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from inspectorate.planner.explain import explain
from inspectorate.planner.generate import national_instance
from inspectorate.planner.instance import HMIP, IRP, FixedAssignment
from inspectorate.planner.model import INFEASIBLE, solve
from inspectorate.planner.tests.builders import (
    event,
    inspector,
    instance,
    leader,
    two_event_instance,
)


def test_a_feasible_instance_needs_no_explanation():
    assert explain(two_event_instance()) is None


@pytest.mark.rule("TM-5")
def test_a_conflict_of_leave_closed_weeks_and_teams_is_found_and_worded():
    # Three weeks, the first closed; two IRPs need the only team leader, who is away in
    # week 2: they cannot both be led.
    inst = instance(
        (event("irp:LE", "LE", IRP, education=""), event("irp:HL", "HL", IRP, education="")),
        (leader(1, name="Jo Evans", unavailable_weeks=frozenset({2})), inspector(2), inspector(3)),
        weeks=3,
        closed_weeks=frozenset({0}),
    )
    assert solve(inst, time_limit=5).status == INFEASIBLE
    explanation = explain(inst)
    assert explanation is not None
    assert explanation.events == {"irp:LE", "irp:HL"}
    assert explanation.inspectors == {1}
    assert explanation.rules == {"TM-5", "CLOSED", "TEAM"}
    text = explanation.as_text()
    assert "Jo Evans is on leave or booked in the weeks of 21 June 2027" in text
    assert "Independent review of progress of HMP LE" in text
    assert "HMP HL" in text


@pytest.mark.rule("TM-2")
def test_a_conflict_of_interest_blocking_the_only_leader_is_named():
    inst = two_event_instance()
    people = tuple(
        replace(i, can_lead=False)
        if i.id == 2
        else replace(i, name="Sam Shah", conflicts=frozenset({"LE"}))
        if i.id == 1
        else i
        for i in inst.inspectors
    )
    inst = replace(inst, inspectors=people)
    explanation = explain(inst)
    assert explanation is not None
    assert explanation.rules == {"TM-2"}
    assert explanation.events == {"full:LE"}
    assert "Sam Shah (TM-2)" in explanation.as_text()


@pytest.mark.rule("PG-5")
def test_an_event_without_any_week_says_which_rules_took_them():
    # Planning on 15 January 2027 leaves Ofsted's six months' notice ending 15 July, after
    # the last possible start; the first fortnight is closed as well.
    inst = two_event_instance(today=date(2027, 1, 15), closed_weeks=frozenset({0, 1}))
    explanation = explain(inst)
    assert explanation is not None
    assert {"PG-5", "CLOSED", "PLAN"} <= explanation.rules
    assert explanation.events == {"full:LE", "full:HL"}
    assert "cannot start before 15 July 2027" in explanation.as_text()


@pytest.mark.rule("TM-1")
def test_a_fixed_assignment_against_vetting_is_explained():
    inst = two_event_instance(fixed_assignments=())
    people = tuple(
        replace(i, dbs_until=date(2027, 6, 1)) if i.id == 1 else i for i in inst.inspectors
    )
    inst = replace(inst, inspectors=people, fixed_assignments=(FixedAssignment("full:LE", 1, 0),))
    explanation = explain(inst)
    assert explanation is not None
    assert explanation.rules == {"TM-1", "FIXED"}
    assert explanation.inspectors == {1}


def test_a_national_programme_over_the_weekly_limit_is_explained_by_counting():
    national = national_instance()
    crowded = replace(national, start_limits={HMIP: 1}, closed_weeks=frozenset(range(30, 52)))
    explanation = explain(crowded, time_limit=30)
    assert explanation is not None
    assert explanation.rules == {"LIMIT"}
    assert "80 HMI Prisons events have 27 weeks they could start in, at most 1 a week" in (
        explanation.as_text()
    )
