"""Deadlines as data: milestone rules, the engine that dates them, and reads of milestones.

The rules live in ``data/milestones.json``: for each event kind, which milestones it has,
what each is anchored on, the offset, before or after, hard or "normally", and whose job it
is. ``parse_rules`` checks the whole file and names every bad entry; ``load_rules`` caches
the shipped file. The engine (``due_date``, ``compute_milestones``) is pure: it reads an
``EventFacts`` and the rules and uses ``inspectorate.lib.workdays`` for the establishment's
nation, so it is tested without the database. ``milestone_services.milestones_recompute``
writes its answer into Milestone rows.

A rule, as data::

    {"code": "rp1_report_full_inspection",   # unique, stored on the Milestone row
     "rule_id": "RP-1",                      # the RULES.md rule it implements
     "title": "…", "source": "PROT 31",
     "event_kinds": ["full_inspection"],     # required
     "establishment_kinds": ["prison", …],   # optional: any when absent
     "education_inspectorates": ["ofsted"],  # optional: only when Ofsted (or Estyn) takes part
     "anchor": "event_end",      # event_start | event_end | education_week |
                                 # followed_up_end | report_publication | visit
     "offset": {"amount": 13, "unit": "working_days"},
                                 # units: working_days | weeks | calendar_months | weekday
                                 # weekday: {"amount": weeks_later, "unit": "weekday",
                                 #           "weekday": "thursday", "time": "12:00"}
     "window_opens": {"amount": 8, "unit": "calendar_months"},   # optional (WD-2 windows)
     "direction": "after",       # before | after
     "strength": "hard",         # hard | normally (a warning overridden with a reason)
     "role": "ofsted_lead",      # programme | ofsted_scheduling | team_leader | ofsted_lead
     "if_not_working_day": "previous_working_day",   # or "keep"; the default is previous
     "met_when": "ofsted_lead_named"}        # optional: met automatically (see MetWhen)

How a due date is computed (decisions beyond the rules are marked *):

* ``working_days``: ``add_working_days`` from the anchor, counting from the day after it
  (WD-1); before the anchor counts back. Zero is the anchor itself (IN-4's final day).
* ``weeks`` and ``calendar_months``: calendar arithmetic (``add_months`` clamps 31 January +
  1 month to 28/29 February). *A date that is not a working day moves to the previous
  working day — never later than the calendar says — as WD-2 moves a window's end.
* ``weekday``: that weekday of the anchor's Monday-to-Sunday week, ``amount`` weeks later
  (or earlier): "the Thursday of the inspection week" (IN-2) or "the Friday of the week
  after the IRP" (RP-1). An optional time of day (12:00) is kept on the milestone.
* ``education_week`` is the week Ofsted attends a full inspection:
  ``Event.education_week_starts_on``, else the second week (PG-9); for other kinds, the
  week the event starts.
* A WD-2 window (``window_opens``) is ``workdays.month_window``: the end (the due date) moves
  back to a working day and the start forward to one.
* An anchor with no date yet (report publication, a visit) yields no milestone until it
  has one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import checks
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.estate.constants import EstablishmentKind
from inspectorate.lib import workdays
from inspectorate.lib.document_error import DocumentError, read_json_document
from inspectorate.lib.wording import long_date
from inspectorate.lib.workdays import Nation
from inspectorate.programme.constants import (
    EventKind,
    EventStatus,
    MilestoneStatus,
    MilestoneStrength,
    TeamRole,
)
from inspectorate.programme.models import Event, Milestone, TeamMember, today
from inspectorate.programme.selectors import confidential_reads_record

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "milestones.json"
FILE_FORMAT = 1
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
RULE_ID_RE = re.compile(r"^[A-Z]{2,4}-[0-9]+$")
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
EDUCATION_INSPECTORATES = ("ofsted", "estyn")
UNMET = (MilestoneStatus.DUE, MilestoneStatus.MISSED, MilestoneStatus.IMPOSSIBLE)
# Still someone's to act on: unmet, and not an impossible deadline whose reason is recorded.
OPEN = Q(status__in=(MilestoneStatus.DUE, MilestoneStatus.MISSED)) | Q(
    status=MilestoneStatus.IMPOSSIBLE, impossible_reason=""
)
# A historical event's milestone not marked met: unknown, never due nor missed (HI-1).
NOT_RECORDED = "Not recorded"


class Anchor(StrEnum):
    """What a milestone is counted from."""

    EVENT_START = "event_start"
    EVENT_END = "event_end"
    EDUCATION_WEEK = "education_week"  # the week Ofsted attends (PG-9)
    FOLLOWED_UP_END = "followed_up_end"  # an IRP: the last day of the inspection it follows up
    REPORT_PUBLICATION = "report_publication"  # no date yet: yields no milestone
    VISIT = "visit"  # the pre-inspection visit; no date yet: yields no milestone


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    CALENDAR_MONTHS = "calendar_months"
    WEEKDAY = "weekday"


class Direction(StrEnum):
    BEFORE = "before"
    AFTER = "after"


class Responsible(StrEnum):
    """Whose job a milestone is: who is reminded and who sees it on their dashboard."""

    PROGRAMME = "programme"  # HMI Prisons' programme coordinators
    OFSTED_SCHEDULING = "ofsted_scheduling"  # Ofsted's scheduling team
    TEAM_LEADER = "team_leader"  # the event's HMI Prisons team leader
    OFSTED_LEAD = "ofsted_lead"  # the event's Ofsted lead inspector

    @property
    def label(self) -> str:
        return RESPONSIBLE_LABELS[self]

    @property
    def is_ofsted(self) -> bool:
        return self in (Responsible.OFSTED_SCHEDULING, Responsible.OFSTED_LEAD)


RESPONSIBLE_LABELS = {
    Responsible.PROGRAMME: "HMI Prisons programme coordinator",
    Responsible.OFSTED_SCHEDULING: "Ofsted scheduling team",
    Responsible.TEAM_LEADER: "HMI Prisons team leader",
    Responsible.OFSTED_LEAD: "Ofsted lead inspector",
}
# The duty holding a responsibility, and who stands in while a team place is empty.
DUTY_OF = {
    Responsible.PROGRAMME: Duty.COORDINATES_PROGRAMME,
    Responsible.OFSTED_SCHEDULING: Duty.SCHEDULES_OFSTED,
}
TEAM_ROLE_OF = {
    Responsible.TEAM_LEADER: TeamRole.TEAM_LEADER,
    Responsible.OFSTED_LEAD: TeamRole.OFSTED_LEAD,
}
STAND_IN = {
    Responsible.TEAM_LEADER: Responsible.PROGRAMME,
    Responsible.OFSTED_LEAD: Responsible.OFSTED_SCHEDULING,
}


class IfNotWorkingDay(StrEnum):
    PREVIOUS_WORKING_DAY = "previous_working_day"
    KEEP = "keep"  # an on-site day (IN-2, IN-4): the inspection is there whatever the day


class MetWhen(StrEnum):
    """Milestones the system marks met itself, from the data (not by hand)."""

    OFSTED_LEAD_NAMED = "ofsted_lead_named"  # PG-6: an Ofsted lead is on the team
    ANNOUNCED = "announced"  # the event has been announced (on or before today)
    STARTS_IN_WINDOW = "starts_in_window"  # the event starts inside the rule's window

    @property
    def explanation(self) -> str:
        return MET_WHEN_EXPLANATIONS[self]


MET_WHEN_EXPLANATIONS = {
    MetWhen.OFSTED_LEAD_NAMED: "Met when an Ofsted lead inspector is named on the team.",
    MetWhen.ANNOUNCED: "Met when the event is announced.",
    MetWhen.STARTS_IN_WINDOW: "Met while the event is scheduled to start inside the window.",
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class MilestoneRulesError(DocumentError):
    """The milestone rules file is not valid; `problems` lists each, naming its entry."""


# The rules, as frozen data -----------------------------------------------------------------


@dataclass(frozen=True)
class Offset:
    amount: int
    unit: Unit
    weekday: int | None = None  # 0 Monday … 6 Sunday, for Unit.WEEKDAY
    at: time | None = None  # a time of day, e.g. 12:00 (IN-2)

    def describe(self, direction: Direction, anchor: str) -> str:
        """The offset in words, around `anchor` ('the last day of the event')."""
        if self.unit == Unit.WEEKDAY:
            assert self.weekday is not None
            day = WEEKDAYS[self.weekday].title()
            at = f"{self.at:%H:%M} on " if self.at else ""
            if self.amount == 0:
                week = anchor if "week" in anchor else f"the week of {anchor}"
            elif self.amount == 1 and direction == Direction.AFTER:
                week = f"the week after {anchor}"
            else:
                week = f"the week {self.amount} weeks {direction} {anchor}"
            return f"{at}the {day} of {week}"
        if self.amount == 0:
            return f"on {anchor}"
        unit = {
            Unit.WORKING_DAYS: "working day",
            Unit.WEEKS: "week",
            Unit.CALENDAR_MONTHS: "calendar month",
        }[self.unit]
        plural = "s" if self.amount != 1 else ""
        return f"{self.amount} {unit}{plural} {direction} {anchor}"


@dataclass(frozen=True)
class MilestoneRule:
    code: str
    rule_id: str
    title: str
    event_kinds: tuple[str, ...]
    anchor: Anchor
    offset: Offset
    direction: Direction
    strength: str  # a MilestoneStrength
    role: Responsible
    establishment_kinds: tuple[str, ...] = ()  # empty: every kind
    education_inspectorates: tuple[str, ...] = ()  # empty: whoever takes part, or nobody
    window_opens: Offset | None = None
    if_not_working_day: IfNotWorkingDay = IfNotWorkingDay.PREVIOUS_WORKING_DAY
    met_when: MetWhen | None = None
    source: str = ""
    description: str = ""

    @property
    def is_normally(self) -> bool:
        return self.strength == MilestoneStrength.NORMALLY

    @property
    def is_automatic(self) -> bool:
        return self.met_when is not None

    @property
    def when(self) -> str:
        """The rule's timing in words: '13 working days after the end of the event'."""
        anchor = ANCHOR_LABELS[self.anchor]
        if self.window_opens is not None:
            return (
                f"{self.window_opens.amount} to {self.offset.amount} calendar months after {anchor}"
            )
        return self.offset.describe(self.direction, anchor)


