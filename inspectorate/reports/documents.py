"""The documents a report is made of, built from what the team recorded.

A builder per ReportKind turns the record into a `Document`: sections of blocks (headings,
numbered paragraphs, concern and recommendation boxes, figures with their data tables,
tables). One template (reports/documents/document.html) renders a Document as an <article>
for the page, the published snapshot and the PDF; docx_export.py writes the same Document
as Word. Numbered paragraphs carry stable anchors ("para-3-2"): factual-accuracy comments
refer to them by number.

IRP reports follow HMI Prisons' published structure and count judgements per scale, show
them as figures with text alternatives, list notable positive practice and end with a
summary of every judgement (RP-6). A full inspection gives Ofsted's findings summary for the
'Purposeful activity' section and the full Ofsted text published alongside (RP-2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from inspectorate.frameworks.models import Framework, Level
from inspectorate.inspections.constants import (
    FOLLOW_UP_FRAMEWORK,
    HEALTHY_PRISON_TESTS,
    ConcernKind,
    FollowUpKind,
)
from inspectorate.inspections.models import Concern, FollowUp, Judgement, PositivePractice
from inspectorate.lib.wording import count_noun, lower_first
from inspectorate.programme.models import Event
from inspectorate.reports import charts, parts
from inspectorate.reports.constants import ReportKind, ReportStage
from inspectorate.reports.models import Report

# The section of an HMI Prisons full inspection report that holds Ofsted's findings (RP-2).
PURPOSEFUL_ACTIVITY_SECTION = "5"

EN_DASH = "\u2013"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


# The document model ----------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 3
    id: str = ""
    block: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `number` ("3.2") when numbered, `reference` a paragraph it points to."""

    text: str
    number: str = ""
    reference: str = ""
    style: str = ""  # "", "strong" (bold), "lead" (a judgement or a standfirst)
    linked: bool = False  # `reference` is a paragraph of this document
    block: str = "paragraph"

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.number) if self.number else ""

    @property
    def reference_anchor(self) -> str:
        return paragraph_anchor(self.reference) if self.reference else ""


@dataclass(frozen=True)
class Callout:
    """A concern, recommendation or theme as HMI Prisons sets it out: a label, the text,
    and the paragraph of the full inspection report it comes from."""

    label: str
    text: str
    reference: str = ""
    strong: bool = False
    number: str = ""  # a key concern is a numbered paragraph (factual-accuracy comments)
    block: str = "callout"

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.number) if self.number else ""


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # the columns holding numbers
    id: str = ""
    number: str = ""  # a numbered paragraph of its own (the grade table: comments refer to it)
    block: str = "table"

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.number) if self.number else ""


@dataclass(frozen=True)
class Figure:
    """A chart and its data table, the chart's text alternative."""

    number: int
    title: str
    slices: tuple[charts.Slice, ...]
    block: str = "figure"

    @property
    def id(self) -> str:
        return f"figure-{self.number}"

    @property
    def caption_id(self) -> str:
        return f"figure-{self.number}-caption"

    @property
    def svg(self) -> SafeString:
        return charts.pie_svg(self.slices, label_id=self.caption_id)

    @property
    def table(self) -> Table:
        return Table(
            caption=f"Data for figure {self.number}: {self.title}",
            head=("Judgement", "Number", "Share"),
            rows=tuple(charts.table_rows(self.slices)),
            numeric=(1, 2),
        )

    def png(self) -> bytes:
        return charts.pie_png(self.slices)


