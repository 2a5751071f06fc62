"""The baseline: earliest due first, first-fit teams.

Events already fixed to a week go first, then the rest by the end of their due window. Each
takes the first allowed week closest to its window (in the window if it can) where the
organisations' weekly start limits and the establishment leave room and a team can be found:
each place is filled first to its minimum, then up to its wanted size while the on-site
maximum allows (PG-11), by the first inspectors in the list who qualify and are free. No
balancing, no regional preference, no look-ahead: what CP-SAT is measured against.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from inspectorate.planner.domains import (
    barred_by,
    dbs_valid_weeks,
    lateness_weeks,
    qualifies,
    week_reasons,
)
from inspectorate.planner.instance import Instance, Member, Placement, Plan, RequiredEvent


@dataclass(frozen=True)
class GreedyResult:
    plan: Plan  # the events it could place
    unplaced: tuple[str, ...]
    elapsed: float

    @property
    def complete(self) -> bool:
        return not self.unplaced


class _Diary:
    """Who is busy when, how many events start each week, which sites are taken."""

    def __init__(self, instance: Instance) -> None:
        self.busy: dict[int, set[int]] = {
            i.id: set(i.unavailable_weeks) for i in instance.inspectors
        }
        self.starts: Counter[tuple[str, int]] = Counter()
        self.site_weeks: dict[str, set[int]] = defaultdict(set)


def _order(instance: Instance) -> list[RequiredEvent]:
    return sorted(
        instance.events,
        key=lambda e: (e.key not in instance.fixed_weeks, e.due_to, e.due_from, e.key),
    )


def _team(
    instance: Instance, event: RequiredEvent, week: int, diary: _Diary
) -> list[Member] | None:
    """A first-fit team for `event` starting in `week`, or None."""
    site = instance.site_of(event)
    fixed = {f.inspector: f.slot for f in instance.fixed_for(event.key)}
    chosen: dict[int, list[int]] = defaultdict(list)  # slot -> inspector ids
    taken: set[int] = set()
    on_site: Counter[int] = Counter()
    maximum = site.on_site_maximum
    slots = instance.slots(event)

    def candidates(index: int) -> list[int]:
        _, requirement, organisation = next(s for s in slots if s[0] == index)
        weeks = {week + offset for offset in requirement.weeks}
        ids = []
        for inspector in instance.inspectors:
            if inspector.id in taken or not qualifies(inspector, requirement, organisation):
                continue
            if fixed and inspector.id in fixed and fixed[inspector.id] not in (None, index):
                continue
            if barred_by(instance, event, inspector) or weeks & diary.busy[inspector.id]:
                continue
            if not dbs_valid_weeks(instance, event, requirement, inspector, [week]):
                continue
            ids.append(inspector.id)
        ids.sort(key=lambda i: i not in fixed)  # fixed people first, then in list order
        return ids

    def room(index: int) -> bool:
        requirement = next(s[1] for s in slots if s[0] == index)
        return maximum is None or all(on_site[o] < maximum for o in requirement.weeks)

    def take(index: int, inspector_id: int) -> None:
        requirement = next(s[1] for s in slots if s[0] == index)
        chosen[index].append(inspector_id)
        taken.add(inspector_id)
        for offset in requirement.weeks:
            on_site[offset] += 1

    for index, requirement, _ in slots:  # fixed people and minimums first
        for inspector_id in candidates(index):
            if len(chosen[index]) >= requirement.fewest and inspector_id not in fixed:
                break
            if len(chosen[index]) >= requirement.count or not room(index):
                break
            take(index, inspector_id)
        if len(chosen[index]) < requirement.fewest:
            return None
    if any(inspector_id not in taken for inspector_id in fixed):
        return None
    for index, requirement, _ in slots:  # then up to the wanted size, room allowing
        for inspector_id in candidates(index):
            if len(chosen[index]) >= requirement.count or not room(index):
                break
            take(index, inspector_id)
    return [
        Member(
            inspector_id,
            index,
            tuple(week + offset for offset in requirement.weeks),
        )
        for index, requirement, _ in slots
        for inspector_id in chosen[index]
    ]


def greedy(instance: Instance) -> GreedyResult:
    """Place every event it can, earliest due first; report those it could not."""
    started = time.perf_counter()
    diary = _Diary(instance)
    placements: list[Placement] = []
    unplaced: list[str] = []
    for event in _order(instance):
        span = instance.spec_of(event).weeks
        organisations = instance.organisations_of(event)
        weeks = week_reasons(instance, event).allowed(instance.weeks)
        weeks.sort(key=lambda w: (lateness_weeks(instance, event, w), w))
        for week in weeks:
            occupied = set(range(week, week + span))
            if occupied & diary.site_weeks[event.site]:
                continue
            if any(
                diary.starts[o, week] >= instance.start_limits.get(o, len(instance.events))
                for o in organisations
            ):
                continue
            members = _team(instance, event, week, diary)
            if members is None:
                continue
            for member in members:
                diary.busy[member.inspector].update(member.weeks)
            for organisation in organisations:
                diary.starts[organisation, week] += 1
            diary.site_weeks[event.site] |= occupied
            placements.append(Placement(event.key, week, tuple(members)))
            break
        else:
            unplaced.append(event.key)
    order = {event.key: n for n, event in enumerate(instance.events)}
    placements.sort(key=lambda p: order[p.event])
    return GreedyResult(Plan(tuple(placements)), tuple(unplaced), time.perf_counter() - started)


def greedy_teams(instance: Instance, weeks: Mapping[str, int]) -> Plan:
    """First-fit teams for events whose weeks are decided (the team phase's first hint).
    An event no team fits is left with whoever could be found so far: none."""
    diary = _Diary(instance)
    placements = []
    for event in _order(instance):
        week = weeks[event.key]
        members = _team(instance, event, week, diary) or []
        for member in members:
            diary.busy[member.inspector].update(member.weeks)
        placements.append(Placement(event.key, week, tuple(members)))
    return Plan(tuple(placements))
