"""Why no plan exists, in words.

First the plain cases, found without a solver: an event with no week left once closed weeks,
bank holidays (WD-1), notice (PG-5, PG-7) and a fixed week are taken out, or a team place
nobody may fill. Then CP-SAT: the model is built with every group of rules guarded by an
assumption literal (one per event for its weeks, team, on-site maximum and fixed week; one per
inspector for vetting, conflicts, the improvement-HMI rule and leave; one per organisation for
the weekly start limit), solved without an objective on one worker, and the assumptions it
reports as sufficient for infeasibility are shrunk, one at a time, to a small set that still
conflicts. Each is then said in words naming the events, the inspectors and the rule.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from ortools.sat.python import cp_model

from inspectorate.lib.workdays import add_months
from inspectorate.planner.domains import barred_by, notice_needed, qualifies, week_reasons
from inspectorate.planner.instance import Instance, RequiredEvent
from inspectorate.planner.model import JOINT_UP_TO, PlannerModel, WeekModel

GROUP_RULES = {
    "closed": "CLOSED",
    "bank": "WD-1",
    "fixed_week": "FIXED",
    "fixed_member": "FIXED",
    "team": "TEAM",
    "tm1": "TM-1",
    "tm2": "TM-2",
    "tm4": "TM-4",
    "leave": "TM-5",
    "onsite": "PG-11",
    "limit": "LIMIT",
    "weeks": "PLAN",
}
ORGANISATIONS = {"hmip": "HMI Prisons", "ofsted": "Ofsted", "estyn": "Estyn"}


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    events: tuple[str, ...] = ()
    inspectors: tuple[int, ...] = ()


@dataclass(frozen=True)
class Explanation:
    summary: str
    reasons: tuple[Reason, ...]
    complete: bool = True  # False when the search for a small conflict ran out of time

    @property
    def rules(self) -> set[str]:
        return {reason.rule for reason in self.reasons}

    @property
    def events(self) -> set[str]:
        return {key for reason in self.reasons for key in reason.events}

    @property
    def inspectors(self) -> set[int]:
        return {i for reason in self.reasons for i in reason.inspectors}

    def as_text(self) -> str:
        return "\n".join([self.summary, *(f"- {r.rule}: {r.text}" for r in self.reasons)])


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _weeks_text(instance: Instance, weeks: Sequence[int]) -> str:
    shown = [_long(instance.monday(w)) for w in sorted(weeks)[:4]]
    more = len(weeks) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more > 0 else text


def explain(instance: Instance, *, time_limit: float = 30.0) -> Explanation | None:
    """Why `instance` has no plan, or None if it has one.

    Small instances (up to model.JOINT_UP_TO events) get the smallest conflicting set of
    rules CP-SAT can find, naming events and inspectors. On larger ones, proving a set of
    rules infeasible in the full model can take longer than anyone waits, so the weeks come
    first: which kinds of rule, relaxed, would leave room for every event's weeks. Only when
    the weeks fit is the full model searched for a conflict, within `time_limit`."""
    deadline = time.perf_counter() + time_limit
    plain = _plain_reasons(instance)
    if plain:
        return Explanation(
            summary="No plan keeps every rule: some events cannot be placed at all.",
            reasons=tuple(plain),
        )
    if len(instance.events) > JOINT_UP_TO:
        weeks = _weeks_explanation(instance, deadline)
        if weeks is not None:
            return weeks
    explanation = _core_explanation(instance, max(1.0, deadline - time.perf_counter()))
    if explanation is None and _undecided(instance):
        return Explanation(
            summary=(
                "No plan was found, and the planner could not narrow down why in the time "
                "allowed. The weeks fit; the teams do not: look at vetting (TM-1), conflicts "
                "(TM-2), the improvement HMI (TM-4), leave (TM-5) and on-site maximums (PG-11)."
            ),
            reasons=(),
            complete=False,
        )
    return explanation


def _undecided(instance: Instance) -> bool:
    """The instance has no plan as far as a short solve can tell."""
    from inspectorate.planner.model import INFEASIBLE, solve

    return solve(instance, time_limit=5.0).status == INFEASIBLE


# The weeks, for large instances ---------------------------------------------------------

WEEK_GROUPS = ("closed", "bank", "notice", "fixed", "limit", "capacity", "site")


def _weeks_fit(instance: Instance, relax: frozenset[str], deadline: float) -> bool | None:
    """Whether every event has a week once the groups in `relax` are left out."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.stop_after_first_solution = True
    solver.parameters.max_time_in_seconds = max(0.1, min(10.0, deadline - time.perf_counter()))
    status = solver.solve(WeekModel(instance, relax=relax).model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if status == cp_model.INFEASIBLE else None


def _weeks_explanation(instance: Instance, deadline: float) -> Explanation | None:
    if _weeks_fit(instance, frozenset(), deadline) is not False:
        return None
    alone = [g for g in WEEK_GROUPS if _weeks_fit(instance, frozenset({g}), deadline)]
    if alone:
        summary = (
            "No plan keeps every rule: the events do not fit in the programme's weeks. "
            "Relaxing any one of these would make room."
        )
        groups = alone
    else:  # several together: leave out all, then put back each that still leaves room
        relaxed = set(WEEK_GROUPS)
        for group in WEEK_GROUPS:
            if _weeks_fit(instance, frozenset(relaxed - {group}), deadline):
                relaxed.discard(group)
        summary = (
            "No plan keeps every rule: the events do not fit in the programme's weeks. "
            "These rules together leave no room; relaxing all of them would."
        )
        groups = [g for g in WEEK_GROUPS if g in relaxed]
    return Explanation(
        summary=summary, reasons=tuple(_word_week_group(instance, g) for g in groups)
    )


def _word_week_group(instance: Instance, group: str) -> Reason:
    if group == "limit":
        return _limit_reason(instance)
    if group == "capacity":
        return Reason(
            "TM-5",
            "In some weeks too few qualified inspectors are free (leave, bookings, DBS "
            "checks) for the smallest teams of the events that must be on site then.",
        )
    if group == "site":
        return Reason("SITE", "An establishment has only one event on site at a time.")
    affected = []
    for event in instance.events:
        why = week_reasons(instance, event)
        blocked = {"closed": why.closed, "bank": why.bank, "notice": why.notice}.get(
            group, why.fixed
        )
        if blocked - why.horizon:
            affected.append(event.key)
    names = ", ".join(instance.describe_event(k) for k in affected[:5])
    more = f" and {len(affected) - 5} more" if len(affected) > 5 else ""
    texts = {
        "closed": (
            "CLOSED",
            f"The closed weeks ({_weeks_text(instance, sorted(instance.closed_weeks))}) take "
            f"weeks from {names}{more}.",
        ),
        "bank": ("WD-1", f"Bank holidays take weeks from {names}{more}."),
        "notice": (
            "PG-5",
            f"Notice periods (PG-5, PG-7) keep {names}{more} out of the first weeks.",
        ),
        "fixed": ("FIXED", f"Fixed weeks hold {names}{more} in place."),
    }
    rule, text = texts[group]
    return Reason(rule, text, tuple(affected))


def _limit_reason(instance: Instance) -> Reason:
    parts = []
    for organisation, limit in sorted(instance.start_limits.items()):
        events = [e for e in instance.events if organisation in instance.organisations_of(e)]
        weeks = {w for e in events for w in week_reasons(instance, e).allowed(instance.weeks)}
        if not events:
            continue
        who = ORGANISATIONS.get(organisation, organisation)
        parts.append(
            f"{len(events)} {who} events have {len(weeks)} weeks they could start in, "
            f"at most {limit} a week"
        )
    return Reason(
        "LIMIT",
        "At most N events may start in one week per organisation: " + "; ".join(parts) + ".",
    )


# Without a solver -----------------------------------------------------------------------


def _plain_reasons(instance: Instance) -> list[Reason]:
    reasons: list[Reason] = []
    for event in instance.events:
        reasons += _no_week(instance, event)
        reasons += _no_one_qualifies(instance, event)
    return reasons


def _no_week(instance: Instance, event: RequiredEvent) -> list[Reason]:
    why = week_reasons(instance, event)
    if why.allowed(instance.weeks):
        return []
    name = instance.describe_event(event.key)
    if len(why.horizon) == instance.weeks:
        return [Reason("PLAN", f"{name} is longer than the programme's {instance.weeks} weeks.")]
    parts: list[Reason] = []
    if why.fixed and event.key in instance.fixed_weeks:
        week = instance.fixed_weeks[event.key]
        parts.append(
            Reason("FIXED", f"{name} is fixed to {instance.describe_week(week)}.", (event.key,))
        )
    if why.closed - why.horizon:
        parts.append(
            Reason(
                "CLOSED",
                f"{name} cannot be on site in a closed week "
                f"(weeks from {_weeks_text(instance, sorted(instance.closed_weeks))}).",
                (event.key,),
            )
        )
    if why.bank - why.horizon:
        nation = instance.site_of(event).nation.replace("_", " ").title()
        parts.append(
            Reason(
                "WD-1",
                f"{name} cannot be on site on a bank holiday in {nation}, which rules out "
                f"the weeks of {_weeks_text(instance, sorted(why.bank - why.horizon))}.",
                (event.key,),
            )
        )
    if why.notice:
        parts.append(_notice_reason(instance, event))
    head = Reason(
        "PLAN",
        f"{name} has no week left in the programme once these rules are kept.",
        (event.key,),
    )
    return [head, *parts]


def _notice_reason(instance: Instance, event: RequiredEvent) -> Reason:
    months, rule = notice_needed(instance, event)
    earliest = add_months(instance.today, months)
    name = instance.describe_event(event.key)
    who = {
        "PG-5": "HMI Prisons tells Ofsted of an inspection at least six months ahead",
        "PG-3": "an IRP is announced at least three months ahead",
        "PG-7": f"it needs {months} months' notice",
    }.get(rule, f"it needs {months} months' notice")
    return Reason(
        rule,
        f"{who}, so {name} cannot start before {_long(earliest)} "
        f"(planning on {_long(instance.today)}).",
        (event.key,),
    )


def _no_one_qualifies(instance: Instance, event: RequiredEvent) -> list[Reason]:
    reasons = []
    name = instance.describe_event(event.key)
    for _, requirement, organisation in instance.slots(event):
        if requirement.fewest == 0:
            continue
        qualified = [i for i in instance.inspectors if qualifies(i, requirement, organisation)]
        who = ORGANISATIONS.get(organisation, organisation)
        needs = []
        if requirement.lead:
            needs.append("may lead")
        if requirement.specialism:
            needs.append(f"hold the {requirement.specialism.replace('_', ' ')} specialism")
        wanted = f"{requirement.fewest} {who} {requirement.title}"
        if len(qualified) < requirement.fewest:
            detail = f" who {' and '.join(needs)}" if needs else ""
            reasons.append(
                Reason(
                    "TEAM" if requirement.organisation != "education" else "PG-10",
                    f"{name} needs at least {wanted}{detail}; only "
                    f"{len(qualified)} {who} inspectors qualify.",
                    (event.key,),
                )
            )
            continue
        allowed = [i for i in qualified if not barred_by(instance, event, i)]
        if len(allowed) < requirement.fewest:
            barred = {
                i.id: ", ".join(barred_by(instance, event, i))
                for i in qualified
                if barred_by(instance, event, i)
            }
            names = "; ".join(
                f"{instance.inspector_by_id[i].name} ({rules})" for i, rules in barred.items()
            )
            rules = sorted({r for text in barred.values() for r in text.split(", ")})
            reasons.append(
                Reason(
                    rules[0],
                    f"{name} needs at least {wanted}, but of those who qualify "
                    f"{len(barred)} may not go: {names}.",
                    (event.key,),
                    tuple(barred),
                )
            )
    return reasons


# With CP-SAT ----------------------------------------------------------------------------


def _infeasible(
    built: PlannerModel, indices: Sequence[int], time_limit: float
) -> tuple[bool | None, list[int]]:
    """(True, core) if infeasible assuming the literals `indices`, (False, []) if feasible,
    (None, []) when undecided within `time_limit` seconds."""
    model = built.model
    model.clear_assumptions()
    model.add_assumptions([built.literal_at(index) for index in indices])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # cores of assumptions need one worker, no objective
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        found = set(solver.sufficient_assumptions_for_infeasibility())
        core = [index for index in indices if index in found]
        return True, core or list(indices)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False, []
    return None, []


def _core_explanation(instance: Instance, time_limit: float) -> Explanation | None:
    deadline = time.perf_counter() + time_limit
    built = PlannerModel(instance, explain=True)
    keys = {literal.index: key for key, literal in built.assumptions.items()}
    verdict, core = _infeasible(built, list(keys), time_limit / 2)
    if not verdict:
        return None
    complete = True
    for index in list(core):  # deletion: drop each literal the rest still conflicts without
        if index not in core:
            continue
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            complete = False
            break
        trial = [i for i in core if i != index]
        verdict, smaller = _infeasible(built, trial, min(remaining, 5.0))
        if verdict:
            core = smaller
        elif verdict is None:
            complete = False
    groups = [keys[index] for index in core]
    reasons = [_word(instance, group) for group in sorted(groups, key=repr)]
    events = sorted({e for r in reasons for e in r.events})
    names = ", ".join(instance.describe_event(e) for e in events) or "the programme"
    return Explanation(
        summary=(
            f"No plan keeps every rule. These {len(reasons)} rules cannot all be kept "
            f"together, for {names}; relaxing any one of them may make a plan possible."
        ),
        reasons=tuple(reasons),
        complete=complete,
    )


def _word(instance: Instance, group: tuple[Hashable, ...]) -> Reason:
    kind = str(group[0])
    rule = GROUP_RULES.get(kind, kind.upper())
    if kind in {"closed", "bank", "fixed_week", "team", "onsite", "weeks"}:
        return _word_event(instance, kind, rule, str(group[1]))
    if kind == "notice":
        return _notice_reason(instance, instance.event_by_key[str(group[1])])
    if kind == "fixed_member":
        event, inspector_id = str(group[1]), cast(int, group[2])
        who = instance.inspector_by_id[inspector_id].name
        return Reason(
            rule,
            f"{who} is fixed to the team of {instance.describe_event(event)}.",
            (event,),
            (inspector_id,),
        )
    if kind == "limit":
        organisation = str(group[1])
        limit = instance.start_limits[organisation]
        who = ORGANISATIONS.get(organisation, organisation)
        return Reason(rule, f"At most {limit} {who} events may start in any one week.")
    return _word_inspector(instance, kind, rule, cast(int, group[1]))


def _word_event(instance: Instance, kind: str, rule: str, key: str) -> Reason:
    event = instance.event_by_key[key]
    name = instance.describe_event(key)
    site = instance.site_of(event)
    texts = {
        "closed": f"{name} cannot be on site in a closed week "
        f"({_weeks_text(instance, sorted(instance.closed_weeks))}).",
        "bank": f"{name} cannot be on site on a bank holiday in "
        f"{site.nation.replace('_', ' ').title()}.",
        "fixed_week": f"{name} is fixed to "
        f"{instance.describe_week(instance.fixed_weeks.get(key, 0))}.",
        "team": f"{name} needs a full team: "
        + ", ".join(
            f"at least {r.fewest} {ORGANISATIONS.get(o, o)} {r.title}"
            for _, r, o in instance.slots(event)
            if r.fewest
        )
        + ".",
        "onsite": f"{site.name} takes at most {site.on_site_maximum} inspectors on site.",
        "weeks": f"{name} is longer than the programme.",
    }
    return Reason(rule, texts[kind], (key,))


def _word_inspector(instance: Instance, kind: str, rule: str, inspector_id: int) -> Reason:
    inspector = instance.inspector_by_id[inspector_id]
    name = inspector.name
    sites = instance.site_by_key
    if kind == "tm1":
        until = inspector.dbs_until
        text = (
            f"{name} has no enhanced DBS check recorded."
            if until is None
            else f"{name}'s enhanced DBS check is valid only until {_long(until)}, or their "
            "clearance is too low for some sites."
        )
    elif kind == "tm2":
        places = ", ".join(sites[k].name for k in sorted(inspector.conflicts) if k in sites)
        text = f"{name} has declared a conflict of interest with {places}."
    elif kind == "tm4":
        places = ", ".join(
            sites[k].name for k in sorted(inspector.improvement_hmi_for) if k in sites
        )
        text = f"{name} is the improvement HMI for {places}, so does not inspect it."
    else:
        weeks = sorted(inspector.unavailable_weeks)
        text = f"{name} is on leave or booked in the weeks of {_weeks_text(instance, weeks)}."
    return Reason(rule, text, (), (inspector_id,))