@dataclass(frozen=True)
class OutcomesFigure(Figure):
    """Figure 1 of an IRP report: the healthy prison test outcomes of the establishment's
    previous full inspections (JG-8), as grouped bars, with its data table."""

    outcomes: parts.Outcomes | None = None

    def _series(self) -> tuple[list[str], list[charts.Series], list[tuple[int, str]]]:
        found = self.outcomes
        if found is None:
            return [], [], []
        series = [
            charts.Series(
                inspection.label,
                tuple(
                    score[1] if (score := inspection.score_of(test)) else None
                    for test in found.tests
                ),
            )
            for inspection in found.inspections
        ]
        return list(found.tests), series, list(found.levels)

    @property
    def svg(self) -> SafeString:
        groups, series, levels = self._series()
        return charts.bars_svg(groups, series, levels, label_id=self.caption_id)

    def png(self) -> bytes:
        return charts.bars_png(*self._series())

    @property
    def table(self) -> Table:
        found = self.outcomes
        inspections = found.inspections if found else ()
        rows = tuple(
            (
                test,
                *(
                    score[0] if (score := inspection.score_of(test)) else "Not scored"
                    for inspection in inspections
                ),
            )
            for test in (found.tests if found else ())
        )
        return Table(
            caption=f"Data for figure {self.number}: {self.title}",
            head=("Healthy prison test", *(inspection.label for inspection in inspections)),
            rows=rows,
        )


@dataclass(frozen=True)
class Definitions:
    """A description list: term and definition."""

    items: tuple[tuple[str, str], ...]
    block: str = "definitions"


Block = Heading | Paragraph | Callout | Table | Figure | Definitions


@dataclass(frozen=True)
class Section:
    id: str
    label: str  # "Section 3", "Appendix I"
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    establishment: str
    author: str  # "by HM Chief Inspector of Prisons"
    dates: str
    running_header: str
    draft: bool
    stage: str
    sections: tuple[Section, ...]
    published_on: str = ""

    @property
    def draft_label(self) -> str:
        """'Draft: not for publication', or 'Draft at the ... stage: ...'; empty once published."""
        if not self.draft:
            return ""
        stage = (
            "" if self.stage == ReportStage.DRAFT.label else f" at the {self.stage.lower()} stage"
        )
        return f"Draft{stage}: not for publication"

    def paragraphs(self) -> Iterator[Paragraph]:
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    yield block

    @property
    def paragraph_numbers(self) -> list[str]:
        """Every numbered paragraph, numbered key concern and numbered table, in order."""
        return [
            b.number
            for s in self.sections
            for b in s.blocks
            if isinstance(b, Paragraph | Callout | Table) and b.number
        ]

    @property
    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


def paragraph_anchor(number: str) -> str:
    """The id of a numbered paragraph: '3.2' -> 'para-3-2'."""
    return "para-" + number.replace(".", "-")


class Numbering:
    """Paragraph numbers of one section: 3.1, 3.2, ..."""

    def __init__(self, section: str) -> None:
        self.section = section
        self.count = 0

    def __call__(self, text: str, **values: Any) -> Paragraph:
        self.count += 1
        return Paragraph(text=text, number=f"{self.section}.{self.count}", **values)

    def peek(self) -> str:
        return f"{self.section}.{self.count + 1}"

    def next(self) -> str:
        """The next number, for a block other than a paragraph (a table, a key concern)."""
        self.count += 1
        return f"{self.section}.{self.count}"


# Wording ---------------------------------------------------------------------------------


def count_words(number: int, noun: str, plural: str = "") -> str:
    """'one recommendation', 'seven recommendations', '12 themes' (GOV.UK style)."""
    return count_noun(number, noun, plural, words=True)


