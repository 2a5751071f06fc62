"""Every write of the planner: asking for a plan, stopping it, solving it (the background
task), and accepting all or some of a proposal.

Accepting writes only through the programme's own services: `event_schedule` for a new
event, `event_move` for one that moves (its team follows, TM-5 checked by the database), and
`team_member_add` for each new member (which refuses, naming the rule, what TM-1, TM-2,
TM-5 forbid). All of it in one transaction: one refusal and nothing is written.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.permissions import require
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.models import Inspector
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion
from inspectorate.lib.wording import lower_first
from inspectorate.planner import checker
from inspectorate.planner import instance as core
from inspectorate.planner.changes import change_reasons, workloads
from inspectorate.planner.constants import (
    DEFAULT_TIME_LIMIT,
    EXPLAIN_SECONDS,
    PROGRESS_EVERY,
    TIME_LIMITS,
    RunStatus,
)
from inspectorate.planner.explain import explain
from inspectorate.planner.greedy import greedy
from inspectorate.planner.instance import Instance, Plan
from inspectorate.planner.model import Progress, SolveResult, solve
from inspectorate.planner.models import PlanRun
from inspectorate.planner.selectors import PlanningData, PlanParameters, planning_data
from inspectorate.programme import services as programme_services
from inspectorate.programme.constants import EventStatus, ProgrammeStatus, TeamRole
from inspectorate.programme.models import Event, Programme, TeamMember, today
from inspectorate.programme.teams import services as team_services

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

logger = logging.getLogger(__name__)

WEIGHT_NAMES = ("lateness", "balance", "region", "understaffing", "moved", "reassigned")
MAX_WEIGHT = 10_000


PLANNER_ONLY = "Only the HMI Prisons programme coordinator can use the planner."


# Asking for a plan ----------------------------------------------------------------------


def _validated(programme: Programme, parameters: Mapping[str, Any]) -> PlanParameters:
    try:
        found = PlanParameters.from_json(parameters)
    except (TypeError, ValueError):
        raise ValidationError({"parameters": "The planner's settings could not be read"}) from None
    problems: dict[str, str] = {}
    if found.time_limit not in TIME_LIMITS:
        problems["time_limit"] = "Choose how long the planner may search from the list"
    _check_closed_weeks(programme, found, problems)
    _check_weights(found, problems)
    _check_fixed(programme, found, problems)
    if problems:
        raise ValidationError(problems)
    return found


def _check_closed_weeks(
    programme: Programme, found: PlanParameters, problems: dict[str, str]
) -> None:
    for monday in found.closed_weeks:
        if (
            monday.weekday() != 0
            or not programme.starts_on - timedelta(days=6) <= monday
            or monday > programme.ends_on
        ):
            problems["closed_weeks"] = "Closed weeks are Mondays within the programme"


def _check_weights(found: PlanParameters, problems: dict[str, str]) -> None:
    for name, value in found.weights.items():
        if name not in WEIGHT_NAMES:
            problems["weights"] = f"There is no weight called {name}"
        elif not 0 <= value <= MAX_WEIGHT:
            problems[f"weight_{name}"] = f"Weights are whole numbers from 0 to {MAX_WEIGHT}"


def _check_fixed(programme: Programme, found: PlanParameters, problems: dict[str, str]) -> None:
    """Fixed events and assignments must name events of the programme still going ahead."""
    events = set(
        Event.objects.filter(programme=programme)
        .exclude(status=EventStatus.CANCELLED)
        .values_list("pk", flat=True)
    )
    if any(pk not in events for pk in found.fixed_events):
        problems["fixed_events"] = "Fixed events must be events of this programme"
    if any(pk not in events for pk, _ in found.fixed_assignments):
        problems["fixed_assignments"] = "Fixed assignments must be on events of this programme"


def plan_request(
    *, actor: User, programme: Programme, parameters: Mapping[str, Any] | None = None
) -> PlanRun:
    """Ask the planner for a proposal for `programme`: the run is queued and a background
    task solves it (progress on the run as it goes)."""
    from inspectorate.planner.tasks import plan_solve_task

    require(actor, "planner.use_planner", message=PLANNER_ONLY)
    _require_draft(programme)
    found = _validated(programme, parameters or {"time_limit": DEFAULT_TIME_LIMIT})
    with transaction.atomic():
        run = PlanRun.objects.create(
            programme=programme, requested_by=actor, parameters=found.as_json()
        )
        transaction.on_commit(lambda: plan_solve_task.defer(run_id=run.pk))
    return run


def plan_stop(*, actor: User, run: PlanRun) -> PlanRun:
    """Ask a running plan to stop: it keeps the best plan found so far. A run that has
    already ended is refused, so the caller is not told a stop was asked for."""
    require(actor, "planner.use_planner", message=PLANNER_ONLY)
    with transaction.atomic():
        current = PlanRun.objects.select_for_update().get(pk=run.pk)
        if not current.is_active:
            raise ValidationError(
                f"This run has already ended ({lower_first(current.get_status_display())})."
            )
        current.stop_requested = True
        current.save(update_fields=["stop_requested"])
    return current


# Solving (the background task) ----------------------------------------------------------


class _Latest:
    """The newest progress, handed from the solver's threads to the task's own."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.progress: Progress | None = None

    def update(self, progress: Progress) -> None:
        with self.lock:
            self.progress = progress

    def take(self) -> Progress | None:
        with self.lock:
            progress, self.progress = self.progress, None
            return progress