ANCHOR_LABELS = {
    Anchor.EVENT_START: "the first day of the event",
    Anchor.EVENT_END: "the last day of the event",
    Anchor.EDUCATION_WEEK: "Ofsted's week on site",
    Anchor.FOLLOWED_UP_END: "the last day of the inspection followed up",
    Anchor.REPORT_PUBLICATION: "the report's publication",
    Anchor.VISIT: "the pre-inspection visit",
}

_RULE_KEYS = {
    "code",
    "rule_id",
    "title",
    "source",
    "description",
    "event_kinds",
    "establishment_kinds",
    "education_inspectorates",
    "anchor",
    "offset",
    "window_opens",
    "direction",
    "strength",
    "role",
    "if_not_working_day",
    "met_when",
}
_REQUIRED_KEYS: tuple[str, ...] = (
    "code",
    "rule_id",
    "title",
    "event_kinds",
    "anchor",
    "offset",
    "direction",
    "strength",
    "role",
)
_OFFSET_KEYS = {"amount", "unit", "weekday", "time"}


def _choices(values: Any) -> str:
    return ", ".join(str(value) for value in values)


class _Checker:
    """Collects the problems of one rule, each prefixed with the rule's place and code."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def one_of(
        self, raw: Mapping[str, Any], key: str, allowed: Any, default: Any = None, label: str = ""
    ) -> Any:
        value = raw.get(key, default)
        values = [str(choice) for choice in allowed]
        if value not in values:
            self.problem(f"{label or key} {value!r} is not one of {_choices(values)}")
            return None
        return value

    def list_of(
        self, raw: Mapping[str, Any], key: str, allowed: Any, *, required: bool = False
    ) -> tuple[str, ...]:
        value = raw.get(key, [])
        values = [str(choice) for choice in allowed]
        if not isinstance(value, list) or (required and not value):
            self.problem(f"{key} must be a{' non-empty' if required else ''} list")
            return ()
        for item in value:
            if item not in values:
                self.problem(f"{key} has {item!r}, which is not one of {_choices(values)}")
        return tuple(str(item) for item in value)

    def offset(self, raw: Any, key: str) -> Offset | None:
        if not isinstance(raw, dict):
            self.problem(f"{key} must be an object with amount and unit")
            return None
        for extra in sorted(set(raw) - _OFFSET_KEYS):
            self.problem(f"{key} has an unknown field {extra!r}")
        amount = raw.get("amount")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            self.problem(f"{key}.amount must be a whole number, 0 or more (got {amount!r})")
            amount = None
        unit = self.one_of(raw, "unit", Unit, label=f"{key}.unit")
        weekday: int | None = None
        if unit == Unit.WEEKDAY:
            name = raw.get("weekday")
            if name not in WEEKDAYS:
                self.problem(f"{key}.weekday {name!r} is not one of {_choices(WEEKDAYS)}")
            else:
                weekday = WEEKDAYS.index(name)
        elif "weekday" in raw:
            self.problem(f"{key}.weekday is only for the unit 'weekday'")
        at: time | None = None
        if "time" in raw:
            text = raw["time"]
            if not isinstance(text, str) or not TIME_RE.match(text):
                self.problem(f"{key}.time {text!r} is not a time of day such as '12:00'")
            else:
                at = time.fromisoformat(text)
        if amount is None or unit is None or (unit == Unit.WEEKDAY and weekday is None):
            return None
        return Offset(amount=amount, unit=Unit(unit), weekday=weekday, at=at)


def _parse_rule(raw: Any, where: str, problems: list[str]) -> MilestoneRule | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: a rule must be an object")
        return None
    code = raw.get("code")
    if isinstance(code, str):
        where = f"{where} ({code})"
    check = _Checker(where, problems)
    before = len(problems)
    _check_rule_keys(check, raw)
    _check_rule_names(check, raw)
    event_kinds = check.list_of(raw, "event_kinds", EventKind.values, required=True)
    establishment_kinds = check.list_of(raw, "establishment_kinds", EstablishmentKind.values)
    education = check.list_of(raw, "education_inspectorates", EDUCATION_INSPECTORATES)
    anchor = check.one_of(raw, "anchor", Anchor)
    direction = check.one_of(raw, "direction", Direction)
    strength = check.one_of(raw, "strength", MilestoneStrength.values)
    role = check.one_of(raw, "role", Responsible)
    if_not = check.one_of(
        raw, "if_not_working_day", IfNotWorkingDay, IfNotWorkingDay.PREVIOUS_WORKING_DAY
    )
    met_when = check.one_of(raw, "met_when", MetWhen) if "met_when" in raw else None
    offset = check.offset(raw.get("offset"), "offset") if "offset" in raw else None
    window = _window(check, raw, offset, direction)
    if met_when == MetWhen.STARTS_IN_WINDOW and "window_opens" not in raw:
        check.problem("met_when 'starts_in_window' needs a window (window_opens)")
    for key in ("source", "description"):
        if not isinstance(raw.get(key, ""), str):
            check.problem(f"{key} must be text")
    if len(problems) > before or offset is None:
        return None
    return MilestoneRule(
        code=str(code),
        rule_id=str(raw.get("rule_id")),
        title=str(raw.get("title")).strip(),
        event_kinds=event_kinds,
        establishment_kinds=establishment_kinds,
        education_inspectorates=education,
        anchor=Anchor(anchor),
        offset=offset,
        window_opens=window,
        direction=Direction(direction),
        strength=str(strength),
        role=Responsible(role),
        if_not_working_day=IfNotWorkingDay(if_not),
        met_when=MetWhen(met_when) if met_when else None,
        source=str(raw.get("source", "")),
        description=str(raw.get("description", "")),
    )


def _check_rule_keys(check: _Checker, raw: dict[str, Any]) -> None:
    for key in _REQUIRED_KEYS:
        if key not in raw:
            check.problem(f"{key} is missing")
    for extra in sorted(set(raw) - _RULE_KEYS):
        check.problem(f"unknown field {extra!r}")


def _check_rule_names(check: _Checker, raw: dict[str, Any]) -> None:
    """The rule's code, its RULES.md ID and its title."""
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        check.problem(f"code {code!r} must be lower case letters, digits and _ (2 to 40)")
    rule_id = raw.get("rule_id")
    if not isinstance(rule_id, str) or not RULE_ID_RE.match(rule_id):
        check.problem(f"rule_id {rule_id!r} is not a RULES.md ID such as 'RP-1'")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        check.problem("title must be text of 1 to 200 characters")


