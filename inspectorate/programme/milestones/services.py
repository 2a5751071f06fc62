"""Every write about milestones: recomputing them from the rules when an event moves, marking
one met, overriding a "normally" one with a reason, the daily status update and reminders.

Receivers of the programme's signals live here too (registered by ProgrammeConfig.ready):
`event_dates_changed` recomputes the event's milestones, and those of any IRP following it
up; `team_changed` completes PG-6 when the event has an Ofsted lead, and reopens it when
the lead is removed. Both run inside the sender's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import Duty, Role, roles_with
from inspectorate.lib import workdays
from inspectorate.lib.versions import check_version, locked, saved
from inspectorate.lib.wording import long_date, lower_first
from inspectorate.lib.workdays import Nation
from inspectorate.programme import signals
from inspectorate.programme.constants import EventStatus, MilestoneStatus, TeamRole
from inspectorate.programme.milestones.deadlines import (
    DUTY_OF,
    OPEN,
    STAND_IN,
    TEAM_ROLE_OF,
    UNMET,
    ComputedMilestone,
    EventFacts,
    MetWhen,
    MilestoneRule,
    Responsible,
    compute_milestones,
    facts_for,
    rule_for,
    rules_by_code,
    starts_in_window,
)
from inspectorate.programme.models import Event, Milestone, TeamMember, today
from inspectorate.programme.notifications import notify

REMINDER_WORKING_DAYS = 5  # remind of milestones due within this many working days
OVERDUE_REMINDER_EVERY = timedelta(days=7)  # and of overdue ones once, then weekly


# Helpers -------------------------------------------------------------------------------------


def _stale_wording(milestone: Milestone) -> str:
    return (
        f"The milestone '{milestone.title}' was changed by someone else after you opened it. "
        "Nothing has been saved: reload the page to see the latest version, then try again."
    )


def _locked(milestone: Milestone) -> Milestone:
    try:
        rows = Milestone.objects.select_related("event__establishment", "met_by")
        return locked(rows, milestone.pk, None)
    except Milestone.DoesNotExist:
        raise ValidationError(
            f"The milestone '{milestone.title}' no longer applies to this event (its dates or "
            "kind changed). Nothing has been saved.",
            code="gone",
        ) from None


def _require_visible(actor: User, milestone: Milestone) -> None:
    if not Event.objects.visible_to(actor).filter(pk=milestone.event_id).exists():
        raise PermissionDenied("You cannot see this event.")


def _locked_for(
    actor: User, milestone: Milestone, version: int | None, permission: str, doing: str
) -> Milestone:
    """The milestone locked for `actor` to change: they see its event and hold the
    programme `permission` on it (else PermissionDenied: "You cannot `doing`.", its {title}
    filled in), and nobody has saved it since `version`."""
    current = _locked(milestone)
    _require_visible(actor, current)
    if not actor.has_perm(f"programme.{permission}", current):
        raise PermissionDenied(f"You cannot {doing.format(title=current.title)}.")
    check_version(current, version, _stale_wording)
    return current


def _on_day(day: date) -> datetime:
    """Noon in London on `day`: a recorded day as a moment that is that day anywhere in the
    UK year round."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def met_day(event: Event, day: date) -> date | None:
    """The day a milestone of `event` met by something done on `day` (a meeting recorded)
    was met, for a historical event (HI-1), whose record comes later: that day, never after
    today. None for any other event: it is met now, as marking one met by hand is."""
    return min(day, today()) if event.historical else None


def met_at(event: Event, day: date) -> datetime:
    """The moment of `met_day`: noon on that day, or now."""
    historical_day = met_day(event, day)
    return _on_day(historical_day) if historical_day else timezone.now()


def _has_ofsted_lead(event: Event) -> bool:
    return TeamMember.objects.filter(event=event, role=TeamRole.OFSTED_LEAD).exists()


def _unmet_status(milestone: Milestone, on: date) -> str:
    """An unmet milestone's status on `on`: impossible when it was due before it was made,
    missed once its day has passed, due until then. A historical event's is neither
    impossible nor missed, only not recorded (HI-1)."""
    if milestone.event.historical:
        return MilestoneStatus.DUE
    if milestone.due_on < milestone.opened_on:
        return MilestoneStatus.IMPOSSIBLE
    return MilestoneStatus.MISSED if milestone.due_on < on else MilestoneStatus.DUE


def _reopen(milestone: Milestone, on: date) -> None:
    milestone.status = _unmet_status(milestone, on)
    milestone.met_on = None
    milestone.met_by = None


