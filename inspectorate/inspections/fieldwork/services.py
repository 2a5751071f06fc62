"""Every write about an event's fieldwork: the pre-inspection briefing (IN-1), evidence forms
(IN-7), observations (IN-8) and meetings, among them the Thursday deliberation (IN-3) and the
final-day feedback to prison staff (IN-4), which meet the event's milestones.

Only the event's team records fieldwork; an evidence form is changed only by its author or
a lead. Every change carries the version the form was opened at: a stale one is refused
(StaleVersion) and nothing is written. A "normally" rule not met raises OverrideNeeded; the
caller re-submits with a reason, which is kept in the record's notes where it has them and
always in the audit trail's context of the write.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple, NotRequired, TypedDict, Unpack

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.permissions import require
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.inspections.common import known_fields
from inspectorate.inspections.constants import (
    SHORT_FOCUSED_MINUTES,
    EvidenceSource,
    MeetingKind,
    ObservationKind,
)
from inspectorate.inspections.fieldwork import selectors
from inspectorate.inspections.models import (
    Briefing,
    EvidenceForm,
    Meeting,
    Observation,
)
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion, locked, saved
from inspectorate.lib.wording import long_date
from inspectorate.programme.constants import MilestoneStatus, TeamRole
from inspectorate.programme.milestones.deadlines import UNMET, Anchor, anchor_date, facts_for
from inspectorate.programme.milestones.services import met_at, met_day, milestone_mark_met
from inspectorate.programme.models import Event, Milestone, today
from inspectorate.programme.teams.services import role_label

# IN-8: a short focused observation lasts about 15 minutes; past this it needs a reason.
SHORT_FOCUSED_WARN_OVER = 20
LONGEST_OBSERVATION = 480  # minutes: a typo guard, a working day

# The milestone a meeting of each kind meets (IN-3 only when the Ofsted lead attends).
MEETING_MILESTONES = {
    MeetingKind.DELIBERATION: "in3_deliberation_meeting",
    MeetingKind.FINAL_FEEDBACK: "in4_feedback_session",
}

NO_BRIEFING = (
    "This event has no education inspectorate taking part, so there is no pre-inspection "
    "briefing between the Ofsted lead inspector and the HMI Prisons team leader (IN-1)."
)


# Who may --------------------------------------------------------------------------------------


def _require_recorder(actor: User, event: Event) -> None:
    require(
        actor, "inspections.record_fieldwork", event, "Only the event's team records its fieldwork."
    )


# The rules' dates -----------------------------------------------------------------------------


def fieldwork_starts_on(event: Event) -> date:
    """When education fieldwork starts: the education week, else the event (IN-1)."""
    return event.education_week_starts_on or event.starts_on


def has_briefing_requirement(event: Event) -> bool:
    """IN-1 applies only where an education inspectorate (Ofsted, Estyn) takes part."""
    return event.education_inspectorate != ""


def deliberation_day(event: Event) -> date:
    """The Thursday of the inspection week: of the education week at a full inspection, as
    the IN-3 milestone counts it (IN-3)."""
    anchor = anchor_date(Anchor.EDUCATION_WEEK, facts_for(event))
    assert anchor is not None  # the education week always has a date
    return anchor - timedelta(days=anchor.weekday()) + timedelta(days=3)


def _within_event(event: Event, day: date, what: str) -> str | None:
    if event.starts_on <= day <= event.ends_on:
        return None
    return (
        f"{what} must be during the event, from {long_date(event.starts_on)} to "
        f"{long_date(event.ends_on)}"
    )


def _text(value: str | None) -> str:
    return (value or "").strip()


def _overridden(rule: str, reason: str, warnings: dict[str, str]) -> AbstractContextManager[Any]:
    """The audit trail's context for a write that goes ahead despite `rule`, if it does."""
    if not warnings:
        return nullcontext()
    return pghistory.context(override_rule=rule, override_reason=reason)


def _with_reason(notes: str, rule: str, reason: str) -> str:
    """The notes with the reason for going ahead despite `rule` added at the end."""
    line = f"Why this went ahead despite {rule}: {reason}"
    return f"{notes}\n\n{line}" if notes else line


def _team_attendees(event: Event, attendees: Iterable[User]) -> list[User]:
    team = {row.user.pk for row in selectors.team_users(event)}
    chosen = list({user.pk: user for user in attendees}.values())
    strangers = [str(user) for user in chosen if user.pk not in team]
    if strangers:
        raise ValidationError(
            {
                "attendees": (
                    f"Choose attendees from the event's team: {', '.join(strangers)} is not on it"
                )
            }
        )
    return chosen


