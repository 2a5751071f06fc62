"""The programme as a CP-SAT model: a start week and a team for every required event.

Week-granular. For each event an integer start week `s[e]` (its domain: the weeks that fit in
the programme, are not closed, hold no bank holiday of the establishment's nation on a day on
site (WD-1) and give the notice needed (PG-5, PG-7)), channelled to one Boolean per week. For
each team place and each inspector who could fill it a Boolean `x[e, k, i]` with an optional
interval over the weeks that place is on site (Ofsted's place at a full inspection: the second
week, PG-9); one no-overlap per inspector over those intervals and their unavailable weeks
keeps everyone to one thing a week (TM-5). Vetting (TM-1) is a window on `s[e]` for `x`;
conflicts (TM-2) and the improvement-HMI separation (TM-4) remove the variable.

The objective, lower being better: weeks outside each event's due window; workload balance,
as each inspector's weeks on site above their organisation's fair share (the wanted weeks of
its places divided among its inspectors), with a redundant lower bound for each group of
inspectors who alone can fill some places (team leaders, health specialists, education
leads) so that the LP relaxation can prove optimality; places filled from outside the
region; team places left empty (PG-11 can force a smaller team); and, against a draft,
events moved and inspectors taken off (or moved to another place). `checker.score`
computes the same number independently.

(Balance was first the busiest inspector's load per organisation, with the redundant bound
busiest * n >= total load; on the national instance the team phase then stalled at a gap of
0.1 to 0.5% in two runs out of three. Weeks above the fair share prove optimal in seconds.)

With `explain=True` the same builder guards each group of rules with an assumption literal
and drops the objective, for explain.py's unsatisfiable cores.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from itertools import combinations
from typing import Any

from ortools.sat.python import cp_model

from inspectorate.planner.domains import (
    barred_by,
    dbs_valid_weeks,
    lateness_weeks,
    qualifies,
    week_reasons,
)
from inspectorate.planner.greedy import greedy_teams
from inspectorate.planner.instance import (
    Inspector,
    Instance,
    Member,
    Placement,
    Plan,
    RequiredEvent,
    Requirement,
)

GroupKey = tuple[Hashable, ...]

OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "optimal", "feasible", "infeasible", "unknown"
# Weeks, then teams, each phase proved optimal: the best teams for the weeks the week
# phase judged best. Not a proof over every plan (see WeekModel).
OPTIMAL_IN_PHASES = "optimal_in_phases"
JOINT, WEEKS_THEN_TEAMS, AUTO = "joint", "weeks_then_teams", "auto"
# Up to this many events the joint model is solved directly (and proves optimality);
# beyond it, weeks then teams.
JOINT_UP_TO = 12

WEEKS_PHASE, TEAMS_PHASE = "weeks", "teams"


@dataclass(frozen=True)
class Progress:
    """Where a search stands: solutions found, best score, best bound, seconds elapsed,
    and which phase (joint, weeks, teams). In the weeks phase the score is the week
    model's own estimate, not a plan's score."""

    solutions: int
    score: int | None
    bound: int | None
    elapsed: float
    phase: str = JOINT

    @property
    def gap(self) -> float | None:
        return relative_gap(self.score, self.bound)


def relative_gap(score: int | None, bound: int | None) -> float | None:
    if score is None or bound is None:
        return None
    return max(0.0, (score - bound) / max(1, abs(score)))


@dataclass(frozen=True)
class PhaseResult:
    phase: str
    status: str
    score: int | None
    bound: int | None
    elapsed: float  # seconds this phase ran


@dataclass(frozen=True)
class SolveResult:
    """OPTIMAL: proved best over every plan (joint model). OPTIMAL_IN_PHASES: each phase
    proved optimal. FEASIBLE: a plan, not proved best (time limit, or stopped).
    INFEASIBLE: no plan keeps the rules (explain.py says why). UNKNOWN: no plan found in
    time."""

    status: str
    plan: Plan | None
    score: int | None
    bound: int | None  # a bound on the score for this method (the teams phase's, phased)
    elapsed: float
    first_feasible: float | None  # seconds to the first complete plan
    stopped: bool = False  # stopped on request before the time limit
    method: str = JOINT
    phases: tuple[PhaseResult, ...] = ()
    history: tuple[Progress, ...] = field(default=(), repr=False)
    global_bound: int | None = None  # a bound over every plan (joint model), when known

    @property
    def gap(self) -> float | None:
        return relative_gap(self.score, self.bound)

    @property
    def global_gap(self) -> float | None:
        bound = self.bound if self.method == JOINT else self.global_bound
        return relative_gap(self.score, bound)

    @property
    def has_plan(self) -> bool:
        return self.plan is not None


# The builder ----------------------------------------------------------------------------


@dataclass
class _Slot:
    event: str
    index: int
    requirement: Requirement
    organisation: str
    x: dict[int, Any] = field(default_factory=dict)  # inspector id -> BoolVar


class PlannerModel:
    """The CP-SAT model of an instance; `explain=True` guards rule groups by assumptions.

    With `weeks` (event -> start week) the weeks are decided already and only the teams are
    chosen: the team phase of "weeks, then teams". Then one inspector, one event a week
    (TM-5) is an at-most-one per inspector and week, whose LP relaxation is strong, instead
    of a no-overlap over intervals."""

    def __init__(
        self,
        instance: Instance,
        *,
        explain: bool = False,
        weeks: Mapping[str, int] | None = None,
    ) -> None:
        self.instance = instance
        self.explain = explain
        self.weeks = weeks
        self._weekly: dict[tuple[int, int], list[Any]] = defaultdict(list)
        self.model = cp_model.CpModel()
        self.assumptions: dict[GroupKey, Any] = {}
        self._by_index: dict[int, Any] = {}
        self.start: dict[str, Any] = {}
        self.at: dict[str, dict[int, Any]] = {}
        self.slots: dict[str, list[_Slot]] = {}
        self.fair_share: dict[str, int] = {}
        self.objective_terms: dict[str, Any] = {}
        self._intervals: dict[int, list[Any]] = defaultdict(list)
        self._build()

    def literal_at(self, index: int) -> Any:
        """The assumption literal with this variable index."""
        return self._by_index[index]

    def guard(self, *key: Hashable) -> list[Any]:
        """The enforcement literals of a rule group: none normally; in explain mode its
        assumption literal, created on first use."""
        if not self.explain:
            return []
        if key not in self.assumptions:
            literal = self.model.new_bool_var(repr(key))
            self.assumptions[key] = literal
            self._by_index[literal.index] = literal
        return [self.assumptions[key]]

    # Building ---------------------------------------------------------------------------

    def _build(self) -> None:
        for event in self.instance.events:
            self._add_event(event)
        for event in self.instance.events:
            self._add_team(event)
        if self.weeks is None:
            self._add_unavailability()
        for intervals in self._intervals.values():
            if len(intervals) > 1:
                self.model.add_no_overlap(intervals)
        for xs in self._weekly.values():
            if len(xs) > 1:
                self.model.add_at_most_one(xs)
        self._add_start_limits()
        self._add_site_clashes()
        self._add_fixed_assignments()
        if not self.explain:
            self._add_objective()

    def _add_event(self, event: RequiredEvent) -> None:
        model, key = self.model, event.key
        reasons = week_reasons(self.instance, event)
        weeks = [w for w in range(self.instance.weeks) if w not in reasons.horizon]
        if not self.explain:
            weeks = reasons.allowed(self.instance.weeks)
        if self.weeks is not None:
            weeks = [self.weeks[key]]
        if not weeks:  # no week at all: the model is infeasible
            self.start[key] = model.new_int_var(0, 0, f"s[{key}]")
            self.at[key] = {}
            model.add_bool_or([]).only_enforce_if(self.guard("weeks", key))
            return
        start = model.new_int_var_from_domain(cp_model.Domain.from_values(weeks), f"s[{key}]")
        at = {w: model.new_bool_var(f"y[{key},{w}]") for w in weeks}
        model.add_exactly_one(at.values())
        model.add(start == sum(w * y for w, y in at.items()))
        self.start[key], self.at[key] = start, at
        if self.explain:
            for group, blocked in (
                ("closed", reasons.closed),
                ("bank", reasons.bank),
                ("notice", reasons.notice),
                ("fixed_week", reasons.fixed),
            ):
                for week in blocked & set(at):
                    model.add(at[week] == 0).only_enforce_if(self.guard(group, key))

    def _dbs_window(
        self, event: RequiredEvent, requirement: Requirement, inspector: Inspector
    ) -> tuple[int, int] | None:
        """The start weeks [low, high] for which `inspector`'s DBS check covers their days
        on site, when that is not every week (TM-1); (1, 0) when none."""
        weeks = list(self.at[event.key])
        valid = dbs_valid_weeks(self.instance, event, requirement, inspector, weeks)
        if valid == weeks:
            return None
        return (valid[0], valid[-1]) if valid else (1, 0)

    def _add_team(self, event: RequiredEvent) -> None:
        fixed_people = {f.inspector for f in self.instance.fixed_for(event.key)}
        slots = [
            self._add_slot(event, index, requirement, organisation, fixed_people)
            for index, requirement, organisation in self.instance.slots(event)
        ]
        self.slots[event.key] = slots
        self._add_one_place_each(slots)
        self._add_on_site_maximum(event, slots)

    def _add_slot(
        self,
        event: RequiredEvent,
        index: int,
        requirement: Requirement,
        organisation: str,
        fixed_people: set[int],
    ) -> _Slot:
        """One team place: a variable for each inspector who may fill it, and its size."""
        model, key = self.model, event.key
        slot = _Slot(key, index, requirement, organisation)
        for inspector in self.instance.inspectors:
            if qualifies(inspector, requirement, organisation):
                self._add_candidate(event, slot, inspector, inspector.id in fixed_people)
        filled = sum(slot.x.values())
        model.add(filled <= requirement.count)
        model.add(filled >= requirement.fewest).only_enforce_if(self.guard("team", key))
        return slot

    def _add_candidate(
        self, event: RequiredEvent, slot: _Slot, inspector: Inspector, fixed: bool
    ) -> None:
        """The variable for `inspector` in `slot`, unless a rule always bars them from it
        (kept, as a guarded constraint, when explaining or when the coordinator fixed them)."""
        key, requirement = event.key, slot.requirement
        barred = [
            (rule.lower().replace("-", ""), inspector.id)
            for rule in barred_by(self.instance, event, inspector)
        ]
        if barred and not self.explain and not fixed:
            return
        window = self._dbs_window(event, requirement, inspector)
        if window == (1, 0) and not self.explain and not fixed:
            return
        on_site = self._member_weeks(key, requirement)
        away = on_site is not None and bool(on_site & inspector.unavailable_weeks)
        if away and not fixed:
            return
        x = self.model.new_bool_var(f"x[{key},{slot.index},{inspector.id}]")
        slot.x[inspector.id] = x
        self._add_candidate_bars(x, self.start[key], inspector, barred, away, window)
        if on_site is not None:
            for week in on_site:
                self._weekly[inspector.id, week].append(x)
            return
        offset, size = requirement.weeks[0], len(requirement.weeks)
        interval = self.model.new_optional_fixed_size_interval_var(
            self.start[key] + offset, size, x, f"i[{key},{slot.index},{inspector.id}]"
        )
        self._intervals[inspector.id].append(interval)

    def _add_candidate_bars(
        self,
        x: Any,
        start: Any,
        inspector: Inspector,
        barred: list[tuple[str, int]],
        away: bool,
        window: tuple[int, int] | None,
    ) -> None:
        model = self.model
        for group in barred:
            model.add(x == 0).only_enforce_if(self.guard(*group))
        if away:
            model.add(x == 0)
        if window is not None:
            low, high = window
            model.add(start >= low).only_enforce_if([x, *self.guard("tm1", inspector.id)])
            model.add(start <= high).only_enforce_if([x, *self.guard("tm1", inspector.id)])

    def _add_one_place_each(self, slots: list[_Slot]) -> None:
        """An inspector holds at most one of the event's places."""
        people: dict[int, list[Any]] = defaultdict(list)
        for slot in slots:
            for inspector_id, x in slot.x.items():
                people[inspector_id].append(x)
        for xs in people.values():
            if len(xs) > 1:
                self.model.add_at_most_one(xs)

    def _member_weeks(self, key: str, requirement: Requirement) -> set[int] | None:
        """With the weeks decided: the weeks a member in `requirement`'s place is on site."""
        if self.weeks is None:
            return None
        return {self.weeks[key] + offset for offset in requirement.weeks}

    def _add_on_site_maximum(self, event: RequiredEvent, slots: list[_Slot]) -> None:
        maximum = self.instance.site_of(event).on_site_maximum
        if maximum is None:
            return
        for offset in range(self.instance.spec_of(event).weeks):
            present = [
                x for slot in slots if offset in slot.requirement.weeks for x in slot.x.values()
            ]
            if len(present) > maximum:
                self.model.add(sum(present) <= maximum).only_enforce_if(
                    self.guard("onsite", event.key)
                )

    def _add_unavailability(self) -> None:
        for inspector in self.instance.inspectors:
            if inspector.id not in self._intervals:
                continue
            for first, length in _runs(sorted(inspector.unavailable_weeks)):
                if self.explain:
                    present = self.guard("leave", inspector.id)[0]
                    interval = self.model.new_optional_fixed_size_interval_var(
                        first, length, present, f"leave[{inspector.id},{first}]"
                    )
                else:
                    interval = self.model.new_fixed_size_interval_var(
                        first, length, f"leave[{inspector.id},{first}]"
                    )
                self._intervals[inspector.id].append(interval)

    def _add_start_limits(self) -> None:
        starting: dict[tuple[str, int], list[Any]] = defaultdict(list)
        for event in self.instance.events:
            for organisation in self.instance.organisations_of(event):
                for week, y in self.at[event.key].items():
                    starting[organisation, week].append(y)
        for (organisation, _week), ys in starting.items():
            limit = self.instance.start_limits.get(organisation)
            if limit is not None and len(ys) > limit:
                self.model.add(sum(ys) <= limit).only_enforce_if(self.guard("limit", organisation))

    def _add_site_clashes(self) -> None:
        by_site: dict[str, list[RequiredEvent]] = defaultdict(list)
        for event in self.instance.events:
            by_site[event.site].append(event)
        for events in by_site.values():
            if len(events) > 1:
                self.model.add_no_overlap(
                    [
                        self.model.new_fixed_size_interval_var(
                            self.start[e.key], self.instance.spec_of(e).weeks, f"site[{e.key}]"
                        )
                        for e in events
                    ]
                )

    def _add_fixed_assignments(self) -> None:
        for fixed in self.instance.fixed_assignments:
            xs = [
                slot.x[fixed.inspector]
                for slot in self.slots[fixed.event]
                if fixed.inspector in slot.x and fixed.slot in (None, slot.index)
            ]
            guard = self.guard("fixed_member", fixed.event, fixed.inspector)
            if not xs:
                self.model.add_bool_or([]).only_enforce_if(guard)  # false: cannot be kept
            else:
                self.model.add(sum(xs) == 1).only_enforce_if(guard)

    def _add_objective(self) -> None:
        instance, weights = self.instance, self.instance.weights
        lateness = sum(
            lateness_weeks(instance, event, w) * y
            for event in instance.events
            for w, y in self.at[event.key].items()
        )
        loads, region, understaffing = self._assignment_terms()
        balance = self._balance_term(loads)
        moved, reassigned = self._draft_terms()
        self.objective_terms = {
            "lateness": lateness,
            "balance": balance,
            "region": sum(region),
            "understaffing": understaffing,
            "moved": moved,
            "reassigned": reassigned,
        }
        self.model.minimize(
            sum(getattr(weights, name) * term for name, term in self.objective_terms.items())
        )

    def _assignment_terms(self) -> tuple[dict[int, list[Any]], list[Any], Any]:
        """Each inspector's weeks on site, the members placed outside their region and the
        places left short of their wanted size."""
        instance = self.instance
        loads: dict[int, list[Any]] = defaultdict(list)
        region: list[Any] = []
        understaffing: Any = 0
        for event in instance.events:
            site = instance.site_of(event)
            for slot in self.slots[event.key]:
                size = len(slot.requirement.weeks)
                understaffing += slot.requirement.count - sum(slot.x.values())
                for inspector_id, x in slot.x.items():
                    loads[inspector_id].append(size * x)
                    home = instance.inspector_by_id[inspector_id].region
                    if site.region and home != site.region:
                        region.append(x)
        return loads, region, understaffing

    def _balance_term(self, loads: dict[int, list[Any]]) -> Any:
        """The weeks inspectors carry above their organisation's fair share."""
        instance, model = self.instance, self.model
        balance: Any = 0
        for organisation, groups in self._qualified_groups().items():
            everyone = groups[0][0]
            share = self._fair_share(organisation, len(everyone))
            excess = {}
            for inspector_id in everyone:
                if loads[inspector_id]:
                    above = model.new_int_var(0, instance.weeks, f"excess[{inspector_id}]")
                    model.add(above >= sum(loads[inspector_id]) - share)
                    excess[inspector_id] = above
            for group, least in groups:
                # Redundant: a group carries at least the smallest teams of the places only
                # it can fill (team leaders, health specialists, education leads), so its
                # weeks above the fair share add up to at least what exceeds its shares.
                above_share = [excess[i] for i in group if i in excess]
                if least > len(group) * share and above_share:
                    model.add(sum(above_share) >= least - len(group) * share)
            self.fair_share[organisation] = share
            balance += sum(excess.values())
        return balance

    def _draft_terms(self) -> tuple[Any, Any]:
        """The draft's events moved to another week, and its members not kept in their place."""
        moved: Any = 0
        reassigned: Any = 0
        draft = self.instance.draft
        if draft is None:
            return moved, reassigned
        for before in draft.placements:
            if before.event not in self.instance.event_by_key:
                continue
            y = self.at[before.event].get(before.week)
            moved += 1 if y is None else 1 - y
            for member in before.members:
                xs = [
                    slot.x[member.inspector]
                    for slot in self.slots[before.event]
                    if member.inspector in slot.x and slot.index == member.slot
                ]
                reassigned += 1 - sum(xs)  # kept only in the same place (role)
        return moved, reassigned

    def _fair_share(self, organisation: str, people: int) -> int:
        """Each inspector's fair share of the organisation's weeks on site, were every team
        full: the wanted weeks of its places divided among its inspectors, rounded up."""
        wanted = sum(
            requirement.count * len(requirement.weeks)
            for event in self.instance.events
            for _, requirement, place_organisation in self.instance.slots(event)
            if place_organisation == organisation
        )
        return math.ceil(wanted / people) if people else 0

    def _qualified_groups(self) -> dict[str, list[tuple[frozenset[int], int]]]:
        """For each organisation: its inspectors, then each set of inspectors who alone
        qualify for some kind of place, each with the least load (weeks) those places need
        of it. The organisation as a whole comes first."""
        instance = self.instance
        staff: dict[str, list[Inspector]] = defaultdict(list)
        for inspector in instance.inspectors:
            staff[inspector.organisation].append(inspector)
        needs: dict[str, dict[frozenset[int], int]] = defaultdict(lambda: defaultdict(int))
        for event in instance.events:
            for _, requirement, organisation in instance.slots(event):
                group = frozenset(
                    i.id for i in staff[organisation] if qualifies(i, requirement, organisation)
                )
                needs[organisation][group] += requirement.fewest * len(requirement.weeks)
        groups: dict[str, list[tuple[frozenset[int], int]]] = {}
        for organisation, people in staff.items():
            everyone = frozenset(i.id for i in people)
            total = sum(needs[organisation].values())
            groups[organisation] = [(everyone, total)]
            for group in needs[organisation]:
                if group and group != everyone:
                    least = sum(n for g, n in needs[organisation].items() if g <= group)
                    groups[organisation].append((group, least))
        return groups

    # Reading and hinting ----------------------------------------------------------------

    def hint(self, plan: Plan) -> None:
        """Suggest `plan` (or the part of it that fits) as the first solution."""
        self.model.clear_hints()
        for key, at in self.at.items():
            week = plan.week_of(key)
            if week is None or week not in at:
                continue
            self.model.add_hint(self.start[key], week)
            for w, y in at.items():
                self.model.add_hint(y, w == week)
            members = {(m.slot, m.inspector) for m in plan.by_event[key].members}
            for slot in self.slots[key]:
                for inspector_id, x in slot.x.items():
                    self.model.add_hint(x, (slot.index, inspector_id) in members)

    def plan_from(self, value: Callable[[Any], int]) -> Plan:
        placements = []
        for event in self.instance.events:
            week = int(value(self.start[event.key]))
            members = [
                Member(
                    inspector_id,
                    slot.index,
                    tuple(week + offset for offset in slot.requirement.weeks),
                )
                for slot in self.slots[event.key]
                for inspector_id, x in slot.x.items()
                if value(x)
            ]
            placements.append(Placement(event.key, week, tuple(members)))
        return Plan(tuple(placements))


