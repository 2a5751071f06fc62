"""An independent check of a plan against every rule, and its score.

Written from the rules, not from model.py: it walks the plan day by day and week by week and
says what is wrong in words, each finding naming its rule. The tests check every plan the
model and the greedy baseline produce with it, and the brute force scores plans with it.

Findings without a rule of RULES.md use these codes: PLAN (every required event placed
once, inside the programme), CLOSED (a week the coordinator closed), FIXED (an event or
assignment already decided), TEAM (team places filled by qualified inspectors), LIMIT (events
starting in one week for one organisation), SITE (one event at a time at an establishment).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from inspectorate.lib.workdays import add_months
from inspectorate.planner.instance import (
    EDUCATION,
    FULL_INSPECTION,
    OFSTED,
    Inspector,
    Instance,
    Member,
    Placement,
    Plan,
    RequiredEvent,
    Requirement,
)

WEEKDAYS = 5


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    event: str = ""
    inspector: int | None = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass(frozen=True)
class Score:
    """The plan's score (lower is better) and what it is made of: each part weighted, and
    the raw counts behind it."""

    total: int
    parts: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _event_weeks(instance: Instance, event: RequiredEvent) -> int:
    days = instance.kind_by_name[event.kind].days
    return math.ceil(days / 7)


def _on_site_days(start: date, days: int) -> list[date]:
    """Monday to Friday days from `start` for `days` calendar days."""
    every = (start + timedelta(days=n) for n in range(days))
    return [day for day in every if day.weekday() < WEEKDAYS]


def _event_last_day(instance: Instance, event: RequiredEvent, week: int) -> date:
    return instance.monday(week) + timedelta(days=instance.kind_by_name[event.kind].days - 1)


def _member_days(
    instance: Instance, event: RequiredEvent, week: int, member: Member
) -> tuple[date, date]:
    first = instance.monday(min(member.weeks))
    last = min(
        instance.monday(max(member.weeks)) + timedelta(days=WEEKDAYS - 1),
        _event_last_day(instance, event, week),
    )
    return first, last


def _requirement_organisation(event: RequiredEvent, requirement: Requirement) -> str:
    return event.education if requirement.organisation == EDUCATION else requirement.organisation


def _notice(instance: Instance, event: RequiredEvent) -> tuple[int, str]:
    """The months of notice the event needs before it starts, and the rule asking for it."""
    spec = instance.kind_by_name[event.kind]
    months, rule = spec.notice_months, spec.notice_rule
    if event.education == OFSTED and instance.education_notice_months > months:
        months, rule = instance.education_notice_months, "PG-5"
    return months, rule


def violations(instance: Instance, plan: Plan) -> list[Violation]:
    """Everything wrong with `plan`, each naming its rule; empty when it keeps every rule."""
    found: list[Violation] = []
    found += _placement_problems(instance, plan)
    placed = [p for p in plan.placements if p.event in instance.event_by_key]
    for placement in placed:
        event = instance.event_by_key[placement.event]
        found += _date_problems(instance, event, placement)
        found += _team_problems(instance, event, placement)
    found += _fixed_problems(instance, plan)
    found += _double_booking(instance, placed)
    found += _start_limits(instance, placed)
    found += _site_clashes(instance, placed)
    return found


def _placement_problems(instance: Instance, plan: Plan) -> list[Violation]:
    found = []
    counts = Counter(p.event for p in plan.placements)
    for event in instance.events:
        if counts[event.key] == 0:
            found.append(Violation("PLAN", "the event is not in the plan", event.key))
        elif counts[event.key] > 1:
            found.append(Violation("PLAN", "the event is in the plan more than once", event.key))
    for key in counts:
        if key not in instance.event_by_key:
            found.append(Violation("PLAN", "the plan holds an event nobody asked for", key))
    return found


def _date_problems(
    instance: Instance, event: RequiredEvent, placement: Placement
) -> list[Violation]:
    found = []
    week, key = placement.week, event.key
    length = _event_weeks(instance, event)
    if week < 0 or week + length > instance.weeks:
        return [Violation("PLAN", f"week {week} is outside the programme's weeks", key)]
    closed = [w for w in range(week, week + length) if w in instance.closed_weeks]
    if closed:
        found.append(
            Violation("CLOSED", f"it is on site in {instance.describe_week(closed[0])}", key)
        )
    start = instance.monday(week)
    site = instance.site_by_key[event.site]
    holidays = instance.bank_holidays.get(site.nation, frozenset())
    spec = instance.kind_by_name[event.kind]
    for day in _on_site_days(start, spec.days):
        if day in holidays:
            found.append(Violation("WD-1", f"{_long(day)} is a bank holiday in {site.nation}", key))
    if key not in instance.fixed_weeks:
        months, rule = _notice(instance, event)
        earliest = add_months(instance.today, months)
        if start < earliest:
            found.append(
                Violation(
                    rule,
                    f"it starts {_long(start)}, less than {months} months after "
                    f"{_long(instance.today)}",
                    key,
                )
            )
    return found


def _team_problems(
    instance: Instance, event: RequiredEvent, placement: Placement
) -> list[Violation]:
    found = _duplicate_member_problems(event, placement)
    by_slot: dict[int, list[Member]] = defaultdict(list)
    for member in placement.members:
        by_slot[member.slot].append(member)
    spec = instance.kind_by_name[event.kind]
    for index, requirement in enumerate(spec.requirements):
        members = by_slot.pop(index, [])
        found += _place_count_problems(event, requirement, members)
        for member in members:
            found += _member_problems(instance, event, placement.week, member, requirement)
    for slot in by_slot:
        found.append(Violation("TEAM", f"the event has no team place {slot}", event.key))
    found += _on_site_maximum_problems(instance, event, placement)
    return found


def _duplicate_member_problems(event: RequiredEvent, placement: Placement) -> list[Violation]:
    seen: Counter[int] = Counter(m.inspector for m in placement.members)
    return [
        Violation("TEAM", "the inspector holds two places", event.key, inspector_id)
        for inspector_id, times in seen.items()
        if times > 1
    ]


def _place_count_problems(
    event: RequiredEvent, requirement: Requirement, members: list[Member]
) -> list[Violation]:
    organisation = _requirement_organisation(event, requirement)
    wanted = (0, 0) if not organisation else (requirement.fewest, requirement.count)
    if wanted[0] <= len(members) <= wanted[1]:
        return []
    return [
        Violation(
            "TEAM",
            f"{len(members)} {requirement.title} places filled, not {wanted[0]} to {wanted[1]}",
            event.key,
        )
    ]


def _on_site_maximum_problems(
    instance: Instance, event: RequiredEvent, placement: Placement
) -> list[Violation]:
    site = instance.site_by_key[event.site]
    if site.on_site_maximum is None:
        return []
    weeks_on_site: Counter[int] = Counter(w for m in placement.members for w in m.weeks)
    return [
        Violation(
            "PG-11",
            f"{on_site} inspectors on site in {instance.describe_week(week)}, "
            f"more than {site.name}'s maximum of {site.on_site_maximum}",
            event.key,
        )
        for week, on_site in sorted(weeks_on_site.items())
        if on_site > site.on_site_maximum
    ]


def _member_problems(
    instance: Instance,
    event: RequiredEvent,
    week: int,
    member: Member,
    requirement: Requirement,
) -> list[Violation]:
    inspector = instance.inspector_by_id.get(member.inspector)
    if inspector is None:
        return [
            Violation("TEAM", "an unknown inspector is on the team", event.key, member.inspector)
        ]
    return (
        _place_fit_problems(event, week, member, requirement, inspector)
        + _site_access_problems(instance, event, week, member, inspector)
        + _availability_problems(instance, event, member, inspector)
    )


def _place_fit_problems(
    event: RequiredEvent,
    week: int,
    member: Member,
    requirement: Requirement,
    inspector: Inspector,
) -> list[Violation]:
    """Whether the inspector suits the place: organisation, leading, specialism and weeks."""
    key, who = event.key, member.inspector
    found = []
    organisation = _requirement_organisation(event, requirement)
    if inspector.organisation != organisation:
        rule = "PG-10" if requirement.organisation == EDUCATION else "TEAM"
        found.append(
            Violation(
                rule,
                f"{inspector.name} is from {inspector.organisation}; the place is for "
                f"{organisation}",
                key,
                who,
            )
        )
    if requirement.lead and not inspector.can_lead:
        found.append(Violation("TEAM", f"{inspector.name} cannot lead", key, who))
    if requirement.specialism and requirement.specialism not in inspector.specialisms:
        found.append(
            Violation(
                "TEAM", f"{inspector.name} lacks the {requirement.specialism} specialism", key, who
            )
        )
    expected = tuple(week + offset for offset in requirement.weeks)
    if tuple(sorted(member.weeks)) != expected:
        found.append(Violation("TEAM", f"{inspector.name} is on site the wrong weeks", key, who))
    education = event.education and organisation == event.education
    if education and event.kind == FULL_INSPECTION and tuple(member.weeks) != (week + 1,):
        found.append(
            Violation(
                "PG-9",
                f"{inspector.name} ({organisation}) is not on site in the second week only",
                key,
                who,
            )
        )
    return found


def _site_access_problems(
    instance: Instance, event: RequiredEvent, week: int, member: Member, inspector: Inspector
) -> list[Violation]:
    """TM-1: the DBS check and clearance the site needs, for members who go on site."""
    if not member.weeks:
        return []
    key, who = event.key, member.inspector
    site = instance.site_by_key[event.site]
    found = []
    if site.custodial:
        first, last = _member_days(instance, event, week, member)
        found += _dbs_problems(inspector, first, last, key)
    if inspector.clearance < site.clearance:
        found.append(
            Violation("TM-1", f"{inspector.name} lacks the clearance {site.name} needs", key, who)
        )
    return found


def _dbs_problems(inspector: Inspector, first: date, last: date, key: str) -> list[Violation]:
    valid_from, valid_until = inspector.dbs_from, inspector.dbs_until
    if valid_from is None or valid_until is None:
        return [Violation("TM-1", f"{inspector.name} has no enhanced DBS check", key, inspector.id)]
    if valid_from > first or valid_until < last:
        return [
            Violation(
                "TM-1",
                f"{inspector.name}'s DBS check is not valid from {_long(first)} to {_long(last)}",
                key,
                inspector.id,
            )
        ]
    return []


def _availability_problems(
    instance: Instance, event: RequiredEvent, member: Member, inspector: Inspector
) -> list[Violation]:
    """TM-2, TM-4 and TM-5: conflicts of interest and leave."""
    key, who = event.key, member.inspector
    site = instance.site_by_key[event.site]
    found = []
    if event.site in inspector.conflicts:
        found.append(
            Violation("TM-2", f"{inspector.name} has a conflict with {site.name}", key, who)
        )
    if event.site in inspector.improvement_hmi_for:
        found.append(
            Violation("TM-4", f"{inspector.name} is the improvement HMI for {site.name}", key, who)
        )
    on_leave = sorted(set(member.weeks) & inspector.unavailable_weeks)
    if on_leave:
        found.append(
            Violation(
                "TM-5",
                f"{inspector.name} is unavailable in {instance.describe_week(on_leave[0])}",
                key,
                who,
            )
        )
    return found


def _fixed_problems(instance: Instance, plan: Plan) -> list[Violation]:
    found = []
    for key, week in instance.fixed_weeks.items():
        if plan.week_of(key) not in (None, week):
            found.append(Violation("FIXED", f"it was fixed to {instance.describe_week(week)}", key))
    for fixed in instance.fixed_assignments:
        placement = plan.by_event.get(fixed.event)
        members = placement.members if placement else ()
        kept = any(m.inspector == fixed.inspector and fixed.slot in (None, m.slot) for m in members)
        if not kept:
            found.append(
                Violation("FIXED", "a fixed assignment is not kept", fixed.event, fixed.inspector)
            )
    return found


def _double_booking(instance: Instance, placements: list[Placement]) -> list[Violation]:
    found = []
    booked: dict[tuple[int, int], str] = {}
    for placement in placements:
        for member in placement.members:
            for week in member.weeks:
                other = booked.setdefault((member.inspector, week), placement.event)
                if other != placement.event:
                    found.append(
                        Violation(
                            "TM-5",
                            f"inspector {member.inspector} is also on {other} in "
                            f"{instance.describe_week(week)}",
                            placement.event,
                            member.inspector,
                        )
                    )
    return found


def _participants(instance: Instance, event: RequiredEvent) -> set[str]:
    spec = instance.kind_by_name[event.kind]
    organisations = {_requirement_organisation(event, r) for r in spec.requirements}
    return {organisation for organisation in organisations if organisation}


def _start_limits(instance: Instance, placements: list[Placement]) -> list[Violation]:
    starts: Counter[tuple[str, int]] = Counter()
    for placement in placements:
        event = instance.event_by_key[placement.event]
        for organisation in _participants(instance, event):
            starts[organisation, placement.week] += 1
    found = []
    for (organisation, week), count in sorted(starts.items()):
        limit = instance.start_limits.get(organisation)
        if limit is not None and count > limit:
            found.append(
                Violation(
                    "LIMIT",
                    f"{count} {organisation} events start in {instance.describe_week(week)}; "
                    f"at most {limit}",
                )
            )
    return found


def _site_clashes(instance: Instance, placements: list[Placement]) -> list[Violation]:
    found = []
    taken: dict[tuple[str, int], str] = {}
    for placement in placements:
        event = instance.event_by_key[placement.event]
        for week in range(placement.week, placement.week + _event_weeks(instance, event)):
            other = taken.setdefault((event.site, week), event.key)
            if other != event.key:
                found.append(
                    Violation("SITE", f"{other} is at the same establishment that week", event.key)
                )
    return found


# The score ------------------------------------------------------------------------------


def weeks_outside_window(instance: Instance, event: RequiredEvent, week: int) -> int:
    """Whole or part weeks by which the start is before `due_from` or after `due_to`."""
    start = instance.monday(week)
    if start > event.due_to:
        return math.ceil((start - event.due_to).days / 7)
    if start < event.due_from:
        return math.ceil((event.due_from - start).days / 7)
    return 0


def fair_shares(instance: Instance) -> dict[str, int]:
    """Each organisation's fair share of weeks on site per inspector: the weeks its places
    want, were every team full, divided among its inspectors, rounded up."""
    wanted: Counter[str] = Counter()
    for event in instance.events:
        for requirement in instance.kind_by_name[event.kind].requirements:
            organisation = _requirement_organisation(event, requirement)
            if organisation:
                wanted[organisation] += requirement.count * len(requirement.weeks)
    people = Counter(inspector.organisation for inspector in instance.inspectors)
    return {o: math.ceil(wanted[o] / n) for o, n in people.items()}


def score(instance: Instance, plan: Plan) -> Score:
    """The plan's score, lower being better, by the instance's weights."""
    weights = instance.weights
    counts = {
        "lateness": 0,
        "balance": 0,
        "region": 0,
        "understaffing": 0,
        "moved": 0,
        "reassigned": 0,
    }
    load: Counter[int] = Counter()
    for placement in plan.placements:
        event = instance.event_by_key[placement.event]
        site = instance.site_by_key[event.site]
        counts["lateness"] += weeks_outside_window(instance, event, placement.week)
        for member in placement.members:
            load[member.inspector] += len(member.weeks)
            home = instance.inspector_by_id[member.inspector].region
            if site.region and home != site.region:
                counts["region"] += 1
        spec = instance.kind_by_name[event.kind]
        for index, requirement in enumerate(spec.requirements):
            if _requirement_organisation(event, requirement):
                filled = sum(1 for m in placement.members if m.slot == index)
                counts["understaffing"] += max(0, requirement.count - filled)
    counts["balance"] = sum(
        max(0, load[inspector.id] - share)
        for inspector in instance.inspectors
        if (share := fair_shares(instance).get(inspector.organisation)) is not None
    )
    if instance.draft is not None:
        for before in instance.draft.placements:
            if before.event not in instance.event_by_key:
                continue
            if plan.week_of(before.event) != before.week:
                counts["moved"] += 1
            after = plan.by_event.get(before.event)
            kept = {(m.inspector, m.slot) for m in after.members} if after else set()
            counts["reassigned"] += sum(
                1 for m in before.members if (m.inspector, m.slot) not in kept
            )
    parts = {name: getattr(weights, name) * value for name, value in counts.items()}
    return Score(total=sum(parts.values()), parts=parts, counts=counts)