def listed(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def date_range(starts: date, ends: date) -> str:
    """'5 to 7 October 2026' with an en dash (GOV.UK style), across months and years too."""
    if starts == ends:
        return long_date(starts)
    if (starts.year, starts.month) == (ends.year, ends.month):
        return f"{starts.day} {EN_DASH} {long_date(ends)}"
    if starts.year == ends.year:
        return f"{starts.day} {starts:%B} {EN_DASH} {long_date(ends)}"
    return f"{long_date(starts)} {EN_DASH} {long_date(ends)}"


def paragraphs_of(text: str) -> list[str]:
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


# Judgements and scales -------------------------------------------------------------------


def scale_levels(framework_slug: str) -> list[Level]:
    """The levels of the newest version of a framework's scale, best first."""
    framework = Framework.objects.filter(slug=framework_slug).order_by("-valid_from").first()
    if framework is None:
        return []
    return list(Level.objects.filter(scale__framework=framework).order_by("position"))


@dataclass(frozen=True)
class Tally:
    """How many items of one kind were judged at each level of its scale (RP-6)."""

    kind: str
    levels: tuple[Level, ...]
    counts: tuple[int, ...]
    unjudged: int

    @property
    def total(self) -> int:
        return sum(self.counts) + self.unjudged

    @property
    def slices(self) -> tuple[charts.Slice, ...]:
        found = [
            charts.Slice(level.label, n) for level, n in zip(self.levels, self.counts, strict=True)
        ]
        if self.unjudged:
            found.append(charts.Slice("Not yet judged", self.unjudged))
        return tuple(found)


def tally(kind: str, items: Sequence[FollowUp]) -> Tally:
    levels = scale_levels(FOLLOW_UP_FRAMEWORK[FollowUpKind(kind)])
    slugs = [level.slug for level in levels]
    counts = [0] * len(levels)
    unjudged = 0
    for item in items:
        judgement = judgement_of(item)
        if judgement is None or judgement.level.slug not in slugs:
            unjudged += 1
        else:
            counts[slugs.index(judgement.level.slug)] += 1
    return Tally(kind=kind, levels=tuple(levels), counts=tuple(counts), unjudged=unjudged)


def judgement_of(item: FollowUp) -> Judgement | None:
    judgements = list(item.judgements.all())
    return judgements[0] if judgements else None


def tally_sentence(found: Tally) -> str:
    """RP-6: 'HMI Prisons judged that there was good progress against one recommendation,
    ...' or 'Ofsted judged that there was significant progress in one theme, ...'."""
    recommendation = found.kind == FollowUpKind.RECOMMENDATION
    who, noun, preposition = (
        ("HMI Prisons", "recommendation", "against")
        if recommendation
        else ("Ofsted", "theme", "in")
    )
    parts = [
        f"{lower_first(level.label)} {preposition} {count_words(n, noun)}"
        for level, n in zip(found.levels, found.counts, strict=True)
        if n
    ]
    if not parts:
        return f"{who} has not yet judged the progress made against any {noun}."
    sentence = f"{who} judged that there was {listed(parts)}"
    if found.unjudged:
        verb = "has" if found.unjudged == 1 else "have"
        sentence += f"; {count_words(found.unjudged, noun)} {verb} not yet been judged"
    return sentence + "."


def closing_sentence(item: FollowUp) -> str:
    judgement = judgement_of(item)
    if judgement is None:
        return "Progress has not yet been judged."
    progress = lower_first(judgement.level.label)
    if item.kind == FollowUpKind.RECOMMENDATION:
        return f"We considered that the prison had made {progress} in this area."
    return f"Ofsted considered that the prison had made {progress} against this theme."


# Shared parts ----------------------------------------------------------------------------


def _title(event: Event, kind: str) -> str:
    name = event.establishment.name
    if kind == ReportKind.IRP_REPORT:
        return f"Report on an independent review of progress at {name}"
    if kind == ReportKind.OFSTED_FINDINGS:
        return f"Ofsted findings on education, skills and work at {name}"
    return f"Ofsted report on education, skills and work at {name}"


def _team_table(report: Report) -> Table:
    """The team as the report orders it (the team leader first unless moved)."""
    rows = tuple((row.name, row.role, row.organisation) for row in parts.team_rows(report))
    return Table(
        caption="The inspection team",
        head=("Name", "Role", "Organisation"),
        rows=rows or (("The team has not yet been named.", "", ""),),
    )


def _level_definitions(levels: Sequence[Level]) -> Definitions:
    return Definitions(items=tuple((level.label, level.definition) for level in levels))


def _section(number: int, title: str, blocks: Sequence[Block]) -> Section:
    return Section(
        id=f"section-{number}", label=f"Section {number}", title=title, blocks=(*blocks,)
    )


def _appendix(index: int, title: str, blocks: Sequence[Block]) -> Section:
    return Section(
        id=f"appendix-{index + 1}", label=f"Appendix {ROMAN[index]}", title=title, blocks=(*blocks,)
    )


# IRP report (RP-6) -----------------------------------------------------------------------


def _follow_ups(event: Event) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(event=event)
        .select_related("recommendation__concern")
        .prefetch_related(
            Prefetch("judgements", queryset=Judgement.objects.select_related("level")),
            "from_recommendations",
        )
        .order_by("kind", "position", "pk")
    )