def _save_progress(run_id: int, progress: Progress) -> None:
    PlanRun.objects.filter(pk=run_id).update(
        phase=progress.phase,
        solutions=progress.solutions,
        best_score=progress.score,
        bound=progress.bound,
        gap=progress.gap,
        elapsed=round(progress.elapsed, 2),
    )


def _solve_watching(run_id: int, instance: Instance, time_limit: float) -> SolveResult:
    """Solve in a thread of its own while this one writes progress about once a second and
    passes on a request to stop (database work stays in this thread)."""
    latest, stop = _Latest(), threading.Event()
    hint = instance.draft if instance.draft and instance.draft.placements else None
    if hint is None:  # nothing drafted yet: start from the first-fit plan
        first_fit = greedy(instance)
        hint = first_fit.plan if first_fit.complete else None
    outcome: list[SolveResult] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(
                solve(
                    instance,
                    time_limit=time_limit,
                    on_progress=latest.update,
                    stop=stop,
                    hint=hint,
                )
            )
        except BaseException as error:  # re-raised in the task's thread
            failures.append(error)

    worker = threading.Thread(target=work, name=f"plan-run-{run_id}")
    worker.start()
    while worker.is_alive():
        worker.join(PROGRESS_EVERY)
        progress = latest.take()
        if progress is not None:
            _save_progress(run_id, progress)
        if _stop_requested(run_id):
            stop.set()
    if failures:
        raise failures[0]
    return outcome[0]


def _stop_requested(run_id: int) -> bool:
    return bool(PlanRun.objects.filter(pk=run_id).values_list("stop_requested", flat=True).first())


def plan_solve(*, run_id: int) -> str:
    """Solve a queued run (the task calls this): build the instance from the database, search
    within the run's time limit, keep the best plan (or explain why there is none).
    Returns the run's final status."""
    run = PlanRun.objects.select_related("programme").get(pk=run_id)
    # Claimed only from "queued", finished only by the claim that started it (started_at is
    # the fence): a run whose worker was taken for dead and restarted is finished once.
    started = timezone.now()
    claimed = PlanRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=started
    )
    if not claimed:
        return str(run.status)
    try:
        parameters = PlanParameters.from_json(run.parameters)
        data = planning_data(run.programme, parameters, today())
        result = _solve_watching(run_id, data.instance, parameters.time_limit)
        fields = _finished_fields(data, result, parameters.time_limit)
    except Exception as error:
        logger.exception("planner: run %s failed", run_id)
        fields = {"status": RunStatus.FAILED, "message": f"The planner stopped: {error}"}
    finished = PlanRun.objects.filter(
        pk=run_id, status=RunStatus.RUNNING, started_at=started
    ).update(finished_at=timezone.now(), **fields)
    if not finished:
        logger.warning("planner: run %s was taken over by another worker", run_id)
        return "superseded"
    return str(fields["status"])