def _window(
    check: _Checker, raw: dict[str, Any], offset: Offset | None, direction: str | None
) -> Offset | None:
    """The rule's window (window_opens): calendar months after the anchor, ending at the
    offset."""
    if "window_opens" not in raw:
        return None
    window = check.offset(raw["window_opens"], "window_opens")
    if window is not None and offset is not None:
        months = Unit.CALENDAR_MONTHS
        if window.unit != months or offset.unit != months:
            check.problem("a window (window_opens) is in calendar_months, as is its offset")
        elif window.amount >= offset.amount:
            check.problem("window_opens must be fewer months than the offset (its end)")
        if direction == Direction.BEFORE:
            check.problem("a window (window_opens) runs after its anchor")
    return window


def parse_rules(document: Any, *, source: str = "") -> tuple[MilestoneRule, ...]:
    """Check a milestone rules document and return its rules.

    Raises MilestoneRulesError listing every problem, each naming its entry
    ("rules[3] (rp1_report_irp): offset.unit 'fortnights' is not one of …").
    """
    problems: list[str] = []
    if not isinstance(document, dict):
        raise MilestoneRulesError(["the file must hold a JSON object"], source=source)
    if document.get("format") != FILE_FORMAT:
        problems.append(f"format must be {FILE_FORMAT} (got {document.get('format')!r})")
    for extra in sorted(set(document) - {"format", "description", "rules"}):
        problems.append(f"unknown field {extra!r}")
    raw_rules = document.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        problems.append("rules must be a non-empty list")
        raw_rules = []
    parsed: list[MilestoneRule] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rules):
        rule = _parse_rule(raw, f"rules[{index}]", problems)
        code = raw.get("code") if isinstance(raw, dict) else None
        if isinstance(code, str):
            if code in seen:
                problems.append(
                    f"rules[{index}] ({code}): code is already used by rules[{seen[code]}]"
                )
            seen.setdefault(code, index)
        if rule is not None:
            parsed.append(rule)
    if problems:
        raise MilestoneRulesError(problems, source=source)
    return tuple(parsed)


