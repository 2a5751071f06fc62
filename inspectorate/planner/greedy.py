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

    def __init__(
        self,
        instance: Instance,
        event: RequiredEvent,
        week: int,
        diary: _Diary,
        draft_team: tuple[Member, ...] = (),
    ) -> None:
        self.instance, self.event, self.week, self.diary = instance, event, week, diary
        self.fixed = {f.inspector: f.slot for f in instance.fixed_for(event.key)}
        self.chosen: dict[int, list[int]] = defaultdict(list)  # slot -> inspector ids
        self.taken: set[int] = set()
        self.on_site: Counter[int] = Counter()
        self.maximum = instance.site_of(event).on_site_maximum
        self.slots = instance.slots(event)
        self.places = {index: (requirement, org) for index, requirement, org in self.slots}
        self.weeks = {
            index: frozenset(week + offset for offset in requirement.weeks)
            for index, requirement, _ in self.slots
        }
        # A draft's team is only mended: each place is filled back to its draft size, not
        # beyond, after its members who are still allowed in it.
        self.sizes = {index: requirement.count for index, requirement, _ in self.slots}
        if draft_team:
            drafted = Counter(member.slot for member in draft_team)
            self.sizes = {i: max(r.fewest, drafted[i]) for i, r, _ in self.slots}
        self.kept = tuple(
            member
            for member in draft_team
            if member.slot in self.places
            and member.inspector in instance.inspector_by_id
            and self.allowed(member.slot, instance.inspector_by_id[member.inspector])
        )
        for member in self.kept:
            self._take(member.slot, member.inspector)

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
                if len(self.chosen[index]) >= self.sizes[index] or not self._room(index):
                    break
                self._take(index, inspector_id)
            if len(self.chosen[index]) < requirement.fewest:
                return False
        return True

    def _fill_to_wanted_size(self) -> None:
        for index, _, _ in self.slots:
            for inspector_id in self._candidates(index):
                if len(self.chosen[index]) >= self.sizes[index] or not self._room(index):
                    break
                self._take(index, inspector_id)

    def _candidates(self, index: int) -> list[int]:
        weeks = self.weeks[index]
        ids = [
            inspector.id
            for inspector in self.instance.inspectors
            if inspector.id not in self.taken
            and self.allowed(index, inspector)
            and not weeks & self.diary.busy[inspector.id]
        ]
        ids.sort(key=lambda i: i not in self.fixed)  # fixed people first, then in list order
        return ids

    def allowed(self, index: int, inspector: Inspector) -> bool:
        """May `inspector` fill place `index` of this event in this week, busy or not: they
        qualify, are not barred, are vetted for those weeks and not on leave in them."""
        requirement, organisation = self.places[index]
        if not qualifies(inspector, requirement, organisation):
            return False
        if inspector.id in self.fixed and self.fixed[inspector.id] not in (None, index):
            return False
        if self.weeks[index] & inspector.unavailable_weeks:
            return False
        if barred_by(self.instance, self.event, inspector):
            return False
        return bool(dbs_valid_weeks(self.instance, self.event, requirement, inspector, [self.week]))

    def _room(self, index: int) -> bool:
        requirement, _ = self.places[index]
        return self.maximum is None or all(
            self.on_site[o] < self.maximum for o in requirement.weeks
        )

    def _take(self, index: int, inspector_id: int) -> None:
        requirement, _ = self.places[index]
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


def greedy_teams(instance: Instance, weeks: Mapping[str, int], draft: Plan | None = None) -> Plan:
    """First-fit teams for events whose weeks are decided (the team phase's first hint).
    An event no team fits is left with whoever could be found so far: none.

    With a `draft` (re-planning), an event that keeps its draft week keeps its draft team,
    less anyone no longer allowed in it (withdrawn, on leave, conflicted), and only those
    gaps are filled, first-fit, around everyone else's draft places: the plan that changes
    least, so that a search cut short still starts from it."""
    diary = _Diary(instance)
    builders = [
        _TeamBuilder(instance, event, weeks[event.key], diary, _draft_team(draft, event.key, weeks))
        for event in _order(instance)
    ]
    for builder in builders:  # the kept members are busy before any gap is filled
        for member in builder.kept:
            diary.busy[member.inspector].update(member.weeks)
    placements = []
    for builder in builders:
        members = builder.build() or list(builder.kept)
        for member in members:
            diary.busy[member.inspector].update(member.weeks)
        placements.append(Placement(builder.event.key, builder.week, tuple(members)))
    return Plan(tuple(placements))


def _draft_team(draft: Plan | None, event: str, weeks: Mapping[str, int]) -> tuple[Member, ...]:
    """The draft's team for `event` if the event keeps its draft week, else none."""
    before = draft.by_event.get(event) if draft is not None else None
    return before.members if before is not None and before.week == weeks[event] else ()
