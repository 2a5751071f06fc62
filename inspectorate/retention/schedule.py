"""The retention schedule, loaded from schedule.yaml and validated (DP-1, DP-3).

The schedule is data: each entry says what record kind it covers, how long it is kept after
which event, which role approves its disposal (or none: automatic), and what is erased and
kept. The code for each kind (kinds.py) finds the records due and disposes of one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured

from inspectorate.accounts.roles import Role

SCHEDULE_FILE = Path(__file__).with_name("schedule.yaml")
_PERIOD = re.compile(r"(\d+) (day|month|year)s?")
_TEXT_FIELDS = ("what", "after", "erase", "keep")


@dataclass(frozen=True)
class Period:
    count: int
    unit: str  # day, month or year

    def after(self, day: date) -> date:
        """The day `self` after `day` (the 29th of February a year on is the 28th)."""
        if self.unit == "day":
            return day + timedelta(days=self.count)
        months = self.count * (12 if self.unit == "year" else 1)
        year, month = divmod(day.month - 1 + months, 12)
        year, month = day.year + year, month + 1
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

    def before(self, day: date) -> date:
        """The latest anchor day whose period has run out by `day`."""
        if self.unit == "day":
            return day - timedelta(days=self.count)
        months = self.count * (12 if self.unit == "year" else 1)
        year, month = divmod(day.month - 1 - months, 12)
        year, month = day.year + year, month + 1
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    what: str
    keep_for: Period
    after: str
    approved_by: Role | None
    erase: str
    keep: str

    @property
    def needs_approval(self) -> bool:
        return self.approved_by is not None


@dataclass(frozen=True)
class Schedule:
    version: int
    entries: tuple[Entry, ...]

    def entry(self, entry_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)


def _problem(where: str, text: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Retention schedule, {where}: {text}")


def _period(where: str, text: Any) -> Period:
    match = _PERIOD.fullmatch(str(text).strip())
    if match is None or int(match.group(1)) < 1:
        raise _problem(where, f"keep_for '{text}' is not a period such as '6 years' or '90 days'")
    return Period(int(match.group(1)), match.group(2))


def _role(where: str, value: Any) -> Role | None:
    if value is None:
        return None
    if value not in Role.values:
        raise _problem(where, f"approved_by '{value}' is not a role")
    return Role(value)


def _entry(raw: Any, known_kinds: frozenset[str], position: int) -> Entry:
    where = f"entry {position}"
    if not isinstance(raw, dict):
        raise _problem(where, "is not a mapping")
    where = f"entry '{raw.get('id', position)}'"
    missing = [k for k in ("id", "kind", "keep_for", *_TEXT_FIELDS) if not raw.get(k)]
    if missing or "approved_by" not in raw:
        raise _problem(where, f"needs {', '.join(missing or ['approved_by'])}")
    if raw["kind"] not in known_kinds:
        raise _problem(where, f"kind '{raw['kind']}' has no disposal code")
    return Entry(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        keep_for=_period(where, raw["keep_for"]),
        approved_by=_role(where, raw["approved_by"]),
        **{name: " ".join(str(raw[name]).split()) for name in _TEXT_FIELDS},
    )


def schedule_parse(text: str, known_kinds: frozenset[str]) -> Schedule:
    """Parse and validate a schedule; ImproperlyConfigured names the first problem."""
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), int):
        raise _problem("the file", "needs a whole-number version")
    entries = tuple(
        _entry(item, known_kinds, n) for n, item in enumerate(raw.get("entries") or [], 1)
    )
    ids = [entry.id for entry in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise _problem("the file", f"entry ids repeated: {', '.join(duplicates)}")
    kinds = [entry.kind for entry in entries]
    if len(set(kinds)) != len(kinds):
        raise _problem("the file", "a record kind has two entries")
    return Schedule(version=raw["version"], entries=entries)


@cache
def schedule() -> Schedule:
    """The schedule in force (read once per process)."""
    from inspectorate.retention.kinds import KINDS

    return schedule_parse(SCHEDULE_FILE.read_text(encoding="utf-8"), frozenset(KINDS))