def _irp_summary(report: Report) -> Section:
    number = Numbering("1")
    text = report.summary.strip() or ("The Chief Inspector's summary has not yet been written.")
    blocks: list[Block] = [number(paragraph) for paragraph in paragraphs_of(text)]
    outcomes = parts.previous_outcomes(report.event)
    if outcomes is not None:
        # After the opening paragraph, which recalls the previous inspection.
        blocks.insert(1, _outcomes_figure(report, outcomes))
    signed = parts.signature(report)
    blocks += [
        Paragraph(text=signed.name, style="strong"),
        Paragraph(text=signed.title),
        Paragraph(text=signed.month_label),
    ]
    return _section(1, "Chief Inspector's summary", blocks)


def _outcomes_figure(report: Report, outcomes: parts.Outcomes) -> OutcomesFigure:
    name = report.event.establishment.name
    when = listed([inspection.label for inspection in outcomes.inspections])
    return OutcomesFigure(
        number=1,
        title=f"{name} healthy prison outcomes at the full inspections of {when}",
        slices=(),
        outcomes=outcomes,
    )


def _previous(event: Event) -> str:
    full = event.follows_up
    return f"{full.starts_on:%B %Y}" if full else "the last full inspection"


def _irp_key_findings(
    event: Event,
    recommendations: Sequence[FollowUp],
    themes: Sequence[FollowUp],
    practice: Sequence[PositivePractice],
) -> Section:
    number = Numbering("2")
    opening = (
        f"At this independent review of progress, we followed up "
        f"{count_words(len(recommendations), 'recommendation')} from our most recent "
        f"inspection in {_previous(event)}"
    )
    if themes:
        opening += (
            f" and Ofsted followed up {count_words(len(themes), 'theme')} based on their "
            "latest inspection of the prison"
        )
    blocks: list[Block] = [number(opening + ".")]
    figure = 0
    for kind, items, title in (
        (
            FollowUpKind.RECOMMENDATION,
            recommendations,
            f"HMI Prisons' judgements of progress against recommendations from the "
            f"{_previous(event)} inspection (n={len(recommendations)})",
        ),
        (
            FollowUpKind.THEME,
            themes,
            f"Ofsted's judgements of progress in themes (n={len(themes)})",
        ),
    ):
        if not items:
            continue
        found = tally(kind, items)
        figure += 1
        blocks += [number(tally_sentence(found)), Figure(figure, title, found.slices)]
    blocks += _positive_practice(number, practice)
    return _section(2, "Key findings", blocks)


def _positive_practice(number: Numbering, practice: Sequence[PositivePractice]) -> list[Block]:
    blocks: list[Block] = [
        Heading("Notable positive practice", id="notable-positive-practice"),
        number(
            "We define notable positive practice as evidence of the establishment's success in "
            "achieving outcomes for prisoners; originality is not a requirement."
        ),
    ]
    if not practice:
        blocks.append(number("Inspectors found no notable positive practice during this review."))
    for item in practice:
        blocks.append(number(item.text, reference=item.paragraph_reference))
    return blocks


