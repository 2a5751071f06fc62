"""What the importer of published HMI Prisons reports finds in one document (HI-2).

The parser (`parse.py`) turns a PDF, Word or text file into a `ParsedReport`; the importer
(`plan.py`, `commit.py`) turns a `ParsedReport` into a review of what would be created or
changed, and then into records. Nothing here touches the database: a parsed report is plain
data, printable as JSON (`as_json`) for `inspectorate import report FILE --dry-run --json`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

ReportKind = Literal["full", "irp"]


@dataclass(frozen=True)
class Source:
    """Where an item was found: 1-based page and line of the document (line counted on its
    page, running headers and footers removed), and the paragraph reference when it has one."""

    page: int
    line: int
    paragraph: str = ""


@dataclass(frozen=True)
class Problem:
    """Something the parser could not read or place, or a check that failed: a judgement word
    on neither scale, a count sentence that disagrees with the judgements found."""

    message: str
    source: Source | None = None


@dataclass(frozen=True)
class Concern:
    """A priority or key concern of a full inspection (HMI Prisons), or an Ofsted key concern.
    kind: "priority", "key" or "ofsted_key" (inspections.constants.ConcernKind)."""

    kind: str
    text: str
    source: Source
    paragraph_reference: str = ""


@dataclass(frozen=True)
class Recommendation:
    """A recommendation of a full inspection, with its paragraph reference and the area
    (section heading) it sits under; `concern_index` points into ParsedReport.concerns when
    the report places it under a concern."""

    text: str
    paragraph_reference: str
    area: str
    source: Source
    concern_index: int | None = None


@dataclass(frozen=True)
class HealthyPrisonScore:
    """One healthy prison test outcome: the test ("Safety", "Respect", "Purposeful activity",
    "Rehabilitation and release planning") and its score, 1 (poor) to 4 (good)."""

    test: str
    score: int
    source: Source


@dataclass(frozen=True)
class FollowUp:
    """An item an IRP followed up. kind "recommendation": a recommendation of the inspection
    it follows, by its paragraph reference there (`follows_reference`), judged on the HMI
    Prisons progress scale. kind "theme": an Ofsted theme, judged on Ofsted's scale.
    `judgement` is the level's wording as the report gives it ("good progress", "reasonable
    progress", "insufficient progress", "no meaningful progress"; Ofsted "significant
    progress", "reasonable progress", "insufficient progress"), lower case."""

    kind: Literal["recommendation", "theme"]
    title: str
    judgement: str
    source: Source
    paragraph_reference: str = ""
    follows_reference: str = ""
    area: str = ""
    narrative: list[str] = field(default_factory=list)
    # For a recommendation: the concern it answered, as the IRP report restates it.
    concern: str = ""


@dataclass(frozen=True)
class StatedCount:
    """A count sentence as the report states it: on `scale` ("hmip" or "ofsted"), `count`
    items were judged at `judgement`. Checked against the judgements found."""

    scale: Literal["hmip", "ofsted"]
    judgement: str
    count: int
    source: Source


@dataclass(frozen=True)
class ParsedReport:
    kind: ReportKind
    establishment: str
    starts_on: date | None
    ends_on: date | None
    published_on: date | None = None
    title: str = ""
    concerns: list[Concern] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    healthy_prison_scores: list[HealthyPrisonScore] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    positive_practice: list[tuple[str, Source]] = field(default_factory=list)
    stated_counts: list[StatedCount] = field(default_factory=list)
    # For an IRP: the dates of the full inspection it follows, as the report states them.
    follows_inspection_starts_on: date | None = None
    follows_inspection_ends_on: date | None = None
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0

    def as_json(self) -> dict[str, Any]:
        """Everything found, JSON-ready (dates as ISO strings)."""
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
