"""Reads for the planner: the Instance built from the database, runs, and the comparison of a
proposal with the draft.

Which events the programme needs:
- every full inspection or IRP already in it (planned, not cancelled): the draft;
- a full inspection at each open prison, young offender institution, secure training centre
  and immigration removal centre in England and Wales without one, when it falls due during
  the programme: a configurable interval (months) after the last full inspection by its last
  published overall judgement (FULL_INSPECTION_INTERVALS; never inspected: due now), or the
  re-inspection window of an open improvement case where one is set;
- an IRP 8 to 12 months after a full inspection of an earlier programme (WD-2), at up to 20
  establishments (PG-2: 15 to 20 a year), those chosen by the coordinator or else the
  weakest education judgements first; Ofsted (England) or Estyn (Wales) takes part when that
  judgement was requires improvement or inadequate (PG-8 via
  programme.selectors.education_judgement_at, PG-10).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import get_object_or_404

from inspectorate.estate.constants import EstablishmentStatus
from inspectorate.estate.models import Establishment, ProviderContract
from inspectorate.estate.policy import education_inspectorate
from inspectorate.estate.selectors import last_judgement_expression
from inspectorate.inspectors.constants import CLEARANCE_RANK, Clearance, Grade
from inspectorate.inspectors.models import ConflictOfInterest, InspectorBooking
from inspectorate.inspectors.models import Inspector as InspectorRecord
from inspectorate.lib.wording import lower_first
from inspectorate.lib.workdays import Nation, bank_holidays, month_window
from inspectorate.planner import instance as core
from inspectorate.planner.constants import DEFAULT_START_LIMITS, DEFAULT_TIME_LIMIT
from inspectorate.planner.models import PlanRun
from inspectorate.programme import selectors as programme_selectors
from inspectorate.programme.constants import (
    EDUCATION_FOLLOW_UP_JUDGEMENTS,
    IRP_RANGE,
    EventKind,
    EventStatus,
)
from inspectorate.programme.models import Event, Programme, TeamMember
from inspectorate.programme.services import irp_education_inspectorate
from inspectorate.programme.teams.services import CUSTODIAL_KINDS, clearance_needed

PLANNED_KINDS = (EventKind.FULL_INSPECTION, EventKind.IRP)
PLANNED_ORGANISATIONS = (core.HMIP, core.OFSTED, core.ESTYN)
LEADING_GRADES = frozenset({Grade.HMIP_TEAM_LEADER, Grade.OFSTED_HMI, Grade.ESTYN_HMI})
WEAKEST_FIRST = {"inadequate": 0, "requires_improvement": 1}


# Parameters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanParameters:
    """What the coordinator asked for, as stored in PlanRun.parameters."""

    time_limit: int = DEFAULT_TIME_LIMIT
    closed_weeks: tuple[date, ...] = ()  # Mondays
    fixed_events: tuple[int, ...] = ()  # existing events kept in their week
    fixed_assignments: tuple[tuple[int, int], ...] = ()  # (event id, inspector id)
    weights: Mapping[str, int] = field(default_factory=dict)
    irp_establishments: tuple[str, ...] | None = None  # codes; None: chosen by the planner
    intervals: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    start_limits: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanParameters:
        irps = data.get("irp_establishments")
        return cls(
            time_limit=int(data.get("time_limit", DEFAULT_TIME_LIMIT)),
            closed_weeks=tuple(date.fromisoformat(d) for d in data.get("closed_weeks", [])),
            fixed_events=tuple(int(pk) for pk in data.get("fixed_events", [])),
            fixed_assignments=tuple(
                (int(event), int(person)) for event, person in data.get("fixed_assignments", [])
            ),
            weights={str(k): int(v) for k, v in data.get("weights", {}).items()},
            irp_establishments=None if irps is None else tuple(str(code) for code in irps),
            intervals={
                str(k): (int(v[0]), int(v[1])) for k, v in data.get("intervals", {}).items()
            },
            start_limits={str(k): int(v) for k, v in data.get("start_limits", {}).items()},
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "time_limit": self.time_limit,
            "closed_weeks": [d.isoformat() for d in self.closed_weeks],
            "fixed_events": list(self.fixed_events),
            "fixed_assignments": [list(pair) for pair in self.fixed_assignments],
            "weights": dict(self.weights),
            "irp_establishments": None
            if self.irp_establishments is None
            else list(self.irp_establishments),
            "intervals": {k: list(v) for k, v in self.intervals.items()},
            "start_limits": dict(self.start_limits),
        }


# Weeks ----------------------------------------------------------------------------------


def programme_mondays(programme: Programme) -> list[date]:
    """The Mondays of the programme year, from the first on or after 1 April."""
    first = programme.starts_on + timedelta(days=(7 - programme.starts_on.weekday()) % 7)
    mondays = []
    while first <= programme.ends_on:
        mondays.append(first)
        first += timedelta(days=7)
    return mondays


def week_of(first_monday: date, day: date) -> int:
    return (day - first_monday).days // 7


def busy_weeks(first_monday: date, weeks: int, first: date, last: date) -> set[int]:
    """The programme weeks with a weekday from `first` to `last` (inclusive)."""
    found = set()
    day = max(first, first_monday)
    end = min(last, first_monday + timedelta(weeks=weeks) - timedelta(days=1))
    while day <= end:
        if day.weekday() < 5:
            found.add(week_of(first_monday, day))
        day += timedelta(days=1)
    return found


# The instance ---------------------------------------------------------------------------


@dataclass
class PlanningData:
    """The instance and what its keys stand for in the database."""

    instance: core.Instance
    existing: dict[str, Event]  # event key -> the event in the draft
    establishments: dict[str, Establishment]  # site key (code) -> establishment
    follows_up: dict[str, int] = field(default_factory=dict)  # IRP key -> full inspection id
    previous_judgement: dict[str, str] = field(default_factory=dict)  # IRP key -> judgement
    warnings: list[str] = field(default_factory=list)


def event_key(event: Event) -> str:
    return f"event:{event.pk}"


def slot_for(kind: str, role: str, organisation: str, education: str) -> int | None:
    """The place (Requirement index) a team member in `role` from `organisation` holds."""
    spec = {s.kind: s for s in core.STANDARD_KINDS}.get(kind)
    if spec is None:
        return None
    for index, requirement in enumerate(spec.requirements):
        wanted = (
            education if requirement.organisation == core.EDUCATION else requirement.organisation
        )
        if requirement.role == role and wanted == organisation:
            return index
    return None


def _window(anchor: date, months: tuple[int, int], nation: str) -> tuple[date, date]:
    return month_window(anchor, months[0], months[1], Nation(nation))


def _last_full_inspections(before: date) -> dict[int, Event]:
    """Each establishment's latest full inspection starting before `before` (one query)."""
    latest: dict[int, Event] = {}
    for event in (
        Event.objects.filter(kind=EventKind.FULL_INSPECTION, starts_on__lt=before)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("establishment_id", "-starts_on")
    ):
        latest.setdefault(event.establishment_id, event)
    return latest


