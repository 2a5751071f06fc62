"""The independent checker: hand-built plans that each break one rule are caught, naming it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from inspectorate.planner import checker
from inspectorate.planner.instance import ESTYN, IRP, OFSTED, Member, Placement, Plan
from inspectorate.planner.tests.builders import (
    event,
    inspector,
    instance,
    leader,
    site,
    two_event_instance,
)


def team(*members: tuple[int, int, tuple[int, ...]]) -> tuple[Member, ...]:
    return tuple(Member(*member) for member in members)


def good_plan() -> Plan:
    """A plan for two_event_instance() that keeps every rule."""
    return Plan(
        (
            Placement(
                "full:LE", 0, (Member(1, 0, (0, 1)), Member(3, 1, (0, 1)), Member(4, 2, (1,)))
            ),
            Placement(
                "full:HL", 2, (Member(2, 0, (2, 3)), Member(1, 1, (2, 3)), Member(5, 2, (3,)))
            ),
        )
    )


def rules_broken(inst, plan) -> set[str]:
    return {v.rule for v in checker.violations(inst, plan)}


def test_a_plan_keeping_every_rule_has_no_violations():
    assert checker.violations(two_event_instance(), good_plan()) == []


def swap(plan: Plan, key: str, **values) -> Plan:
    return Plan(tuple(replace(p, **values) if p.event == key else p for p in plan.placements))


@pytest.mark.rule("TM-5")
def test_double_booking_is_caught():
    plan = swap(
        good_plan(),
        "full:HL",
        week=1,
        members=(
            Member(2, 0, (1, 2)),
            Member(1, 1, (1, 2)),
            Member(5, 2, (2,)),
        ),
    )
    assert "TM-5" in rules_broken(two_event_instance(), plan)


@pytest.mark.rule("TM-5")
def test_leave_is_caught():
    inst = two_event_instance()
    people = tuple(
        replace(i, unavailable_weeks=frozenset({1})) if i.id == 3 else i for i in inst.inspectors
    )
    assert "TM-5" in rules_broken(replace(inst, inspectors=people), good_plan())


@pytest.mark.rule("TM-1")
def test_dbs_expiring_during_the_event_is_caught():
    inst = two_event_instance()
    # Inspector 4's check ends on the Thursday of the education week (17 June 2027).
    people = tuple(
        replace(i, dbs_until=date(2027, 6, 17)) if i.id == 4 else i for i in inst.inspectors
    )
    broken = checker.violations(replace(inst, inspectors=people), good_plan())
    assert [(v.rule, v.inspector) for v in broken] == [("TM-1", 4)]


@pytest.mark.rule("TM-1")
def test_missing_dbs_and_clearance_are_caught():
    inst = two_event_instance()
    people = tuple(
        replace(i, dbs_from=None, dbs_until=None)
        if i.id == 3
        else replace(i, clearance=0)
        if i.id == 5
        else i
        for i in inst.inspectors
    )
    broken = {
        (v.rule, v.inspector)
        for v in checker.violations(replace(inst, inspectors=people), good_plan())
    }
    assert broken == {("TM-1", 3), ("TM-1", 5)}


@pytest.mark.rule("TM-2")
def test_conflict_of_interest_is_caught():
    inst = two_event_instance()
    people = tuple(
        replace(i, conflicts=frozenset({"HL"})) if i.id == 1 else i for i in inst.inspectors
    )
    broken = checker.violations(replace(inst, inspectors=people), good_plan())
    assert [(v.rule, v.event, v.inspector) for v in broken] == [("TM-2", "full:HL", 1)]


@pytest.mark.rule("TM-4")
def test_improvement_hmi_on_the_next_inspection_is_caught():
    inst = two_event_instance()
    people = tuple(
        replace(i, improvement_hmi_for=frozenset({"LE"})) if i.id == 4 else i
        for i in inst.inspectors
    )
    assert rules_broken(replace(inst, inspectors=people), good_plan()) == {"TM-4"}


@pytest.mark.rule("PG-9")
def test_education_outside_the_second_week_is_caught():
    plan = swap(
        good_plan(),
        "full:LE",
        members=(
            Member(1, 0, (0, 1)),
            Member(3, 1, (0, 1)),
            Member(4, 2, (0,)),
        ),
    )
    assert "PG-9" in rules_broken(two_event_instance(), plan)


@pytest.mark.rule("PG-10")
def test_ofsted_in_wales_is_caught():
    inst = two_event_instance()
    welsh = replace(inst.events[0], education=ESTYN)
    inst = replace(
        inst,
        events=(welsh, inst.events[1]),
        sites=(site("LE", nation="wales", region="wales"), inst.sites[1]),
    )
    assert "PG-10" in rules_broken(inst, good_plan())


@pytest.mark.rule("PG-11")
def test_more_inspectors_on_site_than_the_maximum_is_caught():
    inst = two_event_instance()
    inst = replace(inst, sites=(replace(inst.sites[0], on_site_maximum=2), inst.sites[1]))
    assert rules_broken(inst, good_plan()) == {"PG-11"}


@pytest.mark.rule("PG-5")
def test_too_little_notice_for_ofsted_is_caught():
    inst = two_event_instance(today=date(2027, 1, 1))  # six months on: 1 July 2027
    broken = checker.violations(inst, good_plan())
    assert {(v.rule, v.event) for v in broken} == {("PG-5", "full:LE"), ("PG-5", "full:HL")}


@pytest.mark.rule("PG-8")
def test_education_place_without_education_is_caught():
    inst = instance(
        (event("irp:LE", "LE", IRP, education=""),),
        (leader(1), inspector(2), inspector(3, OFSTED, can_lead=True)),
    )
    plan = Plan(
        (Placement("irp:LE", 0, (Member(1, 0, (0,)), Member(2, 1, (0,)), Member(3, 2, (0,)))),)
    )
    assert "TEAM" in rules_broken(inst, plan)
    ok = Plan((Placement("irp:LE", 0, (Member(1, 0, (0,)), Member(2, 1, (0,)))),))
    assert checker.violations(inst, ok) == []


@pytest.mark.rule("WD-1")
def test_bank_holiday_on_site_is_caught():
    # 31 May 2027 is the spring bank holiday in England.
    inst = two_event_instance(first_monday=date(2027, 5, 24), weeks=6)
    broken = checker.violations(inst, good_plan())
    assert [(v.rule, v.event) for v in broken] == [("WD-1", "full:LE")]


def test_closed_weeks_fixed_items_and_limits_are_caught():
    inst = two_event_instance(
        closed_weeks=frozenset({3}),
        fixed_weeks={"full:LE": 1},
        start_limits={"hmip": 1},
    )
    assert rules_broken(inst, good_plan()) >= {"CLOSED", "FIXED"}
    same_week = swap(
        good_plan(),
        "full:HL",
        week=0,
        members=(
            Member(2, 0, (0, 1)),
            Member(3, 1, (0, 1)),
            Member(5, 2, (1,)),
        ),
    )
    assert "LIMIT" in rules_broken(two_event_instance(start_limits={"hmip": 1}), same_week)


def test_missing_and_extra_events_are_caught():
    plan = Plan(good_plan().placements[:1])
    assert rules_broken(two_event_instance(), plan) == {"PLAN"}


def test_score_adds_up_its_parts():
    inst = two_event_instance(draft=swap(good_plan(), "full:HL", week=3))
    score = checker.score(inst, good_plan())
    assert score.total == sum(score.parts.values())
    assert score.counts["moved"] == 1
    # Only inspector 1 (Yorkshire) works outside their region, at HMP HL (London).
    assert score.counts["region"] == 1
    # HMI Prisons' places want 8 weeks among 3 inspectors: a fair share of 3 weeks, which
    # inspector 1 (4 weeks) passes by one. Ofsted: 2 weeks among 2, one each.
    assert score.counts["balance"] == 1


@pytest.mark.rule("PG-5")
def test_ofsted_notice_only_when_ofsted_takes_part():
    inst = two_event_instance(today=date(2027, 1, 1))
    no_education = tuple(replace(e, education="") for e in inst.events)
    inst = replace(inst, events=no_education)
    plan = Plan(
        tuple(
            replace(p, members=tuple(m for m in p.members if m.slot != 2))
            for p in good_plan().placements
        )
    )
    assert checker.violations(inst, plan) == []