def read_rules_file(path: Path) -> tuple[MilestoneRule, ...]:
    """Parse and check the rules file at `path` (MilestoneRulesError naming the file)."""
    document = read_json_document(path, MilestoneRulesError)
    return parse_rules(document, source=str(path))


@lru_cache(maxsize=1)
def load_rules() -> tuple[MilestoneRule, ...]:
    """The shipped rules (data/milestones.json), checked once and cached."""
    return read_rules_file(DATA_FILE)


def rules_by_code() -> dict[str, MilestoneRule]:
    return {rule.code: rule for rule in load_rules()}


def rule_for(code: str) -> MilestoneRule | None:
    return rules_by_code().get(code)


def codes_for(*roles: Responsible) -> list[str]:
    return [rule.code for rule in load_rules() if rule.role in roles]


@checks.register()
def check_milestone_rules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`manage.py check` (and every start) refuses a bad rules file, naming the bad entry."""
    try:
        read_rules_file(DATA_FILE)
    except (MilestoneRulesError, OSError) as error:
        return [checks.Error(str(error), id="programme.E001", obj="milestones.json")]
    return []


# The engine (pure) -------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFacts:
    """What the engine needs to know about one event: no database."""

    kind: str
    establishment_kind: str
    nation: Nation
    starts_on: date
    ends_on: date
    education_inspectorate: str = ""
    education_week_starts_on: date | None = None
    followed_up_ends_on: date | None = None
    report_published_on: date | None = None
    visit_on: date | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class DueDate:
    """When a milestone is due; a window's opening day too, for WD-2 windows."""

    due_on: date
    at: time | None = None
    window_opens_on: date | None = None


