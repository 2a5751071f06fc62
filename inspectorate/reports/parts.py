"""The editable parts of a report and their defaults: the signature under the summary, the
team list in its order, the glossary, the 'About this report' text, and the healthy prison
outcomes of the establishment's previous full inspections (Figure 1 of an IRP report).

What the team has not edited comes from reports/data/report_parts.json (versioned, like a
framework file): the Chief Inspector's name, the about text, the default glossary. Reads
only; part_services.py writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Q

from inspectorate.frameworks.selectors import HEALTHY_PRISON_TESTS
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Judgement
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.models import Event, TeamMember, today
from inspectorate.reports.constants import ReportKind
from inspectorate.reports.house_style import house_style
from inspectorate.reports.models import Report

DATA_FILE = Path(__file__).resolve().parent / "data" / "report_parts.json"
# How many previous full inspections Figure 1 compares, the most recent last.
PREVIOUS_INSPECTIONS_SHOWN = 3
# The team list's default order: the team leader first (as published), then the leads.
ROLE_ORDER = (TeamRole.TEAM_LEADER, TeamRole.OFSTED_LEAD, TeamRole.INSPECTOR, TeamRole.SPECIALIST)


@cache
def defaults() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


# The signature under the summary -----------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    name: str
    title: str
    month: date

    @property
    def month_label(self) -> str:
        return f"{self.month:%B %Y}"


def signature(report: Report) -> Signature:
    data = defaults()
    return Signature(
        name=report.signatory.strip() or data["signatory"],
        title=data["signatory_title"],
        month=report.month,
    )


# The team list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    """One line of the team list: a member of the event's team, or a named extra (the Chief
    Inspector, say) who is on the list but not on the event's team."""

    key: str  # "member-<TeamMember pk>" or "extra-<n>"
    name: str
    role: str
    organisation: str
    member_id: int | None = None

    @property
    def is_extra(self) -> bool:
        return self.member_id is None

    def stored(self) -> dict[str, Any]:
        if self.member_id is not None:
            return {"member": self.member_id}
        return {"name": self.name, "role": self.role, "organisation": self.organisation}


def _member_row(member: TeamMember) -> TeamRow:
    return TeamRow(
        key=f"member-{member.pk}",
        name=member.inspector.name,
        role=member.get_role_display(),
        organisation=member.inspector.get_organisation_display(),
        member_id=member.pk,
    )


def default_team(event: Event) -> list[TeamMember]:
    """The event's team, team leader first, then the Ofsted lead, inspectors, specialists."""
    members = list(event.team.select_related("inspector"))
    return sorted(members, key=lambda m: (ROLE_ORDER.index(TeamRole(m.role)), m.inspector.name))


def team_rows(report: Report) -> list[TeamRow]:
    """The team list as the report shows it: the stored order; members who joined the team
    since it was ordered follow in the default order; members who left are dropped."""
    members = {m.pk: m for m in default_team(report.event)}
    rows: list[TeamRow] = []
    for index, entry in enumerate(report.team_order or []):
        member = members.pop(entry.get("member"), None) if "member" in entry else None
        if member is not None:
            rows.append(_member_row(member))
        elif "name" in entry:
            rows.append(
                TeamRow(
                    key=f"extra-{index}",
                    name=entry["name"],
                    role=entry.get("role", ""),
                    organisation=entry.get("organisation", ""),
                )
            )
    rows += [_member_row(member) for member in members.values()]
    return rows


# The glossary ------------------------------------------------------------------------------


def _mentions(text: str, match: str) -> bool:
    """Whether `text` uses a term: an acronym exactly, other words in any case, each from
    the start of a word ('segregat' finds 'segregation' and 'segregated')."""
    flags = 0 if match.isupper() else re.IGNORECASE
    return re.search(rf"\b{re.escape(match)}", text, flags) is not None


def default_glossary(text: str) -> list[tuple[str, str]]:
    """The default glossary's terms that `text` uses, in the file's (alphabetical) order."""
    return [
        (entry["term"], entry["definition"])
        for entry in defaults()["glossary"]
        if any(_mentions(text, match) for match in entry.get("matches", [entry["term"]]))
    ]