def _item_heading(item: FollowUp, index: int) -> Heading:
    kind = "Recommendation" if item.kind == FollowUpKind.RECOMMENDATION else "Theme"
    area = item.recommendation.area.strip() if item.recommendation else ""
    return Heading(area or f"{kind} {index}", level=4, id=f"{kind.lower()}-{index}")


def _recommendation_blocks(number: Numbering, item: FollowUp, index: int) -> list[Block]:
    recommendation = item.recommendation
    blocks: list[Block] = [_item_heading(item, index)]
    if recommendation is not None:
        concern: Concern | None = recommendation.concern
        if concern is not None:
            blocks.append(Callout("Concern", concern.text, reference=concern.paragraph_reference))
        blocks.append(
            Callout(
                "Recommendation",
                recommendation.text,
                reference=recommendation.paragraph_reference,
                strong=True,
            )
        )
    blocks += [number(text) for text in item.paragraphs]
    blocks.append(Paragraph(closing_sentence(item), style="lead"))
    return blocks


def _theme_blocks(number: Numbering, item: FollowUp, index: int) -> list[Block]:
    blocks: list[Block] = [
        _item_heading(item, index),
        Callout("Theme", item.theme, reference=item.paragraph_reference, strong=True),
    ]
    sources = sorted(
        (r.paragraph_reference for r in item.from_recommendations.all()), key=_reference_key
    )
    if sources:
        noun = "recommendation" if len(sources) == 1 else "recommendations"
        blocks.append(
            Paragraph(f"This theme follows up {noun} {listed(sources)} of the full inspection.")
        )
    blocks += [number(text) for text in item.paragraphs]
    blocks.append(Paragraph(closing_sentence(item), style="lead"))
    return blocks


def _reference_key(reference: str) -> tuple[int, ...]:
    """'1.12' after '1.9'."""
    return tuple(int(part) if part.isdigit() else 0 for part in reference.split("."))


def _irp_progress(recommendations: Sequence[FollowUp], themes: Sequence[FollowUp]) -> Section:
    number = Numbering("3")
    blocks: list[Block] = []
    if recommendations:
        blocks.append(
            Heading("Recommendations followed up by HMI Prisons", id="progress-recommendations")
        )
        for index, item in enumerate(recommendations, start=1):
            blocks += _recommendation_blocks(number, item, index)
    if themes:
        blocks.append(Heading("Ofsted themes: education, skills and work", id="progress-themes"))
        for index, item in enumerate(themes, start=1):
            blocks += _theme_blocks(number, item, index)
    if not blocks:
        blocks.append(Paragraph("No recommendations or themes have been chosen for this review."))
    return _section(3, "Progress against key concerns and recommendations", blocks)


def _judgement_label(item: FollowUp) -> str:
    judgement = judgement_of(item)
    return judgement.level.label if judgement else "Not yet judged"


def _irp_judgements(recommendations: Sequence[FollowUp], themes: Sequence[FollowUp]) -> Section:
    blocks: list[Block] = [
        Paragraph(
            "This section lists every recommendation and theme followed up at this review, "
            "with the judgement of the progress made (RP-6)."
        )
    ]
    if recommendations:
        blocks.append(
            Table(
                caption="Progress against each recommendation followed up by HMI Prisons",
                head=("Recommendation", "Paragraph", "Judgement"),
                rows=tuple(
                    (
                        item.recommendation.text if item.recommendation else "",
                        item.recommendation.paragraph_reference if item.recommendation else "",
                        _judgement_label(item),
                    )
                    for item in recommendations
                ),
                id="summary-recommendations",
            )
        )
    if themes:
        blocks.append(
            Table(
                caption="Progress in each theme followed up by Ofsted",
                head=("Theme", "Judgement"),
                rows=tuple((item.theme, _judgement_label(item)) for item in themes),
                id="summary-themes",
            )
        )
    return _section(4, "Summary of judgements", blocks)


