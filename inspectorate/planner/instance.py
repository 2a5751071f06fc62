"""What the planner plans: a programme year in weeks, the events it must hold, the inspectors
who can staff them, and a plan (a week and a team for every event).

Pure data: frozen dataclasses, no Django, no database, no solver. `selectors.py` builds an
Instance from the database, `generate.py` builds a realistic one from the prison register;
`model.py`, `greedy.py`, `checker.py` and `explain.py` read it.

Time is in weeks: week 0 starts on `Instance.first_monday`. An event starts on the Monday of
its start week and is on site for `KindSpec.days` calendar days (a full inspection: Monday of
the first week to Friday of the second; an IRP: Monday to Wednesday). Each team place
(`Requirement`) is on site for some of the event's weeks: Ofsted's places at a full inspection
are the second week only (PG-9).

Simplifications of the week grain, all on the safe side: an inspector does one event a week
(TM-5), so an IRP's Thursday and Friday are not used for another event; a week with any
weekday of leave or another booking is unavailable; a conflict of interest in force on any
day of the programme bars the inspector from that establishment all year (TM-2).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property

HMIP = "hmip"
OFSTED = "ofsted"
ESTYN = "estyn"
# A Requirement's organisation meaning "whichever inspectorate leads education here" (PG-10).
EDUCATION = "education"

FULL_INSPECTION = "full_inspection"
IRP = "irp"

# Clearance ranks, as inspectors.constants.CLEARANCE_RANK orders them.
CLEARANCE_NONE, CLEARANCE_CTC, CLEARANCE_SC, CLEARANCE_DV = 0, 1, 2, 3


@dataclass(frozen=True)
class Requirement:
    """A place on an event's team: `count` inspectors wanted, at least `minimum` (PG-11 may
    need a smaller team), on site in the event's weeks `weeks` (offsets from its first)."""

    role: str  # a programme TeamRole value: team_leader, ofsted_lead, inspector, specialist
    organisation: str  # HMIP, or EDUCATION for the event's education inspectorate (PG-10)
    count: int
    minimum: int | None = None
    weeks: tuple[int, ...] = (0,)
    lead: bool = False  # only inspectors who may lead (team leaders, Ofsted HMI)
    specialism: str = ""  # inspectors holding this specialism only
    label: str = ""

    @property
    def fewest(self) -> int:
        return self.count if self.minimum is None else self.minimum

    @property
    def title(self) -> str:
        return self.label or self.role.replace("_", " ")


@dataclass(frozen=True)
class KindSpec:
    """How an event kind is run: its days on site, its team, its notice (PG-7)."""

    kind: str
    label: str
    days: int
    requirements: tuple[Requirement, ...]
    notice_months: int = 0  # how far ahead of today it may first be placed
    notice_rule: str = "PG-7"  # the rule asking for that notice

    @property
    def weeks(self) -> int:
        return (self.days + 6) // 7


@dataclass(frozen=True)
class Site:
    """An establishment as the planner sees it."""

    key: str
    name: str
    nation: str = "england"
    region: str = ""
    on_site_maximum: int | None = None  # PG-11
    clearance: int = CLEARANCE_CTC  # the clearance rank an inspector needs there (TM-1)
    custodial: bool = True  # TM-1: an enhanced DBS check valid on every day on site


@dataclass(frozen=True)
class RequiredEvent:
    """An event the programme must hold, due in [due_from, due_to]."""

    key: str
    kind: str
    site: str
    due_from: date
    due_to: date
    education: str = ""  # "", OFSTED or ESTYN: who inspects education at it (PG-8, PG-10)
    reason: str = ""  # why it is required, in words
    label: str = ""


@dataclass(frozen=True)
class Inspector:
    id: int
    name: str
    organisation: str
    region: str = ""
    specialisms: frozenset[str] = frozenset()
    can_lead: bool = False
    unavailable_weeks: frozenset[int] = frozenset()  # leave and other bookings (TM-5)
    dbs_from: date | None = None  # enhanced DBS check: valid from, to (inclusive); TM-1
    dbs_until: date | None = None
    clearance: int = CLEARANCE_NONE
    conflicts: frozenset[str] = frozenset()  # site keys with a declared conflict (TM-2)
    improvement_hmi_for: frozenset[str] = frozenset()  # site keys (TM-4)


@dataclass(frozen=True)
class FixedAssignment:
    """An inspector already decided for an event (and its place, if given)."""

    event: str
    inspector: int
    slot: int | None = None


@dataclass(frozen=True)
class Weights:
    """How much each part of the score costs, per unit."""

    lateness: int = 100  # per week an event starts outside its due window
    balance: int = 20  # per week an inspector is on site above their fair share
    region: int = 3  # per team place filled from outside the establishment's region
    understaffing: int = 200  # per place left empty below the wanted team size
    moved: int = 60  # per event moved from its week in the draft
    reassigned: int = 15  # per inspector taken off an event (or its place) in the draft