@dataclass(frozen=True)
class ComputedMilestone:
    rule: MilestoneRule
    due: DueDate
    title: str = field(default="")

    @property
    def due_on(self) -> date:
        return self.due.due_on


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def anchor_date(anchor: Anchor, facts: EventFacts) -> date | None:
    """The date `anchor` stands for at this event, or None while it has none."""
    if anchor == Anchor.EVENT_START:
        return facts.starts_on
    if anchor == Anchor.EVENT_END:
        return facts.ends_on
    if anchor == Anchor.EDUCATION_WEEK:
        if facts.education_week_starts_on is not None:
            return facts.education_week_starts_on
        if facts.kind == EventKind.FULL_INSPECTION:  # the second week, normally (PG-9)
            return facts.starts_on + timedelta(days=7)
        return facts.starts_on
    if anchor == Anchor.FOLLOWED_UP_END:
        return facts.followed_up_ends_on
    if anchor == Anchor.REPORT_PUBLICATION:
        return facts.report_published_on
    return facts.visit_on


def due_date(rule: MilestoneRule, anchor_day: date, nation: Nation | str) -> DueDate:
    """When `rule` falls due, counted from `anchor_day` in `nation`'s calendar (WD-1, WD-2)."""
    nation = Nation(nation)
    offset = rule.offset
    sign = 1 if rule.direction == Direction.AFTER else -1
    if rule.window_opens is not None:
        opens, closes = workdays.month_window(
            anchor_day, rule.window_opens.amount, offset.amount, nation
        )
        return DueDate(due_on=closes, window_opens_on=opens)
    if offset.unit == Unit.WORKING_DAYS:
        day = workdays.add_working_days(anchor_day, sign * offset.amount, nation)
    elif offset.unit == Unit.WEEKS:
        day = anchor_day + timedelta(weeks=sign * offset.amount)
    elif offset.unit == Unit.CALENDAR_MONTHS:
        day = workdays.add_months(anchor_day, sign * offset.amount)
    else:
        assert offset.weekday is not None
        day = _monday(anchor_day) + timedelta(weeks=sign * offset.amount, days=offset.weekday)
    if rule.if_not_working_day == IfNotWorkingDay.PREVIOUS_WORKING_DAY:
        day = workdays.on_or_before_working_day(day, nation)
    return DueDate(due_on=day, at=offset.at)