def _irp_about(report: Report) -> list[Block]:
    hmip = scale_levels(FOLLOW_UP_FRAMEWORK[FollowUpKind.RECOMMENDATION])
    ofsted = scale_levels(FOLLOW_UP_FRAMEWORK[FollowUpKind.THEME])
    blocks: list[Block] = [
        *[Paragraph(text) for text in paragraphs_of(parts.about_text(report))],
        Heading("HMI Prisons' judgements of progress against recommendations", id="scale-hmip"),
        _level_definitions(hmip),
        Heading("Ofsted's judgements of progress in themes", id="scale-ofsted"),
        _level_definitions(ofsted),
    ]
    return blocks


def irp_document(report: Report) -> Document:
    event = report.event
    items = _follow_ups(event)
    recommendations = [i for i in items if i.kind == FollowUpKind.RECOMMENDATION]
    themes = [i for i in items if i.kind == FollowUpKind.THEME]
    practice = list(PositivePractice.objects.filter(event=event).order_by("position", "pk"))
    sections: tuple[Section, ...] = (
        _irp_summary(report),
        _irp_key_findings(event, recommendations, themes, practice),
        _irp_progress(recommendations, themes),
        _irp_judgements(recommendations, themes),
        _appendix(0, "About this report", _irp_about(report)),
        _appendix(1, "The inspection team", [_team_table(report)]),
    )
    glossary = parts.glossary_items(report, sections_text(sections))
    sections += (_appendix(2, "Glossary", [Definitions(items=tuple(glossary))]),)
    return _document(report, sections, author="by HM Chief Inspector of Prisons")


def sections_text(sections: Sequence[Section]) -> str:
    """The words of the sections, for finding the terms the glossary explains."""
    words: list[str] = []
    for section in sections:
        words.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph | Callout | Heading):
                words.append(block.text)
            elif isinstance(block, Table):
                words += [block.caption, *[cell for row in block.rows for cell in row]]
            elif isinstance(block, Figure):
                words.append(block.title)
    return "\n".join(words)


# Full inspection: Ofsted's findings and report (RP-2) ------------------------------------


@dataclass(frozen=True)
class Education:
    """The education judgements and Ofsted key concerns of a full inspection."""

    judgements: list[Judgement]
    concerns: list[Concern]
    purposeful_activity: Judgement | None
    levels: list[Level] = field(default_factory=list)

    @property
    def main(self) -> list[Judgement]:
        return [j for j in self.judgements if j.aspect.parent_id is None]

    def grade_table(self, number: str = "") -> Table:
        return Table(
            number=number,
            caption="Ofsted's judgements of education, skills and work",
            head=("Judgement", "Grade"),
            rows=tuple((j.aspect.title, j.level.label) for j in self.main)
            or (("Not yet judged", ""),),
            id="ofsted-grades",
        )


def education(event: Event) -> Education:
    judgements = list(
        Judgement.objects.filter(event=event, follow_up__isnull=True)
        .select_related("aspect", "level", "framework")
        .order_by("aspect__position")
    )
    hpt = [j for j in judgements if j.framework.slug == HEALTHY_PRISON_TESTS]
    graded = [j for j in judgements if j.framework.slug != HEALTHY_PRISON_TESTS]
    concerns = list(
        Concern.objects.filter(event=event, kind=ConcernKind.OFSTED_KEY)
        .prefetch_related("recommendations")
        .order_by("position", "pk")
    )
    levels = (
        list(Level.objects.filter(scale=graded[0].level.scale).order_by("position"))
        if graded
        else []
    )
    return Education(
        judgements=graded,
        concerns=concerns,
        purposeful_activity=next((j for j in hpt if j.aspect.code == "PA"), None),
        levels=levels,
    )