def _reinspection_windows() -> dict[int, tuple[date, date]]:
    """Open improvement cases' re-inspection windows, by establishment (one query)."""
    from inspectorate.improvement.constants import CaseStatus
    from inspectorate.improvement.models import ImprovementCase

    return {
        case.establishment_id: (case.reinspection_from, case.reinspection_to)
        for case in ImprovementCase.objects.filter(
            status=CaseStatus.OPEN,
            reinspection_from__isnull=False,
            reinspection_to__isnull=False,
        )
        if case.reinspection_from is not None and case.reinspection_to is not None
    }


def _improvement_hmis() -> dict[int, set[int]]:
    """TM-4: user id of each open case's improvement HMI -> its establishments."""
    from inspectorate.improvement.constants import CaseStatus
    from inspectorate.improvement.models import ImprovementCase

    found: dict[int, set[int]] = defaultdict(set)
    for user_id, establishment_id in ImprovementCase.objects.filter(
        status=CaseStatus.OPEN, improvement_hmi__isnull=False
    ).values_list("improvement_hmi_id", "establishment_id"):
        found[user_id].add(establishment_id)
    return found


def _conflicts(first: date, last: date) -> dict[int, set[int]]:
    """TM-2: inspector id -> establishments they have a conflict with (directly, or with a
    provider contracted there) on some day from `first` to `last`. Two queries."""
    in_force = Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    rows = list(
        ConflictOfInterest.objects.filter(in_force).values_list(
            "inspector_id", "establishment_id", "provider_id", "starts_on", "ends_on"
        )
    )
    providers = {row[2] for row in rows if row[2] is not None}
    contracts: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for provider_id, establishment_id, starts, ends in ProviderContract.objects.filter(
        provider_id__in=providers, starts_on__lte=last
    ).values_list("provider_id", "establishment_id", "starts_on", "ends_on"):
        if ends is None or ends >= first:
            contracts[provider_id].append((establishment_id, starts, ends))
    found: dict[int, set[int]] = defaultdict(set)
    for inspector_id, establishment_id, provider_id, starts, ends in rows:
        if establishment_id is not None:
            found[inspector_id].add(establishment_id)
            continue
        for site, contract_starts, contract_ends in contracts[provider_id]:
            meets = (ends is None or contract_starts <= ends) and (
                contract_ends is None or contract_ends >= starts
            )
            if meets:
                found[inspector_id].add(site)
    return found


