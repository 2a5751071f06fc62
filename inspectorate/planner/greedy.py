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
from inspectorate.planner.instance import (
    Inspector,
    Instance,
    Member,
    Placement,
    Plan,
    RequiredEvent,
    Requirement,
)


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


class _TeamBuilder:
    """Builds a first-fit team for one event starting in one week."""

    def __init__(self, instance: Instance, event: RequiredEvent, week: int, diary: _Diary) -> None:
        self.instance, self.event, self.week, self.diary = instance, event, week, diary
        self.fixed = {f.inspector: f.slot for f in instance.fixed_for(event.key)}
        self.chosen: dict[int, list[int]] = defaultdict(list)  # slot -> inspector ids
        self.taken: set[int] = set()
        self.on_site: Counter[int] = Counter()
        self.maximum = instance.site_of(event).on_site_maximum
        self.slots = instance.slots(event)

    def build(self) -> list[Member] | None:
        if not self._fill_minimums():
            return None
        if any(inspector_id not in self.taken for inspector_id in self.fixed):
            return None
        self._fill_to_wanted_size()
        return [
            Member(
                inspector_id,
                index,
                tuple(self.week + offset for offset in requirement.weeks),
            )
            for index, requirement, _ in self.slots
            for inspector_id in self.chosen[index]
        ]

    def _fill_minimums(self) -> bool:
        """Fixed people and the fewest each place needs; False when a place stays short."""
        for index, requirement, _ in self.slots:
            for inspector_id in self._candidates(index):
                if len(self.chosen[index]) >= requirement.fewest and inspector_id not in self.fixed:
                    break
                if len(self.chosen[index]) >= requirement.count or not self._room(index):
                    break
                self._take(index, inspector_id)
            if len(self.chosen[index]) < requirement.fewest:
                return False
        return True

    def _fill_to_wanted_size(self) -> None:
        for index, requirement, _ in self.slots:
            for inspector_id in self._candidates(index):
                if len(self.chosen[index]) >= requirement.count or not self._room(index):
                    break
                self._take(index, inspector_id)

    def _candidates(self, index: int) -> list[int]:
        _, requirement, organisation = next(s for s in self.slots if s[0] == index)
        weeks = {self.week + offset for offset in requirement.weeks}
        ids = [
            inspector.id
            for inspector in self.instance.inspectors
            if self._may_take(index, inspector, requirement, organisation, weeks)
        ]
        ids.sort(key=lambda i: i not in self.fixed)  # fixed people first, then in list order
        return ids

    def _may_take(
        self,
        index: int,
        inspector: Inspector,
        requirement: Requirement,
        organisation: str,
        weeks: set[int],
    ) -> bool:
        if inspector.id in self.taken or not qualifies(inspector, requirement, organisation):
            return False
        if inspector.id in self.fixed and self.fixed[inspector.id] not in (None, index):
            return False
        if barred_by(self.instance, self.event, inspector) or weeks & self.diary.busy[inspector.id]:
            return False
        return bool(dbs_valid_weeks(self.instance, self.event, requirement, inspector, [self.week]))

    def _room(self, index: int) -> bool:
        requirement = next(s[1] for s in self.slots if s[0] == index)
        return self.maximum is None or all(
            self.on_site[o] < self.maximum for o in requirement.weeks
        )

    def _take(self, index: int, inspector_id: int) -> None:
        requirement = next(s[1] for s in self.slots if s[0] == index)
        self.chosen[index].append(inspector_id)
        self.taken.add(inspector_id)
        for offset in requirement.weeks:
            self.on_site[offset] += 1


def _team(
    instance: Instance, event: RequiredEvent, week: int, diary: _Diary
) -> list[Member] | None:
    """A first-fit team for `event` starting in `week`, or None."""
    return _TeamBuilder(instance, event, week, diary).build()


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