# The pre-inspection briefing (IN-1) -----------------------------------------------------------


def _briefing_warnings(event: Event, attendee_ids: set[int]) -> dict[str, str]:
    places = selectors.leads(event)
    problems = []
    for role in (TeamRole.TEAM_LEADER, TeamRole.OFSTED_LEAD):
        label = role_label(event, role)
        place = places.get(role)
        if place is None:
            problems.append(f"the event has no {label} on its team yet")
        elif place.inspector.user_id not in attendee_ids:
            problems.append(f"the {label}, {place.inspector.name}, is not among the attendees")
    if not problems:
        return {}
    return {
        "attendees": (
            f"The pre-inspection briefing is between the {role_label(event, TeamRole.OFSTED_LEAD)} "
            f"and the HMI Prisons team leader (IN-1), but {' and '.join(problems)}"
        )
    }


def briefing_record(
    *,
    actor: User,
    event: Event,
    held_on: date,
    attendees: Iterable[User],
    notes: str = "",
    override_reason: str = "",
    version: int | None = None,
) -> Briefing:
    """Record the event's pre-inspection briefing, or change it (`version` as opened; None
    when recording it for the first time).

    Refused when no education inspectorate takes part, and for a date after education
    fieldwork starts (IN-1). Warns (OverrideNeeded) when the attendees do not include both
    the team leader and the Ofsted lead; the reason is kept in the notes.
    """
    _require_recorder(actor, event)
    if not has_briefing_requirement(event):
        raise ValidationError(NO_BRIEFING)
    people = _team_attendees(event, attendees)
    starts = fieldwork_starts_on(event)
    if held_on > starts:
        raise ValidationError(
            {
                "held_on": (
                    "The pre-inspection briefing is held before fieldwork (IN-1): enter a date "
                    f"on or before {long_date(starts)}, when education fieldwork starts"
                )
            }
        )
    notes, reason = _text(notes), _text(override_reason)
    ids = {user.pk for user in people}
    with transaction.atomic():
        # The event row serialises two people recording the first briefing at once.
        Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        existing = Briefing.objects.filter(event=event).first()
        if existing is not None:
            if version is None:
                raise StaleVersion(existing)  # recorded by someone else meanwhile
            existing = locked(Briefing, existing.pk, version)
        before = None if existing is None else set(existing.attendees.values_list("pk", flat=True))
        warnings = _briefing_warnings(event, ids) if before != ids else {}
        if warnings and not reason:
            raise OverrideNeeded(warnings)
        if warnings:
            notes = _with_reason(notes, "IN-1", reason)
        with _overridden("IN-1", reason, warnings):
            if existing is None:
                briefing = Briefing.objects.create(
                    event=event, held_on=held_on, notes=notes, recorded_by=actor
                )
            else:
                briefing = saved(existing, held_on=held_on, notes=notes)
            briefing.attendees.set(people)
    return briefing


# Evidence forms (IN-7) ------------------------------------------------------------------------


class EvidenceFields(TypedDict):
    """What evidence_create and evidence_update take about the evidence itself (IN-7)."""

    evidence_on: date
    source: str
    aspect: Aspect
    text: str
    observation: NotRequired[Observation | None]


def _checked_evidence(event: Event, fields: EvidenceFields) -> dict[str, Any]:
    """The evidence form's values, its text trimmed and no observation when none is given;
    ValidationError naming every field that is wrong for `event`."""
    known_fields(fields, EvidenceFields)
    text, observation = _text(fields["text"]), fields.get("observation")
    errors: dict[str, str] = {}
    if fields["aspect"].pk not in selectors.aspect_choices(event).by_pk:
        errors["aspect"] = (
            "Choose the aspect the evidence bears on from the frameworks used at this event (IN-7)"
        )
    if fields["source"] not in EvidenceSource.values:
        errors["source"] = "Select where the evidence comes from"
    if problem := _within_event(event, fields["evidence_on"], "The date of the evidence"):
        errors["evidence_on"] = problem
    if not text:
        errors["text"] = "Enter the evidence"
    if observation is not None and observation.event_id != event.pk:
        errors["observation"] = "Choose an observation made at this event"
    if errors:
        raise ValidationError(errors)
    return {**fields, "text": text, "observation": observation}


def evidence_create(*, actor: User, event: Event, **fields: Unpack[EvidenceFields]) -> EvidenceForm:
    """Record one piece of evidence, by `actor`, tagged with the aspect it bears on (IN-7)."""
    _require_recorder(actor, event)
    values = _checked_evidence(event, fields)
    with transaction.atomic():
        return EvidenceForm.objects.create(event=event, author=actor, **values)