@dataclass(frozen=True)
class Member:
    inspector: int
    slot: int  # the index of the Requirement in the event's KindSpec
    weeks: tuple[int, ...]  # the programme weeks this member is on site


@dataclass(frozen=True)
class Placement:
    event: str
    week: int
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Plan:
    placements: tuple[Placement, ...] = ()

    @cached_property
    def by_event(self) -> dict[str, Placement]:
        return {placement.event: placement for placement in self.placements}

    def week_of(self, event: str) -> int | None:
        placement = self.by_event.get(event)
        return placement.week if placement else None

    def team_of(self, event: str) -> frozenset[int]:
        placement = self.by_event.get(event)
        return frozenset(m.inspector for m in placement.members) if placement else frozenset()

    def assignments(self) -> set[tuple[str, int]]:
        """Every (event, inspector) pair of the plan."""
        return {(p.event, m.inspector) for p in self.placements for m in p.members}


def changed_share(before: Plan, after: Plan) -> float:
    """The share of `before`'s assignments (event, inspector) and event weeks that `after`
    does not keep: 0.0 is no change, 1.0 is everything changed."""
    kept_pairs = before.assignments()
    total = len(kept_pairs) + len(before.placements)
    if total == 0:
        return 0.0
    lost = len(kept_pairs - after.assignments())
    moved = sum(1 for p in before.placements if after.week_of(p.event) != p.week)
    return (lost + moved) / total


@dataclass(frozen=True)
class Instance:
    first_monday: date
    weeks: int
    today: date
    sites: tuple[Site, ...]
    events: tuple[RequiredEvent, ...]
    inspectors: tuple[Inspector, ...]
    kinds: tuple[KindSpec, ...]
    closed_weeks: frozenset[int] = frozenset()
    bank_holidays: Mapping[str, frozenset[date]] = field(default_factory=dict)  # by nation
    start_limits: Mapping[str, int] = field(default_factory=dict)  # organisation -> per week
    fixed_weeks: Mapping[str, int] = field(default_factory=dict)
    fixed_assignments: tuple[FixedAssignment, ...] = ()
    draft: Plan | None = None
    weights: Weights = Weights()
    education_notice_months: int = 6  # PG-5: Ofsted told at least six months ahead
    name: str = ""

    def __post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise ValueError("Invalid planner instance: " + "; ".join(problems))

    def _problems(self) -> Iterator[str]:
        if self.first_monday.weekday() != 0:
            yield "first_monday must be a Monday"
        if self.weeks < 1:
            yield "weeks must be at least 1"
        events = [event.key for event in self.events]
        if len(set(events)) != len(events):
            yield "event keys must be unique"
        if len({i.id for i in self.inspectors}) != len(self.inspectors):
            yield "inspector ids must be unique"
        yield from self._event_problems()
        yield from self._kind_problems()
        yield from self._fixed_problems(events)

    def _event_problems(self) -> Iterator[str]:
        sites = {site.key for site in self.sites}
        kinds = {spec.kind for spec in self.kinds}
        for event in self.events:
            if event.site not in sites:
                yield f"event {event.key} names unknown site {event.site}"
            if event.kind not in kinds:
                yield f"event {event.key} has unknown kind {event.kind}"
            if event.due_to < event.due_from:
                yield f"event {event.key} is due to before it is due from"

    def _kind_problems(self) -> Iterator[str]:
        for spec in self.kinds:
            for requirement in spec.requirements:
                offsets = requirement.weeks
                if list(offsets) != list(range(offsets[0], offsets[0] + len(offsets))):
                    yield f"{spec.kind}: a place's weeks must be consecutive"
                if offsets[-1] >= spec.weeks or offsets[0] < 0:
                    yield f"{spec.kind}: a place's weeks must be within the event"
                if not 0 <= requirement.fewest <= requirement.count:
                    yield f"{spec.kind}: a place's minimum must be from 0 to its count"

    def _fixed_problems(self, events: list[str]) -> Iterator[str]:
        for key, week in self.fixed_weeks.items():
            if key not in events:
                yield f"fixed week for unknown event {key}"
            elif not 0 <= week < self.weeks:
                yield f"fixed week {week} of {key} is outside the programme"
        ids = {i.id for i in self.inspectors}
        for fixed in self.fixed_assignments:
            if fixed.event not in events or fixed.inspector not in ids:
                yield f"fixed assignment {fixed} names an unknown event or inspector"

    # Look-ups --------------------------------------------------------------------------

    @cached_property
    def site_by_key(self) -> dict[str, Site]:
        return {site.key: site for site in self.sites}

    @cached_property
    def kind_by_name(self) -> dict[str, KindSpec]:
        return {spec.kind: spec for spec in self.kinds}

    @cached_property
    def event_by_key(self) -> dict[str, RequiredEvent]:
        return {event.key: event for event in self.events}

    @cached_property
    def inspector_by_id(self) -> dict[int, Inspector]:
        return {inspector.id: inspector for inspector in self.inspectors}

    def site_of(self, event: RequiredEvent) -> Site:
        return self.site_by_key[event.site]

    def spec_of(self, event: RequiredEvent) -> KindSpec:
        return self.kind_by_name[event.kind]

    def monday(self, week: int) -> date:
        return self.first_monday + timedelta(weeks=week)

    def slots(self, event: RequiredEvent) -> list[tuple[int, Requirement, str]]:
        """The event's team places: (index, requirement, organisation). Education places are
        left out when no education inspectorate takes part (PG-8)."""
        places = []
        for index, requirement in enumerate(self.spec_of(event).requirements):
            organisation = requirement.organisation
            if organisation == EDUCATION:
                if not event.education:
                    continue
                organisation = event.education
            places.append((index, requirement, organisation))
        return places

    def organisations_of(self, event: RequiredEvent) -> set[str]:
        """The organisations taking part in `event` (for the per-week start limits)."""
        return {organisation for _, _, organisation in self.slots(event)}

    def fixed_for(self, event: str) -> list[FixedAssignment]:
        return [fixed for fixed in self.fixed_assignments if fixed.event == event]

    def describe_event(self, key: str) -> str:
        """'Full inspection of HMP Leeds'."""
        event = self.event_by_key[key]
        if event.label:
            return event.label
        return f"{self.spec_of(event).label} of {self.site_of(event).name}"

    def describe_week(self, week: int) -> str:
        day = self.monday(week)
        return f"the week of {day.day} {day:%B %Y}"

    # Variants --------------------------------------------------------------------------

    def with_draft(self, draft: Plan | None) -> Instance:
        return replace(self, draft=draft)

    def with_inspector_withdrawn(self, inspector_id: int) -> Instance:
        """The same instance with one inspector unavailable all year, and none of their
        fixed assignments kept (they have withdrawn)."""
        everything = frozenset(range(self.weeks))
        inspectors = tuple(
            replace(i, unavailable_weeks=everything) if i.id == inspector_id else i
            for i in self.inspectors
        )
        fixed = tuple(f for f in self.fixed_assignments if f.inspector != inspector_id)
        return replace(self, inspectors=inspectors, fixed_assignments=fixed)