# Recompute -----------------------------------------------------------------------------------


_TRACKED = (
    "rule_id",
    "title",
    "strength",
    "due_on",
    "due_time",
    "status",
    "met_on",
    "met_by_id",
    "reminded_on",
    "opened_on",
)


def _snapshot(milestone: Milestone) -> tuple[Any, ...]:
    return tuple(getattr(milestone, name) for name in _TRACKED)


def _automatic_state(
    computed: ComputedMilestone, event: Event, facts: EventFacts, on: date, lead: bool | None
) -> date | bool | None:
    """For a rule met automatically: a truthy value (a date when known) if its condition
    holds, False if not; None for a rule met by hand."""
    when = computed.rule.met_when
    if when is None:
        return None
    if when == MetWhen.OFSTED_LEAD_NAMED:
        return bool(lead)
    if when == MetWhen.ANNOUNCED:
        announced = event.announced_on
        return announced if announced is not None and announced <= on else False
    return starts_in_window(facts, computed)


def _follow_the_event(milestone: Milestone, computed: ComputedMilestone, on: date) -> None:
    """The milestone's due date and time as its event's dates now make them."""
    moved = (milestone.due_on, milestone.due_time) != (computed.due.due_on, computed.due.at)
    if moved and milestone.pk:
        milestone.reminded_on = None  # a new date earns a new reminder
        if milestone.due_on >= on > computed.due.due_on:
            # The move took a deadline still ahead into the past: nobody could meet it, so
            # it is impossible as set today, not missed. One already past stays missed.
            milestone.opened_on = on
    milestone.due_on = computed.due.due_on
    milestone.due_time = computed.due.at


def _apply(
    milestone: Milestone,
    computed: ComputedMilestone,
    *,
    event: Event,
    facts: EventFacts,
    actor: User | None,
    on: date,
    lead: bool | None,
) -> None:
    """Bring one row in line with its computed milestone, keeping what people recorded."""
    rule = computed.rule
    milestone.rule_id = rule.rule_id
    milestone.title = computed.title
    milestone.strength = rule.strength
    _follow_the_event(milestone, computed, on)
    status = milestone.status
    if facts.cancelled:
        if status in UNMET:
            milestone.status = MilestoneStatus.NOT_APPLICABLE
        return
    if event.historical:
        # HI-1: what happened is recorded as it was (marked met with the day it was met);
        # nothing is completed today, nothing is missed, nothing is due.
        if status in (MilestoneStatus.MISSED, MilestoneStatus.IMPOSSIBLE):
            milestone.status = MilestoneStatus.DUE
        return
    if status == MilestoneStatus.NOT_APPLICABLE and not milestone.override_reason:
        _reopen(milestone, on)  # the event was cancelled and is back on
    automatic = _automatic_state(computed, event, facts, on, lead)
    if automatic and milestone.status in UNMET:
        milestone.status = MilestoneStatus.MET
        milestone.met_on = _on_day(automatic) if isinstance(automatic, date) else timezone.now()
        milestone.met_by = actor if getattr(actor, "is_authenticated", False) else None
    elif automatic is False and milestone.status == MilestoneStatus.MET:
        _reopen(milestone, on)
    if milestone.status in UNMET:  # the event moved: the deadline may be ahead again
        milestone.status = _unmet_status(milestone, on)


def _recompute_one(
    event: Event, actor: User | None, on: date, opened_on: date | None = None
) -> list[Milestone]:
    facts = facts_for(event)
    computed = {item.rule.code: item for item in compute_milestones(facts)}
    existing = {
        milestone.rule_code: milestone
        for milestone in Milestone.objects.select_for_update().filter(event=event)
    }
    stale = [m.pk for code, m in existing.items() if code not in computed]
    if stale:
        Milestone.objects.filter(pk__in=stale).delete()
    needs_lead = any(c.rule.met_when == MetWhen.OFSTED_LEAD_NAMED for c in computed.values())
    lead = _has_ofsted_lead(event) if needs_lead else None
    kept = []
    for code, item in computed.items():
        milestone = existing.get(code) or Milestone(
            event=event, rule_code=code, opened_on=opened_on or on
        )
        before = _snapshot(milestone) if milestone.pk else None
        if opened_on is not None and milestone.opened_on > opened_on:
            milestone.opened_on = opened_on  # backdated (the demo)
        _apply(milestone, item, event=event, facts=facts, actor=actor, on=on, lead=lead)
        if before is None:
            milestone.save()
        elif _snapshot(milestone) != before:
            saved(milestone)
        kept.append(milestone)
    return kept