def _site(establishment: Establishment) -> core.Site:
    needed = Clearance(clearance_needed(establishment))
    return core.Site(
        key=establishment.code,
        name=establishment.name,
        nation=establishment.nation,
        region=establishment.region,
        on_site_maximum=establishment.max_inspectors_on_site,
        clearance=CLEARANCE_RANK[needed],
        custodial=establishment.kind in CUSTODIAL_KINDS,
    )


def _judgement_label(value: str | None) -> str:
    return (value or "not recorded").replace("_", " ")


def planning_data(
    programme: Programme, parameters: PlanParameters, today: date | None = None
) -> PlanningData:
    """The planner's Instance for `programme`, with the draft (its current events and teams),
    and what each key stands for."""
    day = today or programme_selectors.today()
    mondays = programme_mondays(programme)
    first_monday, weeks = mondays[0], len(mondays)
    intervals = {**core.FULL_INSPECTION_INTERVALS, **parameters.intervals}
    establishments = {
        e.pk: e
        for e in Establishment.objects.filter(
            status=EstablishmentStatus.OPEN,
            kind__in=CUSTODIAL_KINDS,
            nation__in=[Nation.ENGLAND.value, Nation.WALES.value],
        ).annotate(last_judgement=last_judgement_expression())
    }
    existing = list(
        Event.objects.filter(programme=programme, kind__in=PLANNED_KINDS)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("establishment", "follows_up")
        .order_by("starts_on", "pk")
    )
    existing, closed_warnings = _without_closed(existing)
    for event in existing:
        establishments.setdefault(event.establishment_id, event.establishment)
    due = _FullInspectionsDue(
        programme, _last_full_inspections(programme.starts_on), _reinspection_windows(), intervals
    )
    events = [_existing_event(e, due) for e in existing]
    events += _due_full_inspections(establishments, existing, due)
    irps, follows_up, judgements = _due_irps(programme, establishments, existing, parameters)
    events += irps
    warning = programme_selectors.irp_count_warning(sum(1 for e in events if e.kind == core.IRP))
    used = {e.site for e in events}
    sites = tuple(_site(e) for e in establishments.values() if e.code in used)
    inspectors = _inspectors(first_monday, weeks, programme, existing, establishments)
    draft, fixed_weeks, fixed_people = _draft(
        existing, first_monday, weeks, parameters, {i.id for i in inspectors}
    )
    nations = {site.nation for site in sites}
    instance = core.Instance(
        name=f"Programme {programme.label}",
        first_monday=first_monday,
        weeks=weeks,
        today=day,
        sites=sites,
        events=tuple(events),
        inspectors=inspectors,
        kinds=core.STANDARD_KINDS,
        closed_weeks=frozenset(
            week_of(first_monday, monday)
            for monday in parameters.closed_weeks
            if 0 <= week_of(first_monday, monday) < weeks
        ),
        bank_holidays={
            nation: frozenset(
                d
                for year in (programme.year, programme.year + 1)
                for d in bank_holidays(Nation(nation), year)
            )
            for nation in nations
        },
        start_limits={**DEFAULT_START_LIMITS, **parameters.start_limits},
        fixed_weeks=fixed_weeks,
        fixed_assignments=fixed_people,
        draft=draft,
        weights=core.Weights(**parameters.weights),
    )
    return PlanningData(
        instance=instance,
        existing={event_key(e): e for e in existing},
        establishments={e.code: e for e in establishments.values() if e.code in used},
        follows_up=follows_up,
        previous_judgement=judgements,
        warnings=([warning] if warning else []) + closed_warnings,
    )