def applies(rule: MilestoneRule, facts: EventFacts) -> bool:
    """Whether `rule` concerns this event at all (its kind, establishment, who takes part)."""
    if facts.kind not in rule.event_kinds:
        return False
    if rule.establishment_kinds and facts.establishment_kind not in rule.establishment_kinds:
        return False
    return not (
        rule.education_inspectorates
        and facts.education_inspectorate not in rule.education_inspectorates
    )


def milestone_title(rule: MilestoneRule, due: DueDate) -> str:
    if due.window_opens_on is not None:
        return f"{rule.title}: from {long_date(due.window_opens_on)}"[:200]
    return rule.title


def compute_milestones(
    facts: EventFacts, rules: Sequence[MilestoneRule] | None = None
) -> list[ComputedMilestone]:
    """Every milestone of the event, dated: the rules that apply and whose anchor has a date."""
    found = []
    for rule in load_rules() if rules is None else rules:
        if not applies(rule, facts):
            continue
        anchor_day = anchor_date(rule.anchor, facts)
        if anchor_day is None:
            continue
        due = due_date(rule, anchor_day, facts.nation)
        found.append(ComputedMilestone(rule=rule, due=due, title=milestone_title(rule, due)))
    return sorted(found, key=lambda m: (m.due.due_on, m.due.at or time.max, m.rule.code))


def starts_in_window(facts: EventFacts, computed: ComputedMilestone) -> bool:
    opens = computed.due.window_opens_on
    return opens is not None and opens <= facts.starts_on <= computed.due.due_on


def facts_for(event: Event, *, report_published_on: date | None = None) -> EventFacts:
    """The engine's view of `event` (its establishment and follows_up should be loaded)."""
    follows_up = event.follows_up if event.follows_up_id else None
    return EventFacts(
        kind=event.kind,
        establishment_kind=event.establishment.kind,
        nation=Nation(event.establishment.nation),
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        education_inspectorate=event.education_inspectorate,
        education_week_starts_on=event.education_week_starts_on,
        followed_up_ends_on=follows_up.ends_on if follows_up else None,
        report_published_on=report_published_on or planned_publication(event),
        cancelled=event.status == EventStatus.CANCELLED,
    )


def planned_publication(event: Event) -> date | None:
    """The earliest planned publication date among the event's reports (the reports app
    sets it): the REPORT_PUBLICATION anchor (RP-3)."""
    if event.pk is None:
        return None
    reports = apps.get_model("reports", "Report")._default_manager  # reports builds on programme
    return reports.filter(event_id=event.pk, planned_publication_on__isnull=False).aggregate(
        first=Min("planned_publication_on")
    )["first"]


# Reads --------------------------------------------------------------------------------------


def event_url(event: Event) -> str:
    """The event page, once the programme's URLs name it 'programme:event-detail'."""
    try:
        return reverse("programme:event-detail", args=[event.pk])
    except NoReverseMatch:
        return ""