def evidence_update(
    *, actor: User, evidence: EvidenceForm, version: int, **fields: Unpack[EvidenceFields]
) -> EvidenceForm:
    """Change an evidence form: its author or a lead only. StaleVersion if someone saved it
    after `version` was read; nothing is written then."""
    event = evidence.event
    _require_recorder(actor, event)
    require(
        actor,
        "inspections.edit_evidence",
        evidence,
        "Only the author of an evidence form or a lead inspector changes it.",
    )
    values = _checked_evidence(event, fields)
    with transaction.atomic():
        return saved(
            locked(EvidenceForm, evidence.pk, version), **values, updated_at=timezone.now()
        )


# Observations (IN-8) --------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationFacts:
    kind: str
    observed_on: date
    activity: str
    location: str
    duration_minutes: int
    grade: Level | None
    feedback: str
    provider_observer: str


class ObservationFields(TypedDict):
    """What observation_create and observation_update take about the observation (IN-8)."""

    kind: str
    observed_on: date
    activity: str
    duration_minutes: int
    location: NotRequired[str]
    grade: NotRequired[Level | None]
    feedback: NotRequired[str]
    provider_observer: NotRequired[str]


def _checked_facts(event: Event, fields: ObservationFields) -> ObservationFacts:
    """The observation's facts, its text trimmed; ValidationError naming every problem."""
    known_fields(fields, ObservationFields)
    facts = ObservationFacts(
        kind=fields["kind"],
        observed_on=fields["observed_on"],
        activity=_text(fields["activity"]),
        location=_text(fields.get("location")),
        duration_minutes=fields["duration_minutes"],
        grade=fields.get("grade"),
        feedback=_text(fields.get("feedback")),
        provider_observer=_text(fields.get("provider_observer")),
    )
    errors = _observation_problems(event, facts)
    errors.update(_observation_kind_problems(facts))
    if errors:
        raise ValidationError(errors)
    return facts


def _observation_problems(event: Event, facts: ObservationFacts) -> dict[str, str]:
    """What is wrong with an observation whatever its kind."""
    errors: dict[str, str] = {}
    if facts.kind not in ObservationKind.values:
        errors["kind"] = "Select the kind of observation"
    if problem := _within_event(event, facts.observed_on, "The date of the observation"):
        errors["observed_on"] = problem
    if not facts.activity:
        errors["activity"] = "Enter the session or activity observed"
    if not 1 <= facts.duration_minutes <= LONGEST_OBSERVATION:
        errors["duration_minutes"] = (
            f"Enter how many minutes the observation lasted, from 1 to {LONGEST_OBSERVATION}"
        )
    if facts.grade is not None:
        scale = selectors.observation_scale(event)
        if scale is None or facts.grade.scale_id != scale.pk:
            errors["grade"] = "Choose a grade from the list"
    return errors


def _observation_kind_problems(facts: ObservationFacts) -> dict[str, str]:
    """The rules of each kind of observation (IN-8): who grades, who gives feedback."""
    errors: dict[str, str] = {}
    if facts.kind == ObservationKind.FORMAL:
        if facts.grade is None:
            errors["grade"] = "A formal observation is graded (IN-8): choose the grade"
        if not facts.feedback:
            errors["feedback"] = (
                "A formal observation is followed by feedback to the person observed (IN-8): "
                "enter the feedback given"
            )
    elif facts.kind == ObservationKind.SHORT_FOCUSED:
        if facts.grade is not None:
            errors["grade"] = "A short focused observation is never graded (IN-8): choose no grade"
        if facts.feedback:
            errors["feedback"] = (
                "No feedback is given after a short focused observation (IN-8): leave the "
                "feedback empty"
            )
    if problem := _provider_observer_problem(facts):
        errors["provider_observer"] = problem
    return errors


def _provider_observer_problem(facts: ObservationFacts) -> str:
    """A joint observation names the provider's observer; no other kind has one (IN-8)."""
    if facts.kind == ObservationKind.JOINT and not facts.provider_observer:
        return (
            "Enter the name of the provider's observer: at a joint observation they give the "
            "feedback (IN-8)"
        )
    if facts.kind != ObservationKind.JOINT and facts.provider_observer:
        return "Only a joint observation has a provider's observer (IN-8): leave it empty"
    return ""


def _observation_warnings(facts: ObservationFacts) -> dict[str, str]:
    if (
        facts.kind == ObservationKind.SHORT_FOCUSED
        and facts.duration_minutes > SHORT_FOCUSED_WARN_OVER
    ):
        return {
            "duration_minutes": (
                f"A short focused observation lasts about {SHORT_FOCUSED_MINUTES} minutes "
                f"(IN-8); this one lasted {facts.duration_minutes}"
            )
        }
    return {}