def _without_closed(events: list[Event]) -> tuple[list[Event], list[str]]:
    """The events at open establishments, and a warning for each one at a closed
    establishment: a closed establishment is never planned."""
    kept, warnings = [], []
    for event in events:
        place = event.establishment
        if place.status == EstablishmentStatus.CLOSED:
            closure = place.closure_text()
            warnings.append(
                f"{place}{' closed ' + closure if closure else ' is closed'}: its "
                f"{lower_first(event.get_kind_display())} is left out of the plan. Cancel it "
                "in the programme."
            )
        else:
            kept.append(event)
    return kept, warnings


@dataclass(frozen=True)
class _FullInspectionsDue:
    """What says when full inspections are due in `programme`: each establishment's last
    one, the re-inspection windows of open improvement cases and the intervals by last
    judgement."""

    programme: Programme
    last_full: Mapping[int, Event]
    windows: Mapping[int, tuple[date, date]]
    intervals: Mapping[str, tuple[int, int]]

    def window(self, establishment: Establishment) -> tuple[date, date, str]:
        """When a full inspection of `establishment` is due, and why, in words."""
        if establishment.pk in self.windows:
            start, end = self.windows[establishment.pk]
            return start, end, "Re-inspection window of its open improvement case."
        last = self.last_full.get(establishment.pk)
        if last is None:
            programme = self.programme
            return programme.starts_on, programme.ends_on, "Not inspected before: due now."
        judgement = getattr(establishment, "last_judgement", None) or ""
        months = self.intervals.get(judgement, self.intervals[""])
        start, end = _window(last.starts_on, months, establishment.nation)
        return (
            start,
            end,
            f"Last full inspection {last.starts_on:%-d %B %Y}, judged "
            f"{_judgement_label(judgement)}: due {months[0]} to {months[1]} months after.",
        )


def _existing_event(event: Event, due: _FullInspectionsDue) -> core.RequiredEvent:
    programme = due.programme
    if event.kind == EventKind.IRP and event.follows_up is not None:
        start, end = _window(
            event.follows_up.ends_on, core.IRP_WINDOW_MONTHS, event.establishment.nation
        )
        reason = f"Follows up the full inspection of {event.follows_up.starts_on:%-d %B %Y}."
    elif event.kind == EventKind.FULL_INSPECTION:
        start, end, reason = due.window(event.establishment)
    else:
        start, end, reason = programme.starts_on, programme.ends_on, "In the draft programme."
    return core.RequiredEvent(
        key=event_key(event),
        kind=event.kind,
        site=event.establishment.code,
        due_from=start,
        due_to=end,
        education=event.education_inspectorate,
        reason=reason,
    )


def _due_full_inspections(
    establishments: Mapping[int, Establishment], existing: Iterable[Event], due: _FullInspectionsDue
) -> list[core.RequiredEvent]:
    planned = {e.establishment_id for e in existing if e.kind == EventKind.FULL_INSPECTION}
    found = []
    for establishment in sorted(establishments.values(), key=lambda e: e.code):
        if establishment.pk in planned or establishment.status != EstablishmentStatus.OPEN:
            continue
        start, end, reason = due.window(establishment)
        if start > due.programme.ends_on:
            continue
        inspectorate = education_inspectorate(establishment)
        found.append(
            core.RequiredEvent(
                key=f"full:{establishment.code}",
                kind=core.FULL_INSPECTION,
                site=establishment.code,
                due_from=start,
                due_to=end,
                education=str(inspectorate.value) if inspectorate else "",
                reason=reason,
            )
        )
    return found


