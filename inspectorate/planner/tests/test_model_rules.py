"""Each rule, on a small instance where it bites, kept by the CP-SAT model (both methods) and
by the greedy baseline; every plan is verified by the independent checker."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from inspectorate.planner import checker
from inspectorate.planner.greedy import greedy
from inspectorate.planner.instance import (
    CLEARANCE_SC,
    ESTYN,
    HMIP,
    IRP,
    OFSTED,
    FixedAssignment,
    Instance,
    KindSpec,
    Plan,
    Requirement,
)
from inspectorate.planner.model import JOINT, OPTIMAL, WEEKS_THEN_TEAMS, solve
from inspectorate.planner.tests.builders import (
    SMALL_KINDS,
    event,
    inspector,
    instance,
    leader,
    site,
    two_event_instance,
)


def solved(inst: Instance, method: str = JOINT) -> Plan:
    result = solve(inst, time_limit=20, method=method)
    assert result.plan is not None, result.status
    assert checker.violations(inst, result.plan) == []
    assert checker.score(inst, result.plan).total == result.score
    if method == JOINT:
        assert result.status == OPTIMAL
    return result.plan


def greedy_plan(inst: Instance) -> Plan:
    result = greedy(inst)
    assert result.complete
    assert checker.violations(inst, result.plan) == []
    return result.plan


def with_people(inst: Instance, **changes: dict) -> Instance:
    """`changes` maps a field to {inspector id: value}."""
    people = []
    for person in inst.inspectors:
        values = {name: by_id[person.id] for name, by_id in changes.items() if person.id in by_id}
        people.append(replace(person, **values))
    return replace(inst, inspectors=tuple(people))


@pytest.mark.parametrize("method", [JOINT, WEEKS_THEN_TEAMS])
def test_plans_of_both_methods_and_greedy_keep_every_rule(method):
    inst = two_event_instance()
    solved(inst, method)
    greedy_plan(inst)


@pytest.mark.rule("TM-2")
def test_a_conflicted_inspector_is_not_put_on_the_team():
    # Without TM-2 the cheapest plan puts inspector 1, from Yorkshire, at HMP LE in Yorkshire.
    inst = with_people(two_event_instance(), conflicts={1: frozenset({"LE"})})
    for plan in (solved(inst), greedy_plan(inst)):
        assert 1 not in plan.team_of("full:LE")


@pytest.mark.rule("TM-4")
def test_the_improvement_hmi_does_not_inspect_their_establishment():
    inst = with_people(two_event_instance(), improvement_hmi_for={4: frozenset({"LE"})})
    for plan in (solved(inst), greedy_plan(inst)):
        assert 4 not in plan.team_of("full:LE")
        assert 5 in plan.team_of("full:LE")


@pytest.mark.rule("TM-1")
def test_dbs_checks_and_clearance_cover_every_day_on_site():
    # Inspector 3's check runs out on 18 June 2027: only the first fortnight is possible for
    # them, and inspector 1 holds no check at all; HMP HL needs security check clearance,
    # which Ofsted's inspector 4 lacks.
    inst = with_people(
        two_event_instance(),
        dbs_until={3: date(2027, 6, 18)},
        dbs_from={1: None},
        clearance={2: CLEARANCE_SC, 5: CLEARANCE_SC},
    )
    inst = with_people(inst, dbs_until={1: None})
    inst = replace(
        inst,
        sites=(inst.sites[0], replace(inst.sites[1], clearance=CLEARANCE_SC)),
        inspectors=(*inst.inspectors, inspector(6, region="london", clearance=CLEARANCE_SC)),
    )
    for plan in (solved(inst), greedy_plan(inst)):
        assert all(1 not in plan.team_of(e.key) for e in inst.events)
        for key in plan.by_event:
            if 3 in plan.team_of(key):
                assert plan.week_of(key) == 0
        assert 4 not in plan.team_of("full:HL")


@pytest.mark.rule("TM-5")
def test_leave_and_double_booking_are_kept_apart():
    # Two events, two team leaders; leader 2 is on leave in weeks 0 to 2.
    inst = with_people(two_event_instance(), unavailable_weeks={2: frozenset({0, 1, 2})})
    for plan in (solved(inst), greedy_plan(inst)):
        weeks = {(m.inspector, w) for p in plan.placements for m in p.members for w in m.weeks}
        assert not any((2, w) in weeks for w in (0, 1, 2))
        pairs = [(m.inspector, w) for p in plan.placements for m in p.members for w in m.weeks]
        assert len(pairs) == len(set(pairs))


@pytest.mark.rule("PG-9")
def test_the_education_inspectorate_attends_the_second_week():
    plan = solved(two_event_instance())
    for placement in plan.placements:
        education = [m for m in placement.members if m.inspector in (4, 5)]
        assert [m.weeks for m in education] == [(placement.week + 1,)]


@pytest.mark.rule("PG-10")
def test_estyn_inspects_education_in_wales():
    inst = two_event_instance()
    welsh = replace(inst.events[0], education=ESTYN)
    inst = replace(
        inst,
        events=(welsh, inst.events[1]),
        sites=(site("LE", nation="wales", region="wales"), inst.sites[1]),
        inspectors=(*inst.inspectors, inspector(6, ESTYN, region="wales")),
    )
    for plan in (solved(inst), greedy_plan(inst)):
        assert plan.team_of("full:LE") & {4, 5, 6} == {6}


@pytest.mark.rule("PG-8")
def test_an_irp_has_education_inspectors_only_when_education_was_weak():
    inst = instance(
        (
            event("irp:LE", "LE", IRP, education=OFSTED),
            event("irp:HL", "HL", IRP, education=""),
        ),
        (leader(1), leader(2), inspector(3), inspector(4, OFSTED, can_lead=True)),
    )
    plan = solved(inst)
    assert 4 in plan.team_of("irp:LE")
    assert 4 not in plan.team_of("irp:HL")


@pytest.mark.rule("PG-11")
def test_the_team_is_cut_to_the_on_site_maximum():
    inst = instance(
        (event("irp:LE", "LE", IRP, education=OFSTED),),
        (leader(1), inspector(2), inspector(3), inspector(4, OFSTED, can_lead=True)),
        sites=(site("LE", on_site_maximum=3),),
    )
    plan = solved(inst)
    assert len(plan.team_of("irp:LE")) == 3  # one HMI Prisons inspector, not the two wanted
    unlimited = replace(inst, sites=(site("LE"),))
    assert len(solved(unlimited).team_of("irp:LE")) == 4


@pytest.mark.rule("PG-5")
def test_ofsted_is_given_six_months_notice():
    # Planning on 1 January 2027: nothing with Ofsted before 1 July 2027 (week 4).
    inst = two_event_instance(today=date(2027, 1, 1), weeks=8)
    for plan in (solved(inst), greedy_plan(inst)):
        assert min(p.week for p in plan.placements) >= 4


@pytest.mark.rule("PG-7")
def test_an_ofsted_standalone_inspection_is_placed_four_months_ahead():
    standalone = KindSpec(
        kind="ofsted_standalone",
        label="Ofsted standalone inspection",
        days=4,
        requirements=(Requirement("ofsted_lead", OFSTED, 1, lead=True),),
        notice_months=4,
        notice_rule="PG-7",
    )
    inst = instance(
        (
            event(
                "ofsted:LE",
                "LE",
                "ofsted_standalone",
                due=(date(2027, 6, 7), date(2027, 6, 11)),
                education="",
            ),
        ),
        (inspector(1, OFSTED, can_lead=True),),
        kinds=(*SMALL_KINDS, standalone),
        today=date(2027, 3, 1),  # four months on: 1 July 2027, week 4
        weeks=8,
    )
    assert solved(inst).week_of("ofsted:LE") == 4


@pytest.mark.rule("WD-1")
def test_no_day_on_site_is_a_bank_holiday():
    # From 24 May 2027: the spring bank holiday (31 May) is in week 1.
    inst = two_event_instance(first_monday=date(2027, 5, 24), weeks=7)
    for plan in (solved(inst), greedy_plan(inst)):
        assert all(p.week >= 2 for p in plan.placements)


def test_closed_weeks_are_kept_free():
    inst = two_event_instance(closed_weeks=frozenset({1, 2}), weeks=7)
    for plan in (solved(inst), greedy_plan(inst)):
        occupied = {w for p in plan.placements for w in (p.week, p.week + 1)}
        assert not occupied & {1, 2}


def test_fixed_events_and_assignments_are_kept():
    # Left to itself the planner puts leader 2 (London) at HMP HL; fixed, leader 1 goes.
    inst = two_event_instance(
        fixed_weeks={"full:HL": 4},
        fixed_assignments=(FixedAssignment("full:HL", 1, 0),),
    )
    for plan in (solved(inst), greedy_plan(inst)):
        assert plan.week_of("full:HL") == 4
        placement = plan.by_event["full:HL"]
        assert any(m.inspector == 1 and m.slot == 0 for m in placement.members)


def test_weekly_start_limits_are_kept():
    inst = instance(
        (
            event("irp:LE", "LE", IRP, education=""),
            event("irp:HL", "HL", IRP, education=""),
            event("irp:WD", "WD", IRP, education=""),
        ),
        tuple(leader(n) for n in range(1, 4)) + tuple(inspector(n) for n in range(4, 7)),
        weeks=3,
        start_limits={HMIP: 1},
    )
    plan = solved(inst)
    assert sorted(p.week for p in plan.placements) == [0, 1, 2]


def test_lateness_counts_weeks_outside_the_due_window():
    # Due in week 3 only, but inspector 1 is the only leader and is away in week 3.
    inst = instance(
        (event("irp:LE", "LE", IRP, due=(date(2027, 6, 28), date(2027, 6, 30)), education=""),),
        (leader(1, unavailable_weeks=frozenset({3})), inspector(2)),
    )
    result = solve(inst, time_limit=10)
    assert result.plan is not None
    assert result.plan.week_of("irp:LE") in (2, 4)
    assert checker.score(inst, result.plan).counts["lateness"] == 1