# The standard kinds ---------------------------------------------------------------------

FULL_INSPECTION_SPEC = KindSpec(
    kind=FULL_INSPECTION,
    label="Full inspection",
    days=12,  # Monday of the first week to Friday of the second
    requirements=(
        Requirement("team_leader", HMIP, 1, weeks=(0, 1), lead=True, label="team leader"),
        Requirement("inspector", HMIP, 3, minimum=2, weeks=(0, 1), label="inspector"),
        Requirement(
            "specialist",
            HMIP,
            1,
            weeks=(0, 1),
            specialism="healthcare",
            label="health specialist",
        ),
        # PG-9: the education inspectorate attends the second week.
        Requirement(
            "ofsted_lead",
            EDUCATION,
            1,
            weeks=(1,),
            lead=True,
            specialism="esw",
            label="education lead inspector",
        ),
        Requirement("inspector", EDUCATION, 2, minimum=1, weeks=(1,), label="education inspector"),
    ),
)

IRP_SPEC = KindSpec(
    kind=IRP,
    label="Independent review of progress",
    days=3,  # Monday to Wednesday
    requirements=(
        Requirement("team_leader", HMIP, 1, lead=True, label="team leader"),
        Requirement("inspector", HMIP, 1, label="inspector"),
        Requirement("ofsted_lead", EDUCATION, 1, lead=True, label="education lead inspector"),
    ),
    notice_months=3,  # an IRP is announced at least three months ahead
    notice_rule="PG-3",
)

STANDARD_KINDS = (FULL_INSPECTION_SPEC, IRP_SPEC)

# When a full inspection falls due: months after the last one, by its overall judgement
# (a configurable interval per kind and last judgement). Never inspected: due at once.
FULL_INSPECTION_INTERVALS: dict[str, tuple[int, int]] = {
    "inadequate": (18, 24),
    "requires_improvement": (24, 36),
    "satisfactory": (30, 42),
    "good": (36, 48),
    "outstanding": (48, 60),
    "": (36, 48),  # no judgement recorded
}
IRP_WINDOW_MONTHS = (8, 12)  # an IRP 8 to 12 months after the full inspection (WD-2)