def _due_irps(
    programme: Programme,
    establishments: Mapping[int, Establishment],
    existing: Iterable[Event],
    parameters: PlanParameters,
) -> tuple[list[core.RequiredEvent], dict[str, int], dict[str, str]]:
    """IRPs 8 to 12 months after a full inspection of an earlier programme (PG-2, PG-8),
    with the inspection each follows up and its education judgement."""
    existing = list(existing)
    followed = set(
        Event.objects.filter(kind=EventKind.IRP, follows_up__isnull=False)
        .exclude(status=EventStatus.CANCELLED)
        .values_list("follows_up_id", flat=True)
    )
    planned_irps = {e.establishment_id for e in existing if e.kind == EventKind.IRP}
    candidates: list[tuple[Event, date, date]] = []
    for full in (
        Event.objects.filter(
            kind=EventKind.FULL_INSPECTION,
            ends_on__lt=programme.starts_on,
            establishment_id__in=list(establishments),
        )
        .exclude(status=EventStatus.CANCELLED)
        .select_related("establishment")
        .order_by("-starts_on")
    ):
        establishment = full.establishment
        if full.pk in followed or establishment.pk in planned_irps:
            continue
        start, end = _window(full.ends_on, core.IRP_WINDOW_MONTHS, establishment.nation)
        if end < programme.starts_on or start > programme.ends_on:
            continue
        if any(c[0].establishment_id == establishment.pk for c in candidates):
            continue
        candidates.append((full, start, end))
    wanted = parameters.irp_establishments
    if wanted is not None:
        chosen = [c for c in candidates if c[0].establishment.code in wanted]
        judgements = {c[0].pk: programme_selectors.education_judgement_at(c[0]) for c in chosen}
    else:
        judgements = {c[0].pk: programme_selectors.education_judgement_at(c[0]) for c in candidates}
        candidates.sort(key=lambda c: (WEAKEST_FIRST.get(judgements[c[0].pk] or "", 9), c[1]))
        room = max(0, IRP_RANGE[1] - len(planned_irps))
        chosen = candidates[:room]
    irps, follows_up, previous = [], {}, {}
    for full, start, end in chosen:
        establishment = full.establishment
        judgement = judgements[full.pk]
        key = f"irp:{establishment.code}"
        follows_up[key] = full.pk
        if judgement:
            previous[key] = judgement
        weak = judgement in EDUCATION_FOLLOW_UP_JUDGEMENTS
        irps.append(
            core.RequiredEvent(
                key=key,
                kind=core.IRP,
                site=establishment.code,
                due_from=start,
                due_to=end,
                education=irp_education_inspectorate(establishment, judgement),
                reason=(
                    f"Full inspection {full.starts_on:%-d %B %Y}: an IRP 8 to 12 months after"
                    + (
                        f"; education judged {_judgement_label(judgement)}, so education "
                        "inspectors take part (PG-8)."
                        if weak
                        else "."
                    )
                ),
            )
        )
    return irps, follows_up, previous