def _concern_blocks(concerns: Sequence[Concern], number: Numbering) -> list[Block]:
    """Each key concern a numbered paragraph, its recommendations under it."""
    blocks: list[Block] = []
    for concern in concerns:
        blocks.append(
            Callout(
                "Key concern",
                concern.text,
                reference=concern.paragraph_reference,
                number=number.next(),
            )
        )
        for recommendation in concern.recommendations.all():
            blocks.append(
                Callout(
                    "Recommendation",
                    recommendation.text,
                    reference=recommendation.paragraph_reference,
                    strong=True,
                )
            )
    if not blocks:
        blocks.append(Paragraph("Ofsted identified no key concerns."))
    return blocks


def ofsted_findings_document(report: Report) -> Document:
    event = report.event
    found = education(event)
    number = Numbering(PURPOSEFUL_ACTIVITY_SECTION)
    blocks: list[Block] = [
        Heading("Education, skills and work activities", id="education-skills-work"),
        number(
            "This part of the report is written by Ofsted inspectors using Ofsted's "
            "inspection framework, so that it can be published in the purposeful activity "
            "section of HMI Prisons' report. The full Ofsted report is published alongside it."
        ),
    ]
    if found.purposeful_activity is not None:
        blocks.append(
            number(
                "HMI Prisons judged outcomes for prisoners in purposeful activity to be "
                f"{lower_first(found.purposeful_activity.level.label)}."
            )
        )
    blocks += [
        number(
            "Ofsted made the following assessments about the education, skills and work provision:"
        ),
        found.grade_table(number.next()),
    ]
    blocks += [
        *[number(text) for text in paragraphs_of(report.summary)],
        Heading("Ofsted's key concerns", id="ofsted-key-concerns"),
        *_concern_blocks(found.concerns, number),
    ]
    for judgement in found.main:
        for text in paragraphs_of(judgement.rationale):
            blocks.append(number(text))
    section = Section(
        id=f"section-{PURPOSEFUL_ACTIVITY_SECTION}",
        label=f"Section {PURPOSEFUL_ACTIVITY_SECTION}",
        title="Purposeful activity",
        blocks=tuple(blocks),
    )
    return _document(report, (section,), author="by Ofsted, for HM Chief Inspector of Prisons")


def ofsted_report_document(report: Report) -> Document:
    event = report.event
    found = education(event)
    establishment = event.establishment
    information = Table(
        caption="Information about the establishment",
        head=("", ""),
        rows=(
            ("Establishment", establishment.name),
            ("Type", establishment.function or establishment.get_kind_display()),
            ("Operator", establishment.operator or "Public sector"),
            ("Inspection dates", date_range(event.starts_on, event.ends_on)),
        ),
        id="information",
    )
    summary = Numbering("2")
    summary_blocks: list[Block] = [
        found.grade_table(summary.next()),
        *[summary(text) for text in paragraphs_of(report.summary)],
    ]
    if not report.summary.strip():
        summary_blocks.append(Paragraph("The summary of key findings has not yet been written."))
    findings = Numbering("4")
    main_blocks: list[Block] = []
    for judgement in found.judgements:
        level = 3 if judgement.aspect.parent_id is None else 4
        main_blocks.append(
            Heading(
                f"{judgement.aspect.title}: {judgement.level.label}",
                level=level,
                id=f"aspect-{judgement.aspect.code.lower()}",
            )
        )
        main_blocks += [findings(text) for text in paragraphs_of(judgement.rationale)]
    if not main_blocks:
        main_blocks.append(Paragraph("No judgements have been recorded."))
    sections = (
        _section(1, "Information about the establishment", [information]),
        _section(2, "Summary of key findings", summary_blocks),
        _section(
            3,
            "What the provider needs to do to improve",
            _concern_blocks(found.concerns, Numbering("3")),
        ),
        _section(4, "Main findings", main_blocks),
        _appendix(
            0,
            "About this report",
            [
                Paragraph(
                    "Ofsted inspects education, skills and work in prisons in England as part "
                    "of HMI Prisons' full inspections. Its findings summary is published in "
                    "the purposeful activity section of HMI Prisons' report, with this full "
                    "text alongside it."
                ),
                Heading("Grades", id="grades"),
                _level_definitions(found.levels),
            ],
        ),
        _appendix(1, "The inspection team", [_team_table(report)]),
    )
    return _document(report, sections, author="by Ofsted")


