"""Small planner instances for the tests (no tests here), and a brute force."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from inspectorate.lib.workdays import Nation, bank_holidays
from inspectorate.planner import checker
from inspectorate.planner.instance import (
    CLEARANCE_CTC,
    EDUCATION,
    FULL_INSPECTION,
    HMIP,
    IRP,
    OFSTED,
    Inspector,
    Instance,
    KindSpec,
    Member,
    Placement,
    Plan,
    RequiredEvent,
    Requirement,
    Site,
    Weights,
)

# 7 June 2027: six weeks to 16 July hold no bank holiday in England or Wales.
JUNE = date(2027, 6, 7)
LONG_AGO = date(2026, 1, 1)  # "today" far enough back that no notice rule bites

SMALL_FULL = KindSpec(
    kind=FULL_INSPECTION,
    label="Full inspection",
    days=12,
    requirements=(
        Requirement("team_leader", HMIP, 1, weeks=(0, 1), lead=True, label="team leader"),
        Requirement("inspector", HMIP, 1, weeks=(0, 1), label="inspector"),
        Requirement("inspector", EDUCATION, 1, weeks=(1,), label="education inspector"),
    ),
)
SMALL_IRP = KindSpec(
    kind=IRP,
    label="Independent review of progress",
    days=3,
    requirements=(
        Requirement("team_leader", HMIP, 1, lead=True, label="team leader"),
        Requirement("inspector", HMIP, 2, minimum=1, label="inspector"),
        Requirement("ofsted_lead", EDUCATION, 1, lead=True, label="education lead"),
    ),
    notice_months=3,
    notice_rule="PG-3",
)
SMALL_KINDS = (SMALL_FULL, SMALL_IRP)


def site(key: str = "LE", **values: Any) -> Site:
    values.setdefault("name", f"HMP {key}")
    values.setdefault("region", "yorkshire")
    return Site(key=key, **values)


def event(
    key: str,
    site_key: str = "LE",
    kind: str = FULL_INSPECTION,
    due: tuple[date, date] = (JUNE, date(2027, 7, 16)),
    education: str = OFSTED,
) -> RequiredEvent:
    return RequiredEvent(key, kind, site_key, due[0], due[1], education=education)


def inspector(
    number: int, organisation: str = HMIP, region: str = "yorkshire", **values: Any
) -> Inspector:
    values.setdefault("name", f"Inspector {number}")
    values.setdefault("dbs_from", date(2025, 1, 1))
    values.setdefault("dbs_until", date(2029, 1, 1))
    values.setdefault("clearance", CLEARANCE_CTC)
    return Inspector(id=number, organisation=organisation, region=region, **values)


def leader(number: int, **values: Any) -> Inspector:
    return inspector(number, can_lead=True, **values)


def instance(
    events: tuple[RequiredEvent, ...],
    inspectors: tuple[Inspector, ...],
    sites: tuple[Site, ...] | None = None,
    **values: Any,
) -> Instance:
    values.setdefault("first_monday", JUNE)
    values.setdefault("weeks", 6)
    values.setdefault("today", LONG_AGO)
    values.setdefault("kinds", SMALL_KINDS)
    values.setdefault(
        "bank_holidays",
        {
            nation: frozenset(d for y in (2027, 2028) for d in bank_holidays(Nation(nation), y))
            for nation in ("england", "wales")
        },
    )
    return Instance(
        sites=sites or tuple({e.site: site(e.site) for e in events}.values()),
        events=events,
        inspectors=inspectors,
        **values,
    )


def two_event_instance(**values: Any) -> Instance:
    """Two full inspections in six weeks, three HMI Prisons inspectors (two may lead), two
    Ofsted inspectors."""
    return instance(
        (event("full:LE", "LE"), event("full:HL", "HL")),
        (
            leader(1),
            leader(2, region="london"),
            inspector(3),
            inspector(4, OFSTED),
            inspector(5, OFSTED, region="london"),
        ),
        sites=(site("LE"), site("HL", region="london")),
        **values,
    )


def random_tiny(seed: int) -> Instance:
    """A tiny instance for the brute force: two events in four or five weeks, four or five
    inspectors with some leave, a due window each, and a draft to stay close to."""
    rng = random.Random(seed)
    weeks = rng.choice((4, 5))
    regions = ("yorkshire", "london")
    sites = (site("AA", region="yorkshire"), site("BB", region="london", on_site_maximum=3))
    events = []
    for number, key in enumerate(("AA", "BB")):
        kind = rng.choice((FULL_INSPECTION, IRP))
        first = JUNE.toordinal() + 7 * rng.randrange(weeks)
        due_from = date.fromordinal(first)
        due_to = date.fromordinal(first + rng.choice((3, 10)))
        education = rng.choice((OFSTED, "")) if kind == IRP else OFSTED
        events.append(event(f"e{number}:{key}", key, kind, (due_from, due_to), education))
    people = [
        leader(1, region=rng.choice(regions), unavailable_weeks=frozenset({rng.randrange(weeks)})),
        leader(2, region=rng.choice(regions)),
        inspector(3, region=rng.choice(regions), unavailable_weeks=frozenset()),
        inspector(4, OFSTED, region=rng.choice(regions), can_lead=True),
    ]
    if rng.random() < 0.5:
        people.append(inspector(5, OFSTED, region=rng.choice(regions), can_lead=True))
    return instance(
        tuple(events),
        tuple(people),
        sites=sites,
        weeks=weeks,
        weights=Weights(lateness=50, balance=7, region=3, understaffing=20, moved=11),
    )


def _teams(inst: Instance, ev: RequiredEvent, week: int) -> Iterator[tuple[Member, ...]]:
    """Every way to fill `ev`'s places with distinct inspectors of the right organisation."""
    choices = []
    for index, requirement, organisation in inst.slots(ev):
        ids = [i.id for i in inst.inspectors if i.organisation == organisation]
        options = [
            combo
            for size in range(requirement.fewest, requirement.count + 1)
            for combo in itertools.combinations(ids, size)
        ]
        weeks = tuple(week + offset for offset in requirement.weeks)
        choices.append([(index, combo, weeks) for combo in options])
    for pick in itertools.product(*choices):
        people = [i for _, combo, _ in pick for i in combo]
        if len(people) != len(set(people)):
            continue
        yield tuple(Member(i, index, weeks) for index, combo, weeks in pick for i in combo)


def brute_force(inst: Instance) -> tuple[int | None, Plan | None]:
    """The best score over every plan the checker accepts (weeks, then every team)."""
    per_event = []
    for ev in inst.events:
        span = inst.spec_of(ev).weeks
        per_event.append(
            [
                Placement(ev.key, week, team)
                for week in range(inst.weeks - span + 1)
                for team in _teams(inst, ev, week)
            ]
        )
    best: tuple[int | None, Plan | None] = (None, None)
    for placements in itertools.product(*per_event):
        plan = Plan(tuple(placements))
        if checker.violations(inst, plan):
            continue
        total = checker.score(inst, plan).total
        if best[0] is None or total < best[0]:
            best = (total, plan)
    return best


def with_draft(inst: Instance, plan: Plan) -> Instance:
    return replace(inst, draft=plan)