# The week phase -------------------------------------------------------------------------


class WeekModel:
    """The first phase of "weeks, then teams": a start week for every event, no teams.

    Hard: the allowed weeks, the weekly start limits, one event at a time per
    establishment, and for every organisation and week enough inspectors free to fill the
    smallest teams of everything on site (for each set of kinds of place, as Hall's
    condition asks; necessary, not sufficient, so the team phase can still fail). Soft, in
    place of the team costs it cannot see: weeks outside the due windows and events moved
    from the draft, as in the full model (doubled, to stay in proportion with the next,
    counted per week on site); per organisation and week, the places wanted beyond the
    inspectors free then (places that will go empty), at the understaffing weight; and per
    region too, at the region weight (places that will be filled from elsewhere).
    """

    def __init__(self, instance: Instance, *, relax: frozenset[str] = frozenset()) -> None:
        """`relax` leaves out groups of rules (explain.py asks which ones block): closed,
        bank, notice, fixed (weeks), limit (start limits), capacity, site."""
        self.instance = instance
        self.model = cp_model.CpModel()
        self.at: dict[str, dict[int, Any]] = {}
        for event in instance.events:
            weeks = week_reasons(instance, event).allowed(instance.weeks, relax)
            self.at[event.key] = {w: self.model.new_bool_var(f"y[{event.key},{w}]") for w in weeks}
            if weeks:
                self.model.add_exactly_one(self.at[event.key].values())
            else:
                self.model.add_bool_or([])
        if "limit" not in relax:
            self._add_start_limits()
        if "site" not in relax:
            self._add_site_clashes()
        if "capacity" not in relax:
            self._add_capacity()
        self._add_objective()

    def _on_site(self, event: RequiredEvent, requirement: Requirement, week: int) -> list[Any]:
        at = self.at[event.key]
        return [at[week - offset] for offset in requirement.weeks if week - offset in at]

    def _add_start_limits(self) -> None:
        for organisation, limit in self.instance.start_limits.items():
            for week in range(self.instance.weeks):
                ys = [
                    self.at[e.key][week]
                    for e in self.instance.events
                    if week in self.at[e.key] and organisation in self.instance.organisations_of(e)
                ]
                if len(ys) > limit:
                    self.model.add(sum(ys) <= limit)

    def _add_site_clashes(self) -> None:
        by_site: dict[str, list[RequiredEvent]] = defaultdict(list)
        for event in self.instance.events:
            by_site[event.site].append(event)
        for events in by_site.values():
            if len(events) < 2:
                continue
            for week in range(self.instance.weeks):
                present = [
                    self.at[e.key][w]
                    for e in events
                    for w in range(week - self.instance.spec_of(e).weeks + 1, week + 1)
                    if w in self.at[e.key]
                ]
                if len(present) > 1:
                    self.model.add(sum(present) <= 1)

    def _free_weeks(self, inspector: Inspector) -> frozenset[int]:
        """The weeks `inspector` could be on site: not unavailable and, when every site
        needs one, with a DBS check valid all week (TM-1)."""
        weeks = set(range(self.instance.weeks)) - inspector.unavailable_weeks
        if all(site.custodial for site in self.instance.sites):
            valid_from, valid_until = inspector.dbs_from, inspector.dbs_until
            if valid_from is None or valid_until is None:
                return frozenset()
            weeks = {
                w
                for w in weeks
                if valid_from <= self.instance.monday(w)
                and self.instance.monday(w) + timedelta(days=4) <= valid_until
            }
        return frozenset(weeks)

    def _add_capacity(self) -> None:
        instance = self.instance
        places: dict[str, dict[tuple[bool, str], list[tuple[RequiredEvent, Requirement]]]]
        places = defaultdict(lambda: defaultdict(list))
        for event in instance.events:
            for _, requirement, organisation in instance.slots(event):
                kind = (requirement.lead, requirement.specialism)
                places[organisation][kind].append((event, requirement))
        for organisation, by_kind in places.items():
            kinds = list(by_kind)
            staff = [i for i in instance.inspectors if i.organisation == organisation]
            free = {i.id: self._free_weeks(i) for i in staff}
            for size in range(1, len(kinds) + 1):
                for chosen in combinations(kinds, size):
                    requirements = {k: by_kind[k][0][1] for k in chosen}
                    pool = [
                        i
                        for i in staff
                        if any(qualifies(i, r, organisation) for r in requirements.values())
                    ]
                    for week in range(instance.weeks):
                        demand = [
                            (requirement.fewest, y)
                            for k in chosen
                            for event, requirement in by_kind[k]
                            for y in self._on_site(event, requirement, week)
                        ]
                        available = sum(1 for i in pool if week in free[i.id])
                        if sum(fewest for fewest, _ in demand) > available:
                            self.model.add(sum(f * y for f, y in demand) <= available)

    def _add_objective(self) -> None:
        instance, weights = self.instance, self.instance.weights
        terms: list[Any] = []
        for event in instance.events:
            for week, y in self.at[event.key].items():
                late = lateness_weeks(instance, event, week)
                if late:
                    terms.append(2 * weights.lateness * late * y)
        draft = instance.draft
        if draft is not None:
            for before in draft.placements:
                if before.event in self.at:
                    y = self.at[before.event].get(before.week)
                    terms.append(2 * weights.moved * (1 if y is None else 1 - y))
        terms += self._shortfall(by_region=False, weight=weights.understaffing)
        if weights.region:
            terms += self._shortfall(by_region=True, weight=weights.region)
        self.model.minimize(sum(terms))

    def _shortfall(self, *, by_region: bool, weight: int) -> list[Any]:
        """Per organisation and week (and region), the places wanted beyond the inspectors
        free then: team places that will go empty (understaffing) or, by region, be filled
        from another region."""
        instance = self.instance
        wanted: dict[tuple[str, str, int], list[tuple[int, Any]]] = defaultdict(list)
        for event in instance.events:
            region = instance.site_of(event).region if by_region else ""
            if by_region and not region:
                continue
            for _, requirement, organisation in instance.slots(event):
                for week in range(instance.weeks):
                    for y in self._on_site(event, requirement, week):
                        wanted[region, organisation, week].append((requirement.count, y))
        terms = []
        for (region, organisation, week), demand in wanted.items():
            free = sum(
                1
                for i in instance.inspectors
                if i.organisation == organisation
                and (i.region == region or not by_region)
                and week not in i.unavailable_weeks
            )
            most = sum(count for count, _ in demand)
            if most <= free or not weight:
                continue
            short = self.model.new_int_var(0, most, f"short[{region},{organisation},{week}]")
            self.model.add(short >= sum(count * y for count, y in demand) - free)
            terms.append(weight * short)
        return terms

    def hint(self, plan: Plan) -> None:
        for key, at in self.at.items():
            week = plan.week_of(key)
            if week in at:
                for w, y in at.items():
                    self.model.add_hint(y, w == week)

    def weeks_from(self, value: Callable[[Any], int]) -> dict[str, int]:
        return {key: next(w for w, y in at.items() if value(y)) for key, at in self.at.items()}

    def weeks_of(self, plan: Plan) -> dict[str, int] | None:
        """`plan`'s week for every event, or None when one has no allowed week here."""
        weeks = {key: plan.week_of(key) for key in self.at}
        if any(week not in self.at[key] for key, week in weeks.items()):
            return None
        return weeks  # type: ignore[return-value]

    def cost_of(self, weeks: dict[str, int], workers: int) -> float | None:
        """The objective with every event in its week of `weeks` (only the shortfall counts
        left to the solver, which settles them at once); None when those weeks break a hard
        rule here."""
        fixed = self.model.clone()
        for key, week in weeks.items():
            fixed.add(fixed.get_bool_var_from_proto_index(self.at[key][week].index) == 1)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 5.0
        solver.parameters.num_workers = workers
        if solver.solve(fixed) != cp_model.OPTIMAL:
            return None
        return solver.objective_value