def milestones_recompute(
    *, event: Event, actor: User | None = None, opened_on: date | None = None
) -> list[Milestone]:
    """Create, update and delete the Milestone rows of `event` to match the rules.

    Due dates follow the event when it moves (and a moved milestone is reminded afresh);
    a milestone met by hand stays met, an overridden one stays overridden; a milestone
    whose rule no longer applies (the kind changed) is deleted. Milestones met
    automatically follow their condition. A cancelled event's unmet milestones become not
    applicable. IRPs following this event up are recomputed too (their window moves).
    Called by the event services through `signals.event_dates_changed`, inside their
    transaction; it checks no permission of its own.

    A milestone made now whose due date has already passed is impossible when created, not
    missed: the event was added too late for it. `opened_on` backdates the event's milestones
    (the demo's, to when its programme was drawn up).
    """
    on = today()
    with transaction.atomic():
        fresh = Event.objects.select_related("establishment", "follows_up").get(pk=event.pk)
        kept = _recompute_one(fresh, actor, on, opened_on)
        follow_ups = Event.objects.filter(follows_up=fresh).select_related(
            "establishment", "follows_up"
        )
        for follow_up in follow_ups:
            _recompute_one(follow_up, actor, on)
    return sorted(kept, key=lambda m: (m.due_on, m.rule_code))


def milestone_sync_ofsted_lead(*, event: Event, actor: User | None = None) -> list[Milestone]:
    """PG-6: met when the event has an Ofsted lead (by whoever named them, now), due again
    when the lead is removed. Returns the milestones it changed."""
    on = today()
    codes = [
        code for code, rule in rules_by_code().items() if rule.met_when == MetWhen.OFSTED_LEAD_NAMED
    ]
    changed: list[Milestone] = []
    if event.historical:  # HI-1: its PG-6 is recorded as it was met, not when the team is
        return changed
    with transaction.atomic():
        lead = _has_ofsted_lead(event)
        for milestone in Milestone.objects.select_for_update().filter(
            event_id=event.pk, rule_code__in=codes
        ):
            if lead and milestone.status in UNMET:
                milestone.status = MilestoneStatus.MET
                milestone.met_on = timezone.now()
                milestone.met_by = actor if getattr(actor, "is_authenticated", False) else None
            elif not lead and milestone.status == MilestoneStatus.MET:
                _reopen(milestone, on)
            else:
                continue
            saved(milestone)
            changed.append(milestone)
    return changed


def milestones_meet_rule(
    *, event: Event, rule_id: str, actor: User | None = None
) -> list[Milestone]:
    """Mark the event's unmet milestones of `rule_id` met now, by `actor`: for a service that
    has checked its own permission (the factual-accuracy check closing meets RP-3)."""
    changed = []
    with transaction.atomic():
        for milestone in Milestone.objects.select_for_update().filter(
            event_id=event.pk, rule_id=rule_id, status__in=UNMET
        ):
            milestone.status = MilestoneStatus.MET
            milestone.met_on = timezone.now()
            milestone.met_by = actor if getattr(actor, "is_authenticated", False) else None
            saved(milestone)
            changed.append(milestone)
    return changed


@receiver(signals.event_dates_changed, dispatch_uid="programme_milestones_recompute")
def _event_dates_changed(
    sender: Any, *, event: Event, actor: User | None = None, **kwargs: Any
) -> None:
    milestones_recompute(event=event, actor=actor)


@receiver(signals.team_changed, dispatch_uid="programme_milestones_ofsted_lead")
def _team_changed(sender: Any, *, event: Event, actor: User | None = None, **kwargs: Any) -> None:
    milestone_sync_ofsted_lead(event=event, actor=actor)


# Marking met and overriding ------------------------------------------------------------------


def _met_on_problem(current: Milestone, met_on: date | None) -> str:
    """Why `met_on` cannot be the day `current` was met ('' when it can)."""
    if not current.event.historical:
        return "The date met is entered only for a historical event: others are met today"
    if met_on is None:
        return "Enter the date the deadline was met"
    if met_on > today():
        return "The date met cannot be in the future"
    return ""