def _inspectors(
    first_monday: date,
    weeks: int,
    programme: Programme,
    existing: Iterable[Event],
    establishments: Mapping[int, Establishment],
) -> tuple[core.Inspector, ...]:
    """Active HMI Prisons, Ofsted and Estyn inspectors, with the weeks they are already booked
    (leave, training, events the planner does not move), vetting, conflicts, TM-4. Four
    queries."""
    last_day = first_monday + timedelta(weeks=weeks) - timedelta(days=1)
    people = list(
        InspectorRecord.objects.filter(
            active=True, organisation__in=PLANNED_ORGANISATIONS
        ).order_by("name", "pk")
    )
    planned_ids = {e.pk for e in existing}
    event_type = ContentType.objects.get_for_model(Event)
    busy: dict[int, set[int]] = defaultdict(set)
    for booking in InspectorBooking.objects.filter(
        inspector__in=people, starts_on__lte=last_day, ends_on__gte=first_monday
    ):
        if booking.source_type_id == event_type.pk and booking.source_id in planned_ids:
            continue  # a place on an event the planner is placing: decided again
        busy[booking.inspector_id] |= busy_weeks(
            first_monday, weeks, booking.starts_on, booking.ends_on
        )
    codes = {pk: e.code for pk, e in establishments.items()}
    conflicts = _conflicts(programme.starts_on, programme.ends_on)
    improvement = _improvement_hmis()
    found = []
    for person in people:
        enhanced = person.has_enhanced_dbs
        found.append(
            core.Inspector(
                id=person.pk,
                name=person.name,
                organisation=person.organisation,
                region=person.home_region,
                specialisms=frozenset(person.specialisms),
                can_lead=person.grade in LEADING_GRADES,
                unavailable_weeks=frozenset(busy[person.pk]),
                dbs_from=person.dbs_checked_on if enhanced else None,
                dbs_until=person.dbs_renewal_due_on if enhanced else None,
                clearance=CLEARANCE_RANK[Clearance(person.clearance)],
                conflicts=frozenset(codes[e] for e in conflicts[person.pk] if e in codes),
                improvement_hmi_for=frozenset(
                    codes[e] for e in improvement.get(person.user_id or -1, ()) if e in codes
                ),
            )
        )
    return tuple(found)


def _draft(
    existing: list[Event],
    first_monday: date,
    weeks: int,
    parameters: PlanParameters,
    inspector_ids: set[int],
) -> tuple[core.Plan, dict[str, int], tuple[core.FixedAssignment, ...]]:
    """The draft as a plan (each event's week and team), and what the coordinator fixed."""
    members: dict[int, list[TeamMember]] = defaultdict(list)
    for member in TeamMember.objects.filter(event__in=existing).select_related("inspector"):
        members[member.event_id].append(member)
    placements, fixed_weeks, fixed_people = [], {}, []
    for event in existing:
        week = week_of(first_monday, event.starts_on)
        spec = {s.kind: s for s in core.STANDARD_KINDS}[event.kind]
        if event.starts_on.weekday() != 0 or not 0 <= week <= weeks - spec.weeks:
            continue  # not on the planner's grid of weeks: planned afresh
        team = []
        for member in members[event.pk]:
            slot = slot_for(
                event.kind, member.role, member.inspector.organisation, event.education_inspectorate
            )
            if slot is None or member.inspector_id not in inspector_ids:
                continue
            offsets = spec.requirements[slot].weeks
            team.append(core.Member(member.inspector_id, slot, tuple(week + o for o in offsets)))
        placements.append(core.Placement(event_key(event), week, tuple(team)))
        if event.pk in parameters.fixed_events:
            fixed_weeks[event_key(event)] = week
    for event_id, inspector_id in parameters.fixed_assignments:
        chosen = next((e for e in existing if e.pk == event_id), None)
        found = next((m for m in members[event_id] if m.inspector_id == inspector_id), None)
        if chosen is None or inspector_id not in inspector_ids:
            continue
        slot = (
            slot_for(
                chosen.kind,
                found.role,
                found.inspector.organisation,
                chosen.education_inspectorate,
            )
            if found is not None
            else None
        )
        fixed_people.append(core.FixedAssignment(event_key(chosen), inspector_id, slot))
    return core.Plan(tuple(placements)), fixed_weeks, tuple(fixed_people)


# Runs -----------------------------------------------------------------------------------


def runs_for(programme: Programme, limit: int = 20) -> list[PlanRun]:
    return list(
        PlanRun.objects.filter(programme=programme)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")[:limit]
    )