@dataclass
class MilestoneRow:
    """One milestone as a screen shows it."""

    milestone: Milestone
    rule: MilestoneRule | None
    today: date
    can_mark_met: bool = False
    can_override: bool = False
    can_explain: bool = False
    event_link: str = ""

    @property
    def historical(self) -> bool:
        return bool(self.milestone.event.historical)

    @property
    def overdue(self) -> bool:
        if self.historical:  # HI-1: history is never overdue
            return False
        return self.is_open and not self.explained and self.milestone.due_on < self.today

    @property
    def impossible(self) -> bool:
        return self.milestone.status == MilestoneStatus.IMPOSSIBLE

    @property
    def explained(self) -> bool:
        """An impossible deadline whose reason is recorded: off everyone's lists."""
        return self.impossible and bool(self.milestone.impossible_reason)

    @property
    def offer_explain(self) -> bool:
        return self.can_explain and self.impossible and not self.explained

    @property
    def overridden(self) -> bool:
        return bool(self.milestone.override_reason)

    @property
    def met_late(self) -> bool:
        met_on = self.milestone.met_on
        return (
            self.milestone.status == MilestoneStatus.MET
            and met_on is not None
            and timezone.localdate(met_on) > self.milestone.due_on
        )

    @property
    def status_label(self) -> str:
        status = self.milestone.status
        if self.overridden:
            return "Let go"
        if status == MilestoneStatus.MET:
            return "Met late" if self.met_late else "Met"
        if status in UNMET and self.historical:
            return NOT_RECORDED
        if status == MilestoneStatus.DUE and self.overdue:
            return "Overdue"
        return str(self.milestone.get_status_display())

    @property
    def tag_class(self) -> str:
        """The GOV.UK tag's classes for the status (the default tag is blue: due)."""
        colour = {
            "Met": "green",
            "Met late": "yellow",
            "Let go": "grey",
            "Overdue": "red",
            "Missed": "red",
            "Impossible when created": "grey" if self.explained else "orange",
            "Not applicable": "grey",
            NOT_RECORDED: "grey",
        }.get(self.status_label)
        return f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"

    @property
    def is_open(self) -> bool:
        """Unmet and not set aside: it can still be marked met or overridden."""
        return self.milestone.status in UNMET

    @property
    def offer_mark_met(self) -> bool:
        return self.can_mark_met and self.is_open and not self.automatic and not self.historical

    @property
    def offer_record_met(self) -> bool:
        """A historical event's milestone: recorded met with the day it was (HI-1)."""
        return self.can_mark_met and self.is_open and self.historical

    @property
    def offer_override(self) -> bool:
        return (
            self.can_override
            and self.is_open
            and self.rule is not None
            and self.rule.is_normally
            and not self.overridden
            and not self.historical  # HI-1: nothing was owed, so nothing is let go
        )

    @property
    def responsible_label(self) -> str:
        return self.rule.role.label if self.rule else ""

    @property
    def automatic(self) -> str:
        return self.rule.met_when.explanation if self.rule and self.rule.met_when else ""


def milestone_panel_context(event: Event, user: Any) -> dict[str, Any]:
    """What the event page's milestones panel shows (includes/milestones_panel.html).

    The caller has already decided that `user` may see `event` (visible_to, PG-3).
    """
    on = today()
    rules = rules_by_code()
    milestones = Milestone.objects.filter(event=event).select_related(
        "met_by", "impossible_recorded_by"
    )
    rows = []
    for milestone in milestones.order_by("due_on", "due_time", "rule_code"):
        milestone.event = event  # the predicates read the event's team through it
        rows.append(
            MilestoneRow(
                milestone=milestone,
                rule=rules.get(milestone.rule_code),
                today=on,
                can_mark_met=user.has_perm("programme.milestone_mark_met", milestone),
                can_override=user.has_perm("programme.milestone_override", milestone),
                can_explain=user.has_perm("programme.milestone_explain_impossible", milestone),
            )
        )
    return {
        "milestone_rows": rows,
        "milestones": [row.milestone for row in rows],
        "milestones_to_explain": [row for row in rows if row.offer_explain],
    }