# Entry points ----------------------------------------------------------------------------


def _document(report: Report, sections: Sequence[Section], *, author: str) -> Document:
    event = report.event
    name = event.establishment.name
    short = {
        ReportKind.IRP_REPORT: "Independent review of progress",
        ReportKind.OFSTED_FINDINGS: "Ofsted findings: purposeful activity",
        ReportKind.OFSTED_REPORT: "Ofsted report",
    }[ReportKind(report.kind)]
    published = report.stage == ReportStage.PUBLISHED
    sections = _figures_numbered(_linked(sections))
    return Document(
        kind=report.kind,
        title=_title(event, report.kind),
        establishment=name,
        author=author,
        dates=date_range(event.starts_on, event.ends_on),
        running_header=f"{short}: {name}",
        draft=not published,
        stage=report.get_stage_display(),
        sections=tuple(sections),
        published_on=long_date(report.published_on) if report.published_on else "",
    )


def _linked(sections: Sequence[Section]) -> list[Section]:
    """Cross-references to paragraphs of this document become links (and, in the PDF,
    page references)."""
    numbers = {
        b.number for s in sections for b in s.blocks if isinstance(b, Paragraph | Callout | Table)
    }
    return [
        replace(
            section,
            blocks=tuple(
                replace(b, linked=True)
                if isinstance(b, Paragraph) and b.reference in numbers
                else b
                for b in section.blocks
            ),
        )
        for section in sections
    ]


def _figures_numbered(sections: Sequence[Section]) -> list[Section]:
    """Figures numbered in the order they appear (Figure 1 of the summary, when there is
    one, moves the key findings' figures on)."""
    counter = iter(range(1, 1000))
    return [
        replace(
            section,
            blocks=tuple(
                replace(b, number=next(counter)) if isinstance(b, Figure) else b
                for b in section.blocks
            ),
        )
        for section in sections
    ]


BUILDERS: dict[str, Callable[[Report], Document]] = {
    ReportKind.IRP_REPORT: irp_document,
    ReportKind.OFSTED_FINDINGS: ofsted_findings_document,
    ReportKind.OFSTED_REPORT: ofsted_report_document,
}


def build(report: Report) -> Document:
    """The document of `report`, from the record as it is now (and the report's fields as
    they are on this instance, saved or not: publication freezes the HTML before saving)."""
    return BUILDERS[report.kind](report)


def render_document(document: Document, *, for_pdf: bool = False) -> SafeString:
    return render_to_string(
        "reports/documents/document.html", {"document": document, "for_pdf": for_pdf}
    )


def document_html(report: Report, *, for_pdf: bool = False) -> str:
    """The document as an <article>, safe to embed in a page (and the published snapshot)."""
    return render_document(build(report), for_pdf=for_pdf)


def paragraph_numbers(report: Report) -> list[str]:
    """The numbered paragraphs ('3.1', ...) a factual-accuracy comment can refer to."""
    return build(report).paragraph_numbers


def report_article(
    report: Report, *, document: Document | None = None, for_pdf: bool = False
) -> SafeString:
    """A published report shows its frozen snapshot; any other, the record as it is now
    (`document`: already built from it, to build it once). Either is the auto-escaped
    output of document.html, so it is embedded as it is."""
    if report.stage == ReportStage.PUBLISHED and report.published_html:
        # Only services.report_publish writes the snapshot, from document_html.
        return mark_safe(report.published_html)
    return render_document(document or build(report), for_pdf=for_pdf)