def observation_create(
    *,
    actor: User,
    event: Event,
    override_reason: str = "",
    **fields: Unpack[ObservationFields],
) -> Observation:
    """Record an observation made by `actor` (IN-8): a formal one is graded, with the
    feedback given; a short focused one is never graded and has no feedback, and over 20
    minutes needs a reason; a joint one names the provider's observer, whose feedback it
    records. The reason is kept in the audit trail (the model has no field for it)."""
    _require_recorder(actor, event)
    facts = _checked_facts(event, fields)
    reason = _text(override_reason)
    warnings = _observation_warnings(facts)
    if warnings and not reason:
        raise OverrideNeeded(warnings)
    with transaction.atomic(), _overridden("IN-8", reason, warnings):
        return Observation.objects.create(event=event, observer=actor, **vars(facts))


def observation_update(
    *,
    actor: User,
    observation: Observation,
    version: int,
    override_reason: str = "",
    **fields: Unpack[ObservationFields],
) -> Observation:
    """Change an observation (anyone on the team), with the rules of observation_create. A
    change that leaves the kind and length alone is not warned about again."""
    event = observation.event
    _require_recorder(actor, event)
    facts = _checked_facts(event, fields)
    reason = _text(override_reason)
    with transaction.atomic():
        current = locked(Observation, observation.pk, version)
        unchanged = (current.kind, current.duration_minutes) == (facts.kind, facts.duration_minutes)
        warnings = {} if unchanged else _observation_warnings(facts)
        if warnings and not reason:
            raise OverrideNeeded(warnings)
        with _overridden("IN-8", reason, warnings):
            return saved(current, **vars(facts))


# Meetings (IN-3, IN-4) ------------------------------------------------------------------------


class MeetingFields(TypedDict):
    """What meeting_create and meeting_update take about the meeting."""

    kind: str
    held_on: date
    attendees: Iterable[User]
    others_present: NotRequired[str]
    notes: NotRequired[str]


class _MeetingValues(NamedTuple):
    kind: str
    held_on: date
    people: list[User]  # the attendees, each once, all on the event's team
    others_present: str
    notes: str

    @property
    def ids(self) -> set[int]:
        """The attendees' user ids."""
        return {user.pk for user in self.people}


def _checked_meeting(event: Event, fields: MeetingFields) -> _MeetingValues:
    """The meeting's values, its text trimmed; ValidationError for a wrong kind, a date in
    the future or an attendee from outside the team."""
    known_fields(fields, MeetingFields)
    kind, held_on = fields["kind"], fields["held_on"]
    _check_meeting(kind, held_on)
    people = _team_attendees(event, fields["attendees"])
    return _MeetingValues(
        kind,
        held_on,
        people,
        _text(fields.get("others_present")),
        _text(fields.get("notes")),
    )


def _check_meeting(kind: str, held_on: date) -> None:
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = "Select the kind of meeting"
    if held_on > today():
        errors["held_on"] = (
            "The date the meeting was held cannot be in the future: record a meeting once it "
            "has been held"
        )
    if errors:
        raise ValidationError(errors)


def _ofsted_lead_user(event: Event) -> tuple[int | None, str]:
    place = selectors.leads(event).get(TeamRole.OFSTED_LEAD)
    if place is None:
        return None, ""
    return place.inspector.user_id, place.inspector.name


def _meeting_warnings(
    event: Event, kind: str, held_on: date, attendee_ids: set[int]
) -> dict[str, str]:
    warnings: dict[str, str] = {}
    if kind == MeetingKind.DELIBERATION:
        thursday = deliberation_day(event)
        if held_on != thursday:
            warnings["held_on"] = (
                "The deliberation meeting is held on the Thursday of the inspection week "
                f"(IN-3), {long_date(thursday)}, not on {held_on:%A} {long_date(held_on)}"
            )
        lead_id, name = _ofsted_lead_user(event)
        if name and lead_id not in attendee_ids:
            warnings["attendees"] = (
                f"The {role_label(event, TeamRole.OFSTED_LEAD)}, {name}, attends the "
                "deliberation meeting (IN-3) but is not among the attendees"
            )
    elif kind == MeetingKind.FINAL_FEEDBACK and held_on != event.ends_on:
        warnings["held_on"] = (
            "The feedback session to prison staff is held on the final day of the inspection "
            f"(IN-4), {event.ends_on:%A} {long_date(event.ends_on)}, not on "
            f"{long_date(held_on)}"
        )
    return warnings