def milestone_mark_met(
    *,
    actor: User,
    milestone: Milestone,
    version: int | None = None,
    met_on: date | None = None,
) -> Milestone:
    """Record that `milestone` was met, by `actor`, now.

    For a historical event (HI-1) the day it was actually met is entered as `met_on`
    (required, not in the future), and any of its milestones may be marked, those the
    service would complete by itself included: nothing completes history today.

    Refused (PermissionDenied) unless `actor` may see the event and is programme staff, the
    Ofsted scheduling team for an Ofsted milestone, or the team leader / Ofsted lead the
    rule names; refused (ValidationError) if the milestone is met automatically, already
    met, overridden, or changed since `version` was read.
    """
    with transaction.atomic():
        current = _locked_for(
            actor, milestone, version, "milestone_mark_met", "mark '{title}' as met"
        )
        historical = current.event.historical
        if historical or met_on is not None:
            problem = _met_on_problem(current, met_on)
            if problem:
                raise ValidationError({"met_on": problem}, code="met_on")
        rule = rule_for(current.rule_code)
        if rule is not None and rule.met_when is not None and not historical:
            raise ValidationError(
                f"{current.rule_id}: '{current.title}' is not marked by hand. "
                f"{rule.met_when.explanation}",
                code="automatic",
            )
        if current.status == MilestoneStatus.MET:
            who = f" by {current.met_by}" if current.met_by else ""
            when = f" on {long_date(timezone.localdate(current.met_on))}" if current.met_on else ""
            raise ValidationError(f"'{current.title}' was already met{who}{when}.", code="met")
        if current.status == MilestoneStatus.NOT_APPLICABLE:
            raise ValidationError(
                f"'{current.title}' does not apply any more"
                + (" (it was overridden)." if current.override_reason else "."),
                code="not_applicable",
            )
        current.status = MilestoneStatus.MET
        current.met_on = _on_day(met_on) if historical and met_on else timezone.now()
        current.met_by = actor
        saved(current)
    return current


def milestone_override(
    *, actor: User, milestone: Milestone, reason: str, version: int | None = None
) -> Milestone:
    """Set aside a "normally" milestone with a recorded reason (who, when and why).

    Hard milestones cannot be overridden, nor those of an event recorded as history (HI-1).
    The reason is required. Programme staff may override any; the Ofsted scheduling team
    Ofsted's own.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _locked_for(actor, milestone, version, "milestone_override", "override '{title}'")
        rule = rule_for(current.rule_code)
        if rule is None or not rule.is_normally:
            raise ValidationError(
                f"{current.rule_id}: '{current.title}' is a hard deadline (must): it cannot be "
                "overridden. Only a deadline that applies 'normally' can be.",
                code="hard",
            )
        if current.status == MilestoneStatus.MET:
            raise ValidationError(f"'{current.title}' is already met.", code="met")
        if current.event.historical:
            raise ValidationError(
                f"'{current.title}' belongs to an event recorded as history: it was never due "
                "here, so it is not let go. Record the date it was met, if it is known.",
                code="historical",
            )
        if current.override_reason:
            raise ValidationError(f"'{current.title}' is already overridden.", code="overridden")
        if not reason:
            raise ValidationError(
                {"reason": "Enter why this deadline is being set aside"}, code="required"
            )
        current.status = MilestoneStatus.NOT_APPLICABLE
        current.override_reason = reason
        current.met_on = timezone.now()
        current.met_by = actor
        saved(current)
    return current


def milestone_explain_impossible(
    *, actor: User, milestone: Milestone, reason: str, version: int | None = None
) -> Milestone:
    """Record why a deadline that was already past when its milestone was made is let pass
    (who, when and why, kept with the milestone and in its audit history). Once recorded it
    is on nobody's list of what is overdue; it can still be marked met if it is done late.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _locked_for(
            actor,
            milestone,
            version,
            "milestone_explain_impossible",
            "record a reason for '{title}'",
        )
        if current.status != MilestoneStatus.IMPOSSIBLE:
            raise ValidationError(
                f"'{current.title}' was not impossible when it was created: it is "
                f"{lower_first(current.get_status_display())}.",
                code="not_impossible",
            )
        if current.impossible_reason:
            raise ValidationError(
                f"The reason for '{current.title}' is already recorded.", code="explained"
            )
        if not reason:
            raise ValidationError(
                {"reason": "Enter why this deadline could not be met"}, code="required"
            )
        current.impossible_reason = reason
        current.impossible_recorded_by = actor
        current.impossible_recorded_at = timezone.now()
        saved(current)
    return current


UNDONE = "Undone straight after it was marked met."


