"""Which weeks an event may start in and why the others are closed to it, how late a week
is, a member's days on site, and who qualifies for a place: the rules the model and the
greedy baseline share. (checker.py works these out again on its own.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from inspectorate.lib.workdays import add_months
from inspectorate.planner.instance import OFSTED, Inspector, Instance, RequiredEvent, Requirement


def _weekdays(start: date, days: int) -> list[date]:
    return [start + timedelta(n) for n in range(days) if (start + timedelta(n)).weekday() < 5]


def notice_needed(instance: Instance, event: RequiredEvent) -> tuple[int, str]:
    """Months of notice before the event may start, and the rule (PG-5 or the kind's own)."""
    spec = instance.spec_of(event)
    if event.education == OFSTED and instance.education_notice_months > spec.notice_months:
        return instance.education_notice_months, "PG-5"
    return spec.notice_months, spec.notice_rule


@dataclass(frozen=True)
class WeekReasons:
    """Why each week is closed to an event, by group: horizon, closed, bank, notice, fixed."""

    horizon: frozenset[int]
    closed: frozenset[int]
    bank: frozenset[int]
    notice: frozenset[int]
    fixed: frozenset[int]

    def allowed(self, weeks: int, relax: frozenset[str] = frozenset()) -> list[int]:
        """The weeks no group blocks, ignoring the groups named in `relax`."""
        blocked = set(self.horizon)
        for group in ("closed", "bank", "notice", "fixed"):
            if group not in relax:
                blocked |= getattr(self, group)
        return [w for w in range(weeks) if w not in blocked]


def week_reasons(instance: Instance, event: RequiredEvent) -> WeekReasons:
    spec = instance.spec_of(event)
    span = spec.weeks
    nation = instance.site_of(event).nation
    holidays = instance.bank_holidays.get(nation, frozenset())
    fixed = instance.fixed_weeks.get(event.key)
    earliest = None
    if fixed is None:
        earliest = add_months(instance.today, notice_needed(instance, event)[0])
    horizon, closed, bank, notice, other = set(), set(), set(), set(), set()
    for week in range(instance.weeks):
        monday = instance.monday(week)
        if week + span > instance.weeks:
            horizon.add(week)
        if any(w in instance.closed_weeks for w in range(week, week + span)):
            closed.add(week)
        if any(day in holidays for day in _weekdays(monday, spec.days)):
            bank.add(week)
        if earliest is not None and monday < earliest:
            notice.add(week)
        if fixed is not None and week != fixed:
            other.add(week)
    return WeekReasons(*(frozenset(s) for s in (horizon, closed, bank, notice, other)))


def lateness_weeks(instance: Instance, event: RequiredEvent, week: int) -> int:
    monday = instance.monday(week)
    days_late = (monday - event.due_to).days
    days_early = (event.due_from - monday).days
    return max(0, -(-days_late // 7), -(-days_early // 7))


def member_days(
    instance: Instance, event: RequiredEvent, week: int, requirement: Requirement
) -> tuple[date, date]:
    """The first and last day on site of a member in `requirement`'s place."""
    spec = instance.spec_of(event)
    event_last = instance.monday(week) + timedelta(days=spec.days - 1)
    first = instance.monday(week + requirement.weeks[0])
    last = min(instance.monday(week + requirement.weeks[-1]) + timedelta(days=4), event_last)
    return first, last


def qualifies(inspector: Inspector, requirement: Requirement, organisation: str) -> bool:
    """Organisation, leadership and specialism: what a place needs, whatever the dates."""
    return (
        inspector.organisation == organisation
        and (inspector.can_lead or not requirement.lead)
        and (not requirement.specialism or requirement.specialism in inspector.specialisms)
    )


def barred_by(instance: Instance, event: RequiredEvent, inspector: Inspector) -> list[str]:
    """The rules that bar `inspector` from `event` whatever its week: no enhanced DBS check
    or too little clearance (TM-1), a declared conflict (TM-2), the establishment's
    improvement HMI (TM-4)."""
    site = instance.site_of(event)
    rules = []
    no_dbs = site.custodial and (inspector.dbs_from is None or inspector.dbs_until is None)
    if no_dbs or inspector.clearance < site.clearance:
        rules.append("TM-1")
    if event.site in inspector.conflicts:
        rules.append("TM-2")
    if event.site in inspector.improvement_hmi_for:
        rules.append("TM-4")
    return rules


def dbs_valid_weeks(
    instance: Instance,
    event: RequiredEvent,
    requirement: Requirement,
    inspector: Inspector,
    weeks: list[int],
) -> list[int]:
    """Those of `weeks` in which an event starting would have `inspector`'s DBS check valid
    on each of their days on site (TM-1); all of them where no check is needed."""
    if not instance.site_of(event).custodial:
        return list(weeks)
    valid_from, valid_until = inspector.dbs_from, inspector.dbs_until
    if valid_from is None or valid_until is None:
        return []
    if weeks:
        earliest = instance.monday(weeks[0])
        latest = instance.monday(weeks[-1] + instance.spec_of(event).weeks)
        if valid_from <= earliest and latest <= valid_until:
            return list(weeks)  # valid throughout: most inspectors
    valid = []
    for week in weeks:
        first, last = member_days(instance, event, week, requirement)
        if valid_from <= first and last <= valid_until:
            valid.append(week)
    return valid