MEETING_RULES = {MeetingKind.DELIBERATION: "IN-3", MeetingKind.FINAL_FEEDBACK: "IN-4"}


def _milestone_met_by_meeting(*, actor: User, meeting: Meeting, code: str) -> Milestone | None:
    """Mark the meeting's event's `code` milestone met by `actor`, if it is due or missed:
    now, or for a historical event (HI-1) on the day the meeting was held.

    Through milestone_mark_met when `actor` may mark it (programme staff, the Ofsted lead
    it names). Otherwise on the system's authority: the meeting record is itself the
    evidence that the milestone was met, whoever on the team records it, so an inspector
    recording the deliberation the Ofsted lead attended meets IN-3 too (met_by is them).
    """
    event = meeting.event
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("event__establishment")
        .filter(event=event, rule_code=code)
        .first()
    )
    if milestone is None or milestone.status not in UNMET:
        return None  # the rule does not apply to this event, or is met or set aside
    if actor.has_perm("programme.milestone_mark_met", milestone):
        return milestone_mark_met(
            actor=actor,
            milestone=milestone,
            version=milestone.version,
            met_on=met_day(event, meeting.held_on),
        )
    met_on = met_at(event, meeting.held_on)
    return saved(milestone, status=MilestoneStatus.MET, met_on=met_on, met_by=actor)


def _meet_milestones(*, actor: User, meeting: Meeting, attendee_ids: set[int]) -> None:
    code = MEETING_MILESTONES.get(MeetingKind(meeting.kind))
    if code is None:
        return
    if meeting.kind == MeetingKind.DELIBERATION:
        lead_id, _ = _ofsted_lead_user(meeting.event)
        if lead_id is None or lead_id not in attendee_ids:
            return  # IN-3 is met when the Ofsted lead attends
    _milestone_met_by_meeting(actor=actor, meeting=meeting, code=code)


def _meeting_written(
    actor: User,
    event: Event,
    meeting: Meeting | None,
    values: _MeetingValues,
    *,
    warnings: dict[str, str],
    reason: str,
) -> Meeting:
    """Write `values` to `meeting` (a new meeting when None) and its attendees, and meet the
    milestones it meets. Going ahead despite `warnings` needs `reason` (OverrideNeeded
    otherwise), which is added to the notes."""
    if warnings and not reason:
        raise OverrideNeeded(warnings)
    rule = MEETING_RULES.get(MeetingKind(values.kind), "")
    notes = _with_reason(values.notes, rule, reason) if warnings else values.notes
    changes: dict[str, Any] = {
        "kind": values.kind,
        "held_on": values.held_on,
        "others_present": values.others_present,
        "notes": notes,
    }
    with _overridden(rule, reason, warnings):
        if meeting is None:
            meeting = Meeting.objects.create(event=event, recorded_by=actor, **changes)
        else:
            meeting = saved(meeting, **changes)
        meeting.attendees.set(values.people)
        _meet_milestones(actor=actor, meeting=meeting, attendee_ids=values.ids)
    return meeting


def meeting_create(
    *, actor: User, event: Event, override_reason: str = "", **fields: Unpack[MeetingFields]
) -> Meeting:
    """Record a meeting that has been held. A deliberation meeting away from the Thursday
    of the inspection week or without the Ofsted lead (IN-3), and feedback to prison staff
    away from the final day (IN-4), need a reason, kept in the notes. A deliberation the
    Ofsted lead attends meets IN-3's milestone; the feedback session meets IN-4's: in the
    same transaction as the meeting."""
    _require_recorder(actor, event)
    values = _checked_meeting(event, fields)
    warnings = _meeting_warnings(event, values.kind, values.held_on, values.ids)
    with transaction.atomic():
        return _meeting_written(
            actor, event, None, values, warnings=warnings, reason=_text(override_reason)
        )


def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    version: int,
    override_reason: str = "",
    **fields: Unpack[MeetingFields],
) -> Meeting:
    """Change a meeting (anyone on the team), with the rules of meeting_create. A change
    that leaves the kind, date and attendees alone is not warned about again. A milestone
    once met stays met."""
    event = meeting.event
    _require_recorder(actor, event)
    values = _checked_meeting(event, fields)
    kind, held_on, ids = values.kind, values.held_on, values.ids
    with transaction.atomic():
        current = locked(Meeting, meeting.pk, version)
        before = set(current.attendees.values_list("pk", flat=True))
        unchanged = (current.kind, current.held_on, before) == (kind, held_on, ids)
        warnings = {} if unchanged else _meeting_warnings(event, kind, held_on, ids)
        return _meeting_written(
            actor, event, current, values, warnings=warnings, reason=_text(override_reason)
        )