def _runs(weeks: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of `weeks` as (first, length)."""
    runs: list[tuple[int, int]] = []
    for week in weeks:
        if runs and runs[-1][0] + runs[-1][1] == week:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((week, 1))
    return runs


# Solving --------------------------------------------------------------------------------


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Hears every better solution (and bound): keeps the history, reports progress, and
    stops the search when asked."""

    def __init__(
        self,
        phase: str,
        on_progress: Callable[[Progress], None] | None,
        stop: threading.Event | None,
        started: float,
    ) -> None:
        super().__init__()
        self.phase = phase
        self.on_progress = on_progress
        self.stop = stop
        self.started = started
        self.solutions = 0
        self.first: float | None = None
        self.history: list[Progress] = []
        self.lock = threading.Lock()
        self.stopped = False  # stop_search called because `stop` was set

    def on_solution_callback(self) -> None:
        elapsed = time.perf_counter() - self.started
        with self.lock:
            self.solutions += 1
            if self.first is None:
                self.first = elapsed
            progress = Progress(
                self.solutions,
                round(self.objective_value),
                math.ceil(self.best_objective_bound - 1e-6),
                elapsed,
                self.phase,
            )
            self.history.append(progress)
        if self.on_progress is not None:
            self.on_progress(progress)
        if self.stop is not None and self.stop.is_set():
            self.stopped = True
            self.stop_search()

    def bound_changed(self, bound: float) -> None:
        with self.lock:
            last = self.history[-1] if self.history else None
            progress = Progress(
                self.solutions,
                last.score if last else None,
                math.ceil(bound - 1e-6),
                time.perf_counter() - self.started,
                self.phase,
            )
        if self.on_progress is not None and last is not None:
            self.on_progress(progress)


@dataclass
class _Run:
    status: Any
    solver: cp_model.CpSolver
    watcher: _Watcher
    elapsed: float
    stopped: bool

    @property
    def found(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def result(self, phase: str) -> PhaseResult:
        score = round(self.solver.objective_value) if self.found else None
        bound = math.ceil(self.solver.best_objective_bound - 1e-6) if self.found else None
        return PhaseResult(phase, _status_name(self.status), score, bound, self.elapsed)


def _status_name(status: Any) -> str:
    return {
        cp_model.OPTIMAL: OPTIMAL,
        cp_model.FEASIBLE: FEASIBLE,
        cp_model.INFEASIBLE: INFEASIBLE,
    }.get(status, UNKNOWN)


def _run(
    model: cp_model.CpModel,
    *,
    phase: str,
    time_limit: float,
    workers: int,
    seed: int,
    started: float,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    full_lp: bool = False,
    settle_after: float | None = None,
) -> _Run:
    """Search `model` for at most `time_limit` seconds. With `settle_after`, the search ends
    sooner: at the first moment after that many seconds when it holds a solution."""
    solver = _solver(time_limit=time_limit, workers=workers, seed=seed, full_lp=full_lp)
    watcher = _Watcher(phase, on_progress, stop, started)
    solver.best_bound_callback = watcher.bound_changed
    done, stopped = threading.Event(), threading.Event()
    if stop is not None:
        _stop_when_asked(solver, stop, done, stopped)
    phase_started = time.perf_counter()
    if settle_after is not None:
        _stop_when_settled(solver, watcher, done, phase_started + settle_after)
    try:
        status = solver.solve(model, watcher)
    finally:
        done.set()
    elapsed = time.perf_counter() - phase_started
    return _Run(status, solver, watcher, elapsed, stopped.is_set() or watcher.stopped)


def _solver(*, time_limit: float, workers: int, seed: int, full_lp: bool) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if full_lp:
        # The team phase's bound comes from the full LP relaxation: with two workers, one
        # searches with it ("max_lp") and one with the default LP (measured: proves optimality
        # in seconds where the default portfolio stalls at a small gap).
        if workers >= 2:
            solver.parameters.subsolvers.extend(["max_lp", "default_lp"])
        else:
            solver.parameters.linearization_level = 2
    else:
        # Probing the no-overlaps of the joint model costs many seconds of presolve.
        solver.parameters.cp_model_probing_level = 0
    return solver


def _stop_when_asked(
    solver: cp_model.CpSolver,
    stop: threading.Event,
    done: threading.Event,
    stopped: threading.Event,
) -> None:
    """Stops the search from a thread when `stop` is set before the search is done."""

    def watch() -> None:
        while not done.is_set():
            if stop.wait(0.1):
                stopped.set()
                solver.stop_search()
                return

    threading.Thread(target=watch, daemon=True).start()


def _stop_when_settled(
    solver: cp_model.CpSolver, watcher: _Watcher, done: threading.Event, deadline: float
) -> None:
    """Stops the search from a thread once `deadline` has passed and a solution is held."""

    def settle() -> None:
        # Stop once the share is spent and a solution is held; until then search on.
        while not done.wait(0.1):
            if time.perf_counter() >= deadline and watcher.solutions:
                solver.stop_search()
                return

    threading.Thread(target=settle, daemon=True).start()


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    hint: Plan | None = None,
    seed: int = 0,
    method: str = AUTO,
    polish: bool = False,
) -> SolveResult:
    """The best plan found within `time_limit` seconds.

    `method`: JOINT solves the whole model at once (it proves optimality on small
    instances); WEEKS_THEN_TEAMS decides the weeks first, then the teams for them (the
    joint model is too slow to prove anything on a national programme on two cores);
    AUTO picks JOINT up to JOINT_UP_TO events. `on_progress` hears of every better plan
    and bound; setting `stop` ends the search early with the best plan so far. `hint`
    (the draft when re-planning, or the greedy plan) is offered as a first solution.

    `polish` (weeks then teams only): once both phases are done, spend the rest of the time
    on the joint model, starting from their plan. It may find a better plan (weeks and teams
    traded together), and its bound is a bound over every plan: `global_bound`."""
    return _true_score(
        instance,
        _solve(instance, time_limit, workers, on_progress, stop, hint, seed, method, polish),
    )


def _true_score(instance: Instance, result: SolveResult) -> SolveResult:
    """The result with its plan's own score. A solution short of optimal may hold the model's
    'above the fair share' variables higher than the loads make them (they are bounded only
    from below, and the search has not yet pushed them down), so its objective value can
    exceed the plan's score; the checker's count is the plan's."""
    from inspectorate.planner import checker

    if result.plan is None:
        return result
    return replace(result, score=checker.score(instance, result.plan).total)


@dataclass(frozen=True)
class _Search:
    """One call of `solve`: what every phase of its search shares."""

    instance: Instance
    time_limit: float
    workers: int
    on_progress: Callable[[Progress], None] | None
    stop: threading.Event | None
    hint: Plan | None
    seed: int
    started: float

    def remaining(self) -> float:
        return self.time_limit - (time.perf_counter() - self.started)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def run(
        self,
        model: cp_model.CpModel,
        phase: str,
        time_limit: float,
        *,
        full_lp: bool = False,
        settle_after: float | None = None,
    ) -> _Run:
        return _run(
            model,
            phase=phase,
            time_limit=time_limit,
            workers=self.workers,
            seed=self.seed,
            started=self.started,
            on_progress=self.on_progress,
            stop=self.stop,
            full_lp=full_lp,
            settle_after=settle_after,
        )


def _solve(
    instance: Instance,
    time_limit: float,
    workers: int,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    hint: Plan | None,
    seed: int,
    method: str,
    polish: bool,
) -> SolveResult:
    started = time.perf_counter()
    search = _Search(instance, time_limit, workers, on_progress, stop, hint, seed, started)
    if method == AUTO:
        method = JOINT if len(instance.events) <= JOINT_UP_TO else WEEKS_THEN_TEAMS
    if method == JOINT:
        return _solve_joint(search)
    phased = _solve_phased(search)
    if not polish or phased.plan is None or phased.stopped:
        return phased
    joint = _solve_joint(replace(search, hint=phased.plan))
    better = joint.score is not None and phased.score is not None and joint.score < phased.score
    return replace(
        joint if better else phased,
        status=OPTIMAL if joint.status == OPTIMAL else phased.status,
        method=f"{WEEKS_THEN_TEAMS}, polished {JOINT}",
        elapsed=search.elapsed(),
        first_feasible=phased.first_feasible,
        stopped=joint.stopped,
        global_bound=joint.bound,
        phases=(*phased.phases, *joint.phases),
        history=(*phased.history, *joint.history),
    )


def _solve_joint(search: _Search) -> SolveResult:
    built = PlannerModel(search.instance)
    if search.hint is not None:
        built.hint(_mended(search.instance, search.hint))
    run = search.run(built.model, JOINT, search.remaining())
    phase = run.result(JOINT)
    return SolveResult(
        status=phase.status,
        plan=built.plan_from(run.solver.value) if run.found else None,
        score=phase.score,
        bound=phase.score if phase.status == OPTIMAL else phase.bound,
        elapsed=search.elapsed(),
        first_feasible=run.watcher.first,
        stopped=run.stopped,
        method=JOINT,
        phases=(phase,),
        history=tuple(run.watcher.history),
    )


def _mended(instance: Instance, hint: Plan) -> Plan:
    """`hint` with each team mended for `instance` (a withdrawn inspector's places filled,
    everyone else kept: `greedy_teams` with the hint as its draft) when it places every
    event; a hint that places only some is offered as it is."""
    weeks = {placement.event: placement.week for placement in hint.placements}
    if any(event.key not in weeks for event in instance.events):
        return hint
    return greedy_teams(instance, weeks, hint)


def _solve_phased(search: _Search) -> SolveResult:
    instance, hint = search.instance, search.hint
    weeks_model = WeekModel(instance)
    if hint is not None:
        weeks_model.hint(hint)
    remaining = search.remaining()
    first = search.run(
        weeks_model.model,
        WEEKS_PHASE,
        remaining * WEEKS_MAX_SHARE,
        settle_after=remaining * WEEKS_SHARE,
        full_lp=True,
    )
    week_phase = first.result(WEEKS_PHASE)
    history = list(first.watcher.history)
    if not first.found:
        return SolveResult(
            status=week_phase.status,
            plan=None,
            score=None,
            bound=None,
            elapsed=search.elapsed(),
            first_feasible=None,
            stopped=first.stopped,
            method=WEEKS_THEN_TEAMS,
            phases=(week_phase,),
            history=tuple(history),
        )
    weeks = weeks_model.weeks_from(first.solver.value)
    if hint is not None:
        weeks = _no_worse_than_the_draft(weeks_model, hint, first, weeks, search.workers)
    teams_model = PlannerModel(instance, weeks=weeks)
    teams_model.hint(greedy_teams(instance, weeks, hint))
    remaining = search.remaining()
    if first.stopped:  # asked to stop: still finish a plan, briefly
        remaining, search = min(remaining, STOPPED_TEAMS_SECONDS), replace(search, stop=None)
    second = search.run(teams_model.model, TEAMS_PHASE, remaining, full_lp=True)
    team_phase = second.result(TEAMS_PHASE)
    history += second.watcher.history
    if team_phase.status == INFEASIBLE:  # no team fits these weeks: search weeks and teams
        fallback = _solve_joint(search)
        return replace(
            fallback,
            method=f"{WEEKS_THEN_TEAMS}, then {JOINT}",
            phases=(week_phase, team_phase, *fallback.phases),
            history=(*history, *fallback.history),
        )
    status = team_phase.status
    if status == OPTIMAL:  # the best teams for these weeks: optimal in phases at most
        status = OPTIMAL_IN_PHASES if week_phase.status == OPTIMAL else FEASIBLE
    return SolveResult(
        status=status,
        plan=teams_model.plan_from(second.solver.value) if second.found else None,
        score=team_phase.score,
        bound=team_phase.bound,
        elapsed=search.elapsed(),
        first_feasible=second.watcher.first,
        stopped=first.stopped or second.stopped,
        method=WEEKS_THEN_TEAMS,
        phases=(week_phase, team_phase),
        history=tuple(history),
    )


def _no_worse_than_the_draft(
    model: WeekModel, hint: Plan, run: _Run, found: dict[str, int], workers: int
) -> dict[str, int]:
    """The hint's weeks when they cost no more than the weeks the search settled for, else
    those. A search cut short (by its share of the time, or on a loaded machine) may hold
    weeks that move events for no gain; a re-plan keeps the draft's weeks unless it found
    better ones."""
    if run.status == cp_model.OPTIMAL:
        return found
    draft = model.weeks_of(hint)
    if draft is None:
        return found
    cost = model.cost_of(draft, workers)
    return draft if cost is not None and cost <= run.solver.objective_value else found


# The weeks phase settles for its best weeks after WEEKS_SHARE of the time limit once it has
# any; while it has none it searches on, up to WEEKS_MAX_SHARE (the teams need the rest).
WEEKS_SHARE = 0.3
WEEKS_MAX_SHARE = 0.8
STOPPED_TEAMS_SECONDS = 5.0