def plan_worker_lost(*, run_id: int) -> None:
    """The worker solving this run died: put it back in the queue (its job is retried) with
    its progress cleared; a stop asked for meanwhile still applies."""
    PlanRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.QUEUED,
        phase="",
        solutions=0,
        best_score=None,
        bound=None,
        gap=None,
        elapsed=0.0,
    )


def _finished_fields(data: PlanningData, result: SolveResult, time_limit: int) -> dict[str, Any]:
    progress = {
        "elapsed": round(result.elapsed, 2),
        "best_score": result.score,
        "bound": result.bound,
        "gap": result.gap,
    }
    if result.plan is not None:
        return {
            "status": RunStatus.FINISHED,
            "result": result_json(data, result),
            "message": " ".join(data.warnings),
            **progress,
        }
    explanation = explain(data.instance, time_limit=EXPLAIN_SECONDS)
    if explanation is None:
        return {
            "status": RunStatus.FAILED,
            "message": no_plan_message(result, time_limit),
            **progress,
        }
    return {
        "status": RunStatus.INFEASIBLE,
        "explanation": {
            "summary": explanation.summary,
            "complete": explanation.complete,
            "reasons": [{"rule": r.rule, "text": r.text} for r in explanation.reasons],
        },
        **progress,
    }


PHASE_WORDS = {
    "weeks": "weeks for the events",
    "teams": "teams for the chosen weeks",
    "joint": "weeks and teams together",
}


def no_plan_message(result: SolveResult, time_limit: int) -> str:
    """What happened when a search ended with no plan and no proof that none exists."""
    spent = f"{result.elapsed:.1f} seconds of the {time_limit} allowed"
    searched = "a plan"
    if result.phases:
        searched = PHASE_WORDS.get(result.phases[-1].phase, searched)
    if result.stopped:
        return (
            f"You stopped the planner after {spent}, before it had found {searched} that keep "
            "every rule. Nothing was proposed; ask again and let it run longer."
        )
    return (
        f"The planner searched for {searched} for {spent} and found none that keeps every "
        "rule, but could not prove that none exists either. Nothing was proposed. Allow it "
        "longer, or fix fewer events and close fewer weeks, so it has more room."
    )


def _members_json(data: PlanningData, key: str, plan: Plan | None) -> list[dict[str, Any]]:
    instance = data.instance
    placement = plan.by_event.get(key) if plan else None
    if placement is None:
        return []
    event = instance.event_by_key[key]
    spec = instance.spec_of(event)
    rows = []
    for member in placement.members:
        requirement = spec.requirements[member.slot]
        role = requirement.role
        label = str(TeamRole(role).label)
        if role == TeamRole.OFSTED_LEAD and event.education == "estyn":
            label = "Estyn lead inspector"  # TM-3, PG-10
        rows.append(
            {
                "inspector": member.inspector,
                "name": instance.inspector_by_id[member.inspector].name,
                "role": role,
                "role_label": label,
                "slot": member.slot,
                "weeks": list(member.weeks),
            }
        )
    return rows