def responsible_q(user: Any) -> Q:
    """The milestones `user` answers for: by the rule's role, through the event's team, or
    standing in for an empty team place (programme coordinators, the Ofsted scheduling team)."""
    condition = Q(pk__in=[])
    for responsible, team_role in TEAM_ROLE_OF.items():
        on_team = Exists(
            TeamMember.objects.filter(
                event=OuterRef("event"), role=team_role, inspector__user_id=user.pk
            )
        )
        condition |= Q(on_team, rule_code__in=codes_for(responsible))
    for responsible, duty in DUTY_OF.items():
        if not user_has_duty(user, duty):
            continue
        condition |= Q(rule_code__in=codes_for(responsible))
        for vacant, stand_in in STAND_IN.items():
            if stand_in == responsible:
                filled = Exists(
                    TeamMember.objects.filter(event=OuterRef("event"), role=TEAM_ROLE_OF[vacant])
                )
                condition |= Q(~filled, rule_code__in=codes_for(vacant))
    return condition


WEEK = 7  # "this week": today and the six days after it, a full week whatever the day
LOOK_AHEAD_WEEKS = 4  # the look-ahead after this week


@dataclass(frozen=True)
class DeadlineFilter:
    """Narrow the deadlines to one event, or one kind (a RULES.md ID such as RP-1)."""

    event_id: int | None = None
    rule_id: str = ""


def deadlines_for(
    user: Any,
    *,
    on: date,
    everyone: bool = False,
    until: date | None = None,
    only: DeadlineFilter | None = None,
) -> QuerySet[Milestone]:
    """Unmet milestones due by `until` (the end of this week: `on` and six days after), of
    events `user` may see (PG-3), that `user` answers for (or, with `everyone`, of all those
    events)."""
    milestones = (
        Milestone.objects.filter(
            OPEN,
            event__in=Event.objects.visible_to(user, on=on),
            due_on__lte=until or on + timedelta(days=WEEK - 1),
        )
        .exclude(event__status=EventStatus.CANCELLED)
        .exclude(event__historical=True)  # HI-1: history is never due
    )
    if not everyone:
        milestones = milestones.filter(responsible_q(user))
    if only and only.event_id:
        milestones = milestones.filter(event_id=only.event_id)
    if only and only.rule_id:
        milestones = milestones.filter(rule_id=only.rule_id)
    return milestones.select_related("event__establishment").order_by(
        "due_on", "due_time", "event__establishment__name", "rule_code"
    )


def _may_let_go(user: Any, milestone: Milestone) -> bool:
    """A "normally" deadline that `user` may let go with a reason (asked only of those)."""
    rule = rule_for(milestone.rule_code)
    return bool(rule and rule.is_normally) and user.has_perm(
        "programme.milestone_override", milestone
    )


def dashboard_context(
    user: Any,
    *,
    on: date | None = None,
    everyone: bool = False,
    path: str = "",
    weeks_ahead: int = 0,
    only: DeadlineFilter | None = None,
) -> dict[str, Any]:
    """The per-user deadline dashboard: what is overdue, what is due this week (today and
    the six days after) and, with `weeks_ahead`, in the weeks after that, across every event
    `user` may see and answers for. A fixed number of queries: one read, and one write
    logging the confidential events shown (PG-3)."""
    day = on or today()
    week_ends_on = day + timedelta(days=WEEK - 1)
    later_ends_on = week_ends_on + timedelta(weeks=weeks_ahead)
    rules = rules_by_code()
    rows = [
        MilestoneRow(
            milestone=milestone,
            rule=rules.get(milestone.rule_code),
            today=day,
            event_link=event_url(milestone.event),
            can_override=_may_let_go(user, milestone),
        )
        for milestone in deadlines_for(
            user, on=day, everyone=everyone, until=later_ends_on, only=only
        )
    ]
    events = {row.milestone.event_id: row.milestone.event for row in rows}.values()
    confidential_reads_record(user=user, events=events, path=path, on=day)  # PG-3, DP-1
    return {
        "deadline_overdue": [row for row in rows if row.milestone.due_on < day],
        "deadline_this_week": [row for row in rows if day <= row.milestone.due_on <= week_ends_on],
        "deadline_later": [row for row in rows if row.milestone.due_on > week_ends_on],
        "deadline_today": day,
        "deadline_week_ends_on": week_ends_on,
        "deadline_later_ends_on": later_ends_on,
        "deadline_weeks_ahead": weeks_ahead,
        "deadline_everyone": everyone,
    }