def glossary_items(report: Report, text: str) -> list[tuple[str, str]]:
    """The report's glossary as edited, else the default terms its `text` uses."""
    if report.glossary is not None:
        return [(term, definition) for term, definition in report.glossary]
    return default_glossary(text)


# About this report -------------------------------------------------------------------------


def inspection_month(event: Event) -> str:
    """The month a full inspection is known by, 'November 2025'.

    No report month is stored for a full inspection, so it is the month of its last day:
    HMI Prisons' fieldwork week is the second week of a full inspection, and a published
    report names an inspection of 24 February to 6 March by March, not by the month of its
    first day."""
    return f"{event.ends_on:%B %Y}"


def default_about(event: Event) -> str:
    """The house style's opening paragraphs of 'About this report' (the text a team edits)."""
    style = house_style(ReportKind.IRP_REPORT, on=today())
    full = event.follows_up
    inspection = inspection_month(full) if full else style.says("inspection_unknown")
    keys = ("about_purpose", "about_selection", "about_method")
    return "\n\n".join(style.says(key, inspection=inspection) for key in keys)


def about_text(report: Report) -> str:
    return report.about_text.strip() or default_about(report.event)


# Figure 1: healthy prison outcomes of the previous full inspections (JG-8) -----------------


@dataclass(frozen=True)
class InspectionOutcomes:
    """The healthy prison test scores of one previous full inspection."""

    label: str  # "November 2025"
    starts_on: date
    scores: tuple[tuple[str, str, int], ...]  # (test, level label, value 4 good to 1 poor)

    def score_of(self, test: str) -> tuple[str, int] | None:
        for name, label, value in self.scores:
            if name == test:
                return label, value
        return None


@dataclass(frozen=True)
class Outcomes:
    tests: tuple[str, ...]  # the tests in the framework's order
    levels: tuple[tuple[int, str], ...]  # (value, label), best first
    inspections: tuple[InspectionOutcomes, ...]  # oldest first


def _published_or_historical() -> Q:
    """Scores a draft may show: of inspections already published, or recorded as history."""
    return Q(event__inspection__stage=Stage.PUBLISHED) | Q(event__historical=True)


def previous_outcomes(event: Event) -> Outcomes | None:
    """The healthy prison test scores of the establishment's full inspections before
    `event` (JG-8: scored only at full inspections), the most recent few; None if none was
    scored."""
    judgements = (
        Judgement.objects.filter(
            _published_or_historical(),
            framework__slug=HEALTHY_PRISON_TESTS,
            follow_up__isnull=True,
            event__establishment_id=event.establishment_id,
            event__kind=EventKind.FULL_INSPECTION,
            event__starts_on__lt=event.starts_on,
        )
        .select_related("event", "aspect", "level")
        .order_by("event__starts_on", "event_id", "aspect__position")
    )
    by_event: dict[int, list[Judgement]] = {}
    for judgement in judgements:
        by_event.setdefault(judgement.event_id, []).append(judgement)
    if not by_event:
        return None
    chosen = list(by_event.values())[-PREVIOUS_INSPECTIONS_SHOWN:]
    tests = _ordered_unique(j.aspect.title for group in chosen for j in group)
    scale_levels = {(j.level.value, j.level.label) for group in chosen for j in group}
    inspections = tuple(
        InspectionOutcomes(
            label=f"{group[0].event.ends_on:%B %Y}",
            starts_on=group[0].event.starts_on,
            scores=tuple((j.aspect.title, j.level.label, j.level.value) for j in group),
        )
        for group in chosen
    )
    return Outcomes(
        tests=tuple(tests),
        levels=tuple(sorted(_all_levels(chosen) or scale_levels, reverse=True)),
        inspections=inspections,
    )


def _all_levels(groups: Sequence[Sequence[Judgement]]) -> set[tuple[int, str]]:
    """Every level of the scale the scores are on, so the chart's axis names them all."""
    for group in groups:
        for judgement in group:
            scale = judgement.level.scale
            return {(level.value, level.label) for level in scale.levels.all()}
    return set()


def _ordered_unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