def result_json(data: PlanningData, result: SolveResult) -> dict[str, Any]:
    """What a run keeps of its result: every event's proposed week and team beside the
    draft's, and the scores of both (the draft's by the same weights)."""
    instance, plan = data.instance, result.plan
    assert plan is not None
    draft = instance.draft
    rows = []
    for event in sorted(instance.events, key=lambda e: (plan.week_of(e.key) or 0, e.key)):
        week = plan.week_of(event.key)
        assert week is not None
        starts = instance.monday(week)
        ends = starts + timedelta(days=instance.spec_of(event).days - 1)
        existing = data.existing.get(event.key)
        rows.append(
            {
                "key": event.key,
                "label": instance.describe_event(event.key),
                "kind": event.kind,
                "establishment": event.site,
                "reason": event.reason,
                "event_id": existing.pk if existing else None,
                "event_version": existing.version if existing else None,
                "follows_up": data.follows_up.get(event.key),
                "previous_judgement": data.previous_judgement.get(event.key),
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat(),
                "members": _members_json(data, event.key, plan),
                "current_starts_on": existing.starts_on.isoformat() if existing else None,
                "current_ends_on": existing.ends_on.isoformat() if existing else None,
                "current_members": _current_members(existing),
                "changes": change_reasons(instance, plan, event.key),
                "region": instance.site_of(event).region,
                "week": week,
                "span_weeks": instance.spec_of(event).weeks,
                "education_weeks": _education_weeks(instance, plan, event.key),
            }
        )
    score = checker.score(instance, plan)
    draft_score = None
    if draft is not None and draft.placements:
        scored = checker.score(instance, draft)
        draft_score = {
            "total": scored.total,
            "parts": scored.parts,
            "violations": len(checker.violations(instance, draft)),
        }
    return {
        "status": result.status,
        "method": result.method,
        "first_feasible": result.first_feasible,
        "phases": [
            {"phase": p.phase, "status": p.status, "score": p.score, "bound": p.bound}
            for p in result.phases
        ],
        "score_total": score.total,
        "score": score.parts,
        "counts": score.counts,
        "draft_score": draft_score,
        "events": rows,
        "warnings": data.warnings,
        "first_monday": instance.first_monday.isoformat(),
        "weeks": instance.weeks,
        "workload": [asdict(row) for row in workloads(instance, plan)],
    }


def _education_weeks(instance: Instance, plan: Plan, key: str) -> list[int]:
    """The programme weeks Ofsted's (or Estyn's) inspectors are on site at event `key`."""
    placement = plan.by_event.get(key)
    if placement is None:
        return []
    education = {core.OFSTED, core.ESTYN}
    return sorted(
        {
            week
            for member in placement.members
            if instance.inspector_by_id[member.inspector].organisation in education
            for week in member.weeks
        }
    )


def _current_members(event: Event | None) -> list[dict[str, Any]]:
    if event is None:
        return []
    return [
        {"inspector": m.inspector_id, "name": m.inspector.name, "role": m.role}
        for m in TeamMember.objects.filter(event=event).select_related("inspector")
    ]


# Accepting ------------------------------------------------------------------------------


def _require_unchanged(event: Event, row: Mapping[str, Any]) -> None:
    """The proposal was made from the event as it was: if someone has changed it since (moved
    it, changed its team), accepting would silently undo their change."""
    planned_from = row.get("event_version")  # runs made before versions were kept: None
    if planned_from is not None and event.version != planned_from:
        raise StaleVersion(
            event,
            f"{row['label']} has been changed since the planner ran: ask for a new plan, or "
            "leave this event out.",
        )


def _require_draft(programme: Programme) -> None:
    if programme.status == ProgrammeStatus.CONFIRMED:
        raise ValidationError(
            f"The {programme.label} programme is confirmed: change it event by event, so "
            "that Ofsted hears of every amendment (PG-4)."
        )


@contextmanager
def _rule_warnings_refuse(label: str) -> Iterator[None]:
    """A proposal that breaks a 'normally' rule at entry (WD-1, WD-2) is refused, naming
    the row: accepting a plan records no override reasons; enter such an event by hand."""
    try:
        yield
    except OverrideNeeded as warning:
        rules = " ".join(warning.warnings.values()).replace(" To go ahead, give the reason.", "")
        raise ValidationError(
            f"{label}: {rules} Enter this event by hand, with the reason."
        ) from warning