def run_for(pk: int) -> PlanRun:
    return get_object_or_404(PlanRun.objects.select_related("programme", "requested_by"), pk=pk)


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    reason: str
    current_dates: str  # "" when not in the draft
    proposed_dates: str
    moved: bool
    joined: tuple[str, ...]
    left: tuple[str, ...]
    team: tuple[str, ...]  # the proposed team, "Name (role)"
    new: bool
    accepted: bool
    acceptable: bool  # nobody taken off an existing team or given another role there
    changes: tuple[str, ...] = ()  # why it moved or its team changed (planner.changes)

    @property
    def changed(self) -> bool:
        """New, moved, or with people joining or leaving."""
        return self.new or self.moved or bool(self.joined or self.left)


@dataclass(frozen=True)
class Comparison:
    rows: list[ComparisonRow]
    proposal: dict[str, int]
    draft: dict[str, int]
    proposal_total: int
    draft_total: int | None
    draft_violations: int

    @property
    def moved(self) -> int:
        return sum(1 for row in self.rows if row.moved)

    @property
    def new(self) -> int:
        return sum(1 for row in self.rows if row.new)

    @property
    def changed_people(self) -> int:
        return sum(len(row.joined) + len(row.left) for row in self.rows)

    @property
    def changed_rows(self) -> list[ComparisonRow]:
        return [row for row in self.rows if row.changed]

    @property
    def unchanged_rows(self) -> list[ComparisonRow]:
        return [row for row in self.rows if not row.changed]


SCORE_LABELS = {
    "lateness": "Weeks outside due windows",
    "balance": "Inspectors' weeks above their fair share",
    "region": "Places filled from outside the region",
    "understaffing": "Team places left empty (on-site maximum)",
    "moved": "Events moved from the draft",
    "reassigned": "Inspectors taken off an event",
}


def _dates(first: str | None, last: str | None) -> str:
    if not first or not last:
        return ""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return f"{start:%-d %B} to {end:%-d %B %Y}"


def comparison(run: PlanRun) -> Comparison | None:
    """The proposal side by side with the draft: what moved, who changed, the scores."""
    result = run.result
    if not result.get("events"):
        return None
    accepted = set(run.accepted_items)
    rows = []
    for row in result["events"]:
        proposed = {m["inspector"] for m in row["members"]}
        current = {m["inspector"] for m in row.get("current_members", [])}
        roles = {m["inspector"]: m["role"] for m in row["members"]}
        moved_role = {
            m["inspector"]
            for m in row.get("current_members", [])
            if m["inspector"] in roles and roles[m["inspector"]] != m["role"]
        }
        names = {m["inspector"]: m["name"] for m in row["members"] + row.get("current_members", [])}
        moved = bool(row.get("current_starts_on")) and row["current_starts_on"] != row["starts_on"]
        rows.append(
            ComparisonRow(
                key=row["key"],
                label=row["label"],
                reason=row.get("reason", ""),
                current_dates=_dates(row.get("current_starts_on"), row.get("current_ends_on")),
                proposed_dates=_dates(row["starts_on"], row["ends_on"]),
                moved=moved,
                joined=tuple(sorted(names[i] for i in proposed - current)) if current else (),
                left=tuple(sorted(names[i] for i in current - proposed)),
                team=tuple(f"{m['name']} ({m['role_label']})" for m in row["members"]),
                new=row.get("event_id") is None,
                accepted=row["key"] in accepted,
                acceptable=not (current - proposed) and not moved_role,
                changes=tuple(row.get("changes", [])),
            )
        )
    draft = result.get("draft_score") or {}
    return Comparison(
        rows=rows,
        proposal=result.get("score", {}),
        draft=draft.get("parts", {}),
        proposal_total=result.get("score_total", 0),
        draft_total=draft.get("total"),
        draft_violations=draft.get("violations", 0),
    )


def score_rows(found: Comparison) -> list[tuple[str, int, int | None]]:
    return [
        (label, found.proposal.get(name, 0), found.draft.get(name) if found.draft else None)
        for name, label in SCORE_LABELS.items()
    ]


def shown_events(run: PlanRun) -> list[Event]:
    """The draft's events a run's page shows (for logging confidential reads, PG-3)."""
    ids = [row["event_id"] for row in run.result.get("events", []) if row.get("event_id")]
    return list(Event.objects.filter(pk__in=ids).select_related("establishment"))
