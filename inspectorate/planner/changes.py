"""Why the proposal differs from the draft, event by event, and each inspector's workload.

For every event the proposal moves or restaffs, the reasons are the terms of the objective
(checker.score) that the change improves for that event — weeks outside the due window, team
places filled from outside the region, places left empty, inspectors above their fair share —
and any rule the draft's own placement of it broke (checker.violations). A change that
improves none of its own terms is said to make room for others, which is then the truth: the
objective is a sum over every event, so the solver moves one event to better another.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from inspectorate.lib.wording import count_noun
from inspectorate.planner import checker
from inspectorate.planner.instance import EDUCATION, Instance, Placement, Plan, RequiredEvent


@dataclass(frozen=True)
class EventTerms:
    """One event's own share of the objective's terms in one plan."""

    lateness: int
    region: int
    understaffing: int


def loads(plan: Plan) -> Counter[int]:
    """Weeks on site per inspector."""
    load: Counter[int] = Counter()
    for placement in plan.placements:
        for member in placement.members:
            load[member.inspector] += len(member.weeks)
    return load


def event_terms(instance: Instance, event: RequiredEvent, placement: Placement) -> EventTerms:
    site = instance.site_of(event)
    spec = instance.spec_of(event)
    outside = sum(
        1
        for member in placement.members
        if site.region and instance.inspector_by_id[member.inspector].region != site.region
    )
    empty = 0
    for index, requirement in enumerate(spec.requirements):
        organisation = (
            event.education if requirement.organisation == EDUCATION else requirement.organisation
        )
        if organisation:
            filled = sum(1 for member in placement.members if member.slot == index)
            empty += max(0, requirement.count - filled)
    return EventTerms(
        lateness=checker.weeks_outside_window(instance, event, placement.week),
        region=outside,
        understaffing=empty,
    )


def _week_reason(before: EventTerms, after: EventTerms) -> str | None:
    if after.lateness < before.lateness:
        if after.lateness == 0:
            return (
                "Starts inside its due window: the draft's week was "
                f"{count_noun(before.lateness, 'week')} outside it."
            )
        return (
            f"{count_noun(before.lateness - after.lateness, 'week')} closer to its due window "
            f"(now {count_noun(after.lateness, 'week')} outside it)."
        )
    if after.lateness > before.lateness:
        return (
            f"Starts {count_noun(after.lateness, 'week')} outside its due window, "
            f"{count_noun(after.lateness - before.lateness, 'week')} further than the draft."
        )
    return None


def _team_reasons(before: EventTerms, after: EventTerms) -> list[str]:
    reasons = []
    if after.region < before.region:
        fewer = before.region - after.region
        reasons.append(f"{count_noun(fewer, 'fewer team place')} filled from outside the region.")
    if after.understaffing < before.understaffing:
        more = before.understaffing - after.understaffing
        reasons.append(f"{count_noun(more, 'more team place')} filled.")
    return reasons


def _fair_share_reasons(
    instance: Instance, before: Placement, after: Placement, draft: Plan, proposal: Plan
) -> list[str]:
    shares = checker.fair_shares(instance)
    draft_load, proposal_load = loads(draft), loads(proposal)
    kept = {m.inspector for m in after.members}
    reasons = []
    for member in before.members:
        if member.inspector in kept:
            continue
        inspector = instance.inspector_by_id[member.inspector]
        share = shares.get(inspector.organisation)
        if share is not None and draft_load[inspector.id] > share:
            reasons.append(
                f"Takes {inspector.name} off: {count_noun(draft_load[inspector.id], 'week')} "
                f"on site in the draft against a fair share of {share} "
                f"({proposal_load[inspector.id]} in the proposal)."
            )
    return reasons


def _rule_reasons(instance: Instance, draft: Plan, key: str) -> list[str]:
    return [
        f"The draft's placement breaks {found.rule}: {found.message}"
        for found in checker.violations(instance, draft)
        if found.event == key
    ]


def change_reasons(instance: Instance, proposal: Plan, key: str) -> list[str]:
    """Why the proposal moves or restaffs event `key` of the draft; [] when it does neither
    (or the event is new: its reason is why it is needed)."""
    draft = instance.draft
    before = draft.by_event.get(key) if draft else None
    after = proposal.by_event.get(key)
    if draft is None or before is None or after is None:
        return []
    moved = before.week != after.week
    restaffed = {(m.inspector, m.slot) for m in before.members} != {
        (m.inspector, m.slot) for m in after.members
    }
    if not moved and not restaffed:
        return []
    event = instance.event_by_key[key]
    old, new = event_terms(instance, event, before), event_terms(instance, event, after)
    reasons = _rule_reasons(instance, draft, key)
    if moved and (week := _week_reason(old, new)):
        reasons.append(week)
    reasons += _team_reasons(old, new)
    if restaffed:
        reasons += _fair_share_reasons(instance, before, after, draft, proposal)
    if not reasons:
        reasons.append(
            "Its own terms of the score are no better: the change makes room for other "
            "events, which lowers the total."
        )
    return reasons


@dataclass(frozen=True)
class Workload:
    inspector: int
    name: str
    organisation: str
    weeks: int  # in the proposal
    draft_weeks: int | None  # None: no draft to compare
    share: int | None  # the organisation's fair share


def workloads(instance: Instance, proposal: Plan) -> list[Workload]:
    """Weeks on site of every inspector the proposal or the draft uses, busiest first."""
    shares = checker.fair_shares(instance)
    proposed = loads(proposal)
    drafted = loads(instance.draft) if instance.draft else None
    used = set(proposed) | set(drafted or ())
    rows = [
        Workload(
            inspector=inspector.id,
            name=inspector.name,
            organisation=inspector.organisation,
            weeks=proposed[inspector.id],
            draft_weeks=drafted[inspector.id] if drafted is not None else None,
            share=shares.get(inspector.organisation),
        )
        for inspector in instance.inspectors
        if inspector.id in used
    ]
    return sorted(rows, key=lambda row: (row.organisation, -row.weeks, row.name))