def _accept_one(actor: User, programme: Programme, row: Mapping[str, Any]) -> Event:
    starts_on = date.fromisoformat(row["starts_on"])
    current: dict[int, TeamMember] = {}
    if row.get("event_id"):
        event = Event.objects.select_related("establishment").get(pk=row["event_id"])
        _require_unchanged(event, row)
        current = {
            m.inspector_id: m
            for m in TeamMember.objects.filter(event=event).select_related("inspector")
        }
        proposed = {member["inspector"]: member["role"] for member in row["members"]}
        leaving = [m for i, m in current.items() if proposed.get(i) != m.role]
        if leaving:
            names = ", ".join(m.inspector.name for m in leaving)
            raise ValidationError(
                f"{row['label']}: the proposal takes {names} off the team or gives them "
                "another role. Change that on the team page first, then accept."
            )
        if event.starts_on != starts_on:
            with _rule_warnings_refuse(row["label"]):
                event = programme_services.event_move(
                    actor=actor,
                    event=event,
                    version=event.version,
                    starts_on=starts_on,
                    reason="Proposed by the programme planner",
                )
    else:
        follows_up = (
            Event.objects.get(pk=row["follows_up"]) if row.get("follows_up") is not None else None
        )
        with _rule_warnings_refuse(row["label"]):
            event = programme_services.event_schedule(
                actor=actor,
                programme=programme,
                kind=row["kind"],
                establishment=Establishment.objects.get(code=row["establishment"]),
                starts_on=starts_on,
                follows_up=follows_up,
                previous_education_judgement=row.get("previous_judgement") or None,
                notes="Proposed by the programme planner.",
            )
    people = Inspector.objects.in_bulk([m["inspector"] for m in row["members"]])
    # Leaders first: the education lead before education inspectors reads best in the log.
    for member in sorted(row["members"], key=lambda m: m["role"] != TeamRole.TEAM_LEADER):
        if member["inspector"] in current:
            continue
        team_services.team_member_add(
            actor=actor, event=event, inspector=people[member["inspector"]], role=member["role"]
        )
    return event


def plan_accept(*, actor: User, run: PlanRun, items: Sequence[str] | None = None) -> list[Event]:
    """Write the accepted part of a proposal (`items`: event keys; None: all of it) through
    the programme's services, in one transaction: events scheduled or moved, new members
    added. Items are tried in rounds, so that an event moving into a week another one is
    leaving can wait for it; whatever still cannot be written refuses the whole acceptance,
    naming the event and the rule."""
    require(actor, "planner.use_planner", message=PLANNER_ONLY)
    with transaction.atomic():
        current = PlanRun.objects.select_for_update().select_related("programme").get(pk=run.pk)
        if current.status != RunStatus.FINISHED or not current.result.get("events"):
            raise ValidationError("This run has no proposal to accept.")
        _require_draft(current.programme)
        rows = {row["key"]: row for row in current.result["events"]}
        chosen = list(rows) if items is None else list(dict.fromkeys(items))
        if not chosen:
            raise ValidationError({"items": "Select the events to accept"})
        unknown = [key for key in chosen if key not in rows]
        if unknown:
            raise ValidationError({"items": "Select events from the proposal"})
        already = [key for key in chosen if key in current.accepted_items]
        if already:
            raise ValidationError(
                {"items": f"{rows[already[0]]['label']} has been accepted already"}
            )
        written, waiting = _accept_in_rounds(actor, current.programme, [rows[k] for k in chosen])
        if waiting:
            messages = [m for _, error in waiting for m in error.messages]
            raise ValidationError(messages)
        current.accepted_items = [*current.accepted_items, *chosen]
        current.accepted_at = timezone.now()
        current.accepted_by = actor
        current.save(update_fields=["accepted_items", "accepted_at", "accepted_by"])
    return written


def _accept_in_rounds(
    actor: User, programme: Programme, rows: list[Mapping[str, Any]]
) -> tuple[list[Event], list[tuple[Mapping[str, Any], ValidationError]]]:
    written: list[Event] = []
    waiting = list(rows)
    while waiting:
        failed: list[tuple[Mapping[str, Any], ValidationError]] = []
        for row in waiting:
            try:
                with transaction.atomic():  # a savepoint: a refusal leaves nothing behind
                    written.append(_accept_one(actor, programme, row))
            except ValidationError as error:
                label = row["label"]
                failed.append(
                    (
                        row,
                        ValidationError(
                            [m if m.startswith(label) else f"{label}: {m}" for m in error.messages]
                        ),
                    )
                )
        if len(failed) == len(waiting):
            return written, failed
        waiting = [row for row, _ in failed]
    return written, []