def milestone_reopen(
    *,
    actor: User,
    milestone: Milestone,
    version: int | None = None,
    reason: str = "",
    undo: bool = False,
) -> Milestone:
    """Take back a "met" marked by hand: due again (or missed, if its day has passed).

    `undo` is the same person taking back their own mark at once (the view checks it was
    marked in this session): no reason is needed. Otherwise a reason is required, and is
    recorded with the milestone (and in the audit log).
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _locked_for(actor, milestone, version, "milestone_mark_met", "reopen '{title}'")
        rule = rule_for(current.rule_code)
        if current.status != MilestoneStatus.MET or current.met_by_id is None:
            raise ValidationError(f"'{current.title}' is not marked met by hand.", code="not_met")
        historical = current.event.historical
        if rule is not None and rule.met_when is not None and not historical:
            raise ValidationError(
                f"'{current.title}' is marked by the service: {rule.met_when.explanation}",
                code="automatic",
            )
        if undo and current.met_by_id != actor.pk:
            raise PermissionDenied("Only the person who marked it met can undo it.")
        if not undo and not reason:
            raise ValidationError(
                {"reason": "Enter why this deadline is reopened"}, code="required"
            )
        current.status = _unmet_status(current, today())
        current.met_on = None
        current.met_by = None
        current.reopen_reason = reason or UNDONE
        saved(current)
    return current


# The daily status update and reminders ---------------------------------------------------------


def milestones_update_statuses(*, on: date | None = None) -> int:
    """Mark unmet milestones past their due date as missed, after completing those met
    automatically by an announcement that has now happened. Returns how many became missed."""
    day = on or today()
    announced_codes = [
        code for code, rule in rules_by_code().items() if rule.met_when == MetWhen.ANNOUNCED
    ]
    with transaction.atomic():
        announced = Milestone.objects.select_for_update(of=("self",)).filter(
            rule_code__in=announced_codes,
            status__in=UNMET,
            event__announced_on__lte=day,
            event__historical=False,
        )
        for milestone in announced.select_related("event"):
            assert milestone.event.announced_on is not None
            milestone.status = MilestoneStatus.MET
            milestone.met_on = _on_day(milestone.event.announced_on)
            saved(milestone)
        return (
            Milestone.objects.filter(status=MilestoneStatus.DUE, due_on__lt=day)
            .exclude(event__status=EventStatus.CANCELLED)
            .exclude(event__historical=True)  # HI-1: history is never missed
            .update(status=MilestoneStatus.MISSED, version=F("version") + 1)
        )


@dataclass(frozen=True)
class ReminderReport:
    milestones: int  # milestones reminded of
    notifications: int  # notifications written (one per person)


def _users_by_duty() -> dict[Duty, list[User]]:
    duties = list(DUTY_OF.values())
    found: dict[Duty, list[User]] = {duty: [] for duty in duties}
    users = User.objects.filter(is_active=True, roles__overlap=list(roles_with(*duties)))
    for user in users.order_by("pk"):
        for duty in duties:
            if user_has_duty(user, duty):
                found[duty].append(user)
    return found


def _recipients(
    milestone: Milestone, rule: MilestoneRule | None, by_duty: dict[Duty, list[User]]
) -> list[User]:
    """Who answers for `milestone`: the team place its rule names, or the stand-in (the
    programme coordinators, the Ofsted scheduling team) while that place is empty."""
    responsible = rule.role if rule else Responsible.PROGRAMME
    if responsible in TEAM_ROLE_OF:
        team_role = TEAM_ROLE_OF[responsible]
        places = getattr(milestone.event, "leads", [])
        people = [
            place.inspector.user
            for place in places
            if place.role == team_role
            and place.inspector.user is not None
            and place.inspector.user.is_active
        ]
        if people:
            return people
        responsible = STAND_IN[responsible]
    return by_duty[DUTY_OF[responsible]]


def _due_soon(milestone: Milestone, on: date) -> bool:
    nation = Nation(milestone.event.establishment.nation)
    horizon = workdays.add_working_days(on, REMINDER_WORKING_DAYS, nation)
    return on <= milestone.due_on <= horizon and milestone.reminded_on is None


def _overdue_reminder_due(milestone: Milestone, on: date) -> bool:
    if milestone.due_on >= on:
        return False
    last = milestone.reminded_on
    return last is None or last <= milestone.due_on or last <= on - OVERDUE_REMINDER_EVERY


def _line(milestone: Milestone, overdue: bool) -> str:
    event = milestone.event
    due = long_date(milestone.due_on)
    if milestone.due_time:
        due = f"{milestone.due_time:%H:%M} on {due}"
    state = f"Overdue (was due {due})" if overdue else f"Due {due}"
    if milestone.status == MilestoneStatus.IMPOSSIBLE:
        state = f"Impossible when created (due {due}), record why"
    return (
        f"- {state}: {milestone.title} ({milestone.rule_id}), "
        f"{lower_first(event.get_kind_display())} of {event.establishment.name}"
    )


def milestone_reminders_send(*, on: date | None = None) -> ReminderReport:
    """Remind the people responsible of milestones due within 5 working days (once per due
    date) and of overdue ones (once when overdue, then weekly): one in-app notification per
    person, e-mailed after commit. Idempotent: `reminded_on` records the day, so a second
    run on the same day sends nothing."""
    day = on or today()
    by_duty = _users_by_duty()
    leads = TeamMember.objects.filter(role__in=TEAM_ROLE_OF.values()).select_related(
        "inspector__user"
    )
    with transaction.atomic():
        candidates = (
            Milestone.objects.select_for_update(of=("self",))
            .filter(OPEN, due_on__lte=day + timedelta(days=21))
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=day))
            .exclude(event__status=EventStatus.CANCELLED)
            .exclude(event__historical=True)  # HI-1: nobody is reminded of history
            .select_related("event__establishment")
            .prefetch_related(Prefetch("event__team", queryset=leads, to_attr="leads"))
            .order_by("due_on", "due_time", "pk")
        )
        rules = rules_by_code()
        lines: dict[int, list[str]] = defaultdict(list)
        people: dict[int, User] = {}
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        reminded: list[int] = []
        for milestone in candidates:
            overdue = _overdue_reminder_due(milestone, day)
            if not overdue and not _due_soon(milestone, day):
                continue
            reminded.append(milestone.pk)
            for person in _recipients(milestone, rules.get(milestone.rule_code), by_duty):
                people[person.pk] = person
                lines[person.pk].append(_line(milestone, overdue))
                counts[person.pk][0 if overdue else 1] += 1
        url = reverse("programme:milestone-dashboard")
        written = 0
        for pk, person in people.items():
            overdue_count, soon_count = counts[pk]
            parts = []
            if overdue_count:
                parts.append(f"{overdue_count} overdue")
            if soon_count:
                parts.append(f"{soon_count} due within {REMINDER_WORKING_DAYS} working days")
            written += len(
                notify(
                    recipients=[person],
                    subject=f"Deadlines: {' and '.join(parts)}",
                    body="Deadlines you are responsible for:\n" + "\n".join(lines[pk]),
                    url=url,
                )
            )
        Milestone.objects.filter(pk__in=reminded).update(reminded_on=day)
    return ReminderReport(milestones=len(reminded), notifications=written)


# The demo ------------------------------------------------------------------------------------


def milestones_demo(*, on: date | None = None, events: Iterable[Event] | None = None) -> int:
    """Compute the milestones of every event (or of `events`), then mark the ones due more
    than ten days ago met on their due date (by the first programme coordinator), so the
    demo shows history and a few recent overdue ones. Milestones met automatically are left
    to their condition: PG-6 is met once the demo teams name an Ofsted lead. Idempotent on a
    given day. Returns how many milestones the events have."""
    day = on or today()
    coordinator = (
        User.objects.filter(roles__contains=[Role.HMIP_COORDINATOR.value], is_active=True)
        .order_by("pk")
        .first()
    )
    total = 0
    chosen = list(Event.objects.select_related("programme") if events is None else events)
    with transaction.atomic():
        for event in chosen:
            # Made when the programme was drawn up, the December before (PG-1): the demo's
            # past deadlines were met or missed, not impossible.
            drawn_up = date(event.programme.year - 1, 12, 1)
            total += len(milestones_recompute(event=event, opened_on=drawn_up))
        automatic = [code for code, rule in rules_by_code().items() if rule.is_automatic]
        old = (
            Milestone.objects.filter(status__in=UNMET, due_on__lt=day - timedelta(days=10))
            .exclude(event__status=EventStatus.CANCELLED)
            .exclude(event__historical=True)  # HI-1: met only with the day it was met
            .exclude(rule_code__in=automatic)  # those follow their condition (PG-6: the team)
        )
        if events is not None:
            old = old.filter(event__in=[event.pk for event in chosen])
        for milestone in old:
            milestone.status = MilestoneStatus.MET
            milestone.met_on = _on_day(milestone.due_on)
            milestone.met_by = coordinator
            saved(milestone)
    return total
