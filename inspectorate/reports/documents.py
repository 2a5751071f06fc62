"""The documents a report is made of, built from what the team recorded.

A builder per ReportKind turns the record into a `Document`: sections of blocks (headings,
numbered paragraphs, concern and recommendation boxes, figures with their data tables,
tables). One template (reports/documents/document.html) renders a Document as an <article>
for the page, the published snapshot and the PDF; docx_export.py writes the same Document
as Word. Numbered paragraphs carry stable anchors ("para-3-2"): factual-accuracy comments
refer to them by number.

The structure and fixed wording of each kind come from its house style (house_style.py,
data/house-style/*.json): the builders put the record into it, and a new wording is a new
file. IRP reports follow HMI Prisons' published structure and count judgements per scale,
show them as figures with text alternatives, list notable positive practice and end with a
summary of every judgement (RP-6), in the published wording: each count sentence names every
level of its scale, best first, zeros included; the closing judgement of each item is a
numbered paragraph; cross-references are links to a paragraph, resolved to its current
number by `resolve_references` for the page, the PDF and Word alike (RP-7). A full
inspection gives Ofsted's findings summary for the 'Purposeful activity' section and the
full Ofsted text published alongside (RP-2).
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
from inspectorate.inspections.models import (
    Concern,
    FollowUp,
    Judgement,
    PositivePractice,
    Recommendation,
)
from inspectorate.lib.wording import count_noun, long_date, lower_first
from inspectorate.programme.models import Event, today
from inspectorate.reports import charts, parts
from inspectorate.reports.constants import ReportKind, ReportStage
from inspectorate.reports.house_style import HouseStyle, house_style
from inspectorate.reports.models import Report

EN_DASH = "\u2013"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


# The document model ----------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 3
    id: str = ""
    block: str = "heading"


class _MayBeNumbered:
    """A block that may be a numbered paragraph (`number`, "3.2"), which comments refer to."""

    number: str

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.number) if self.number else ""


@dataclass(frozen=True)
class Paragraph(_MayBeNumbered):
    """A paragraph; `number` ("3.2") when numbered, `reference` a paragraph it points to.

    A cross-reference is stored as a link, not a number: `target` is the `key` of the
    paragraph it points to, and `resolve_references` fills in `reference` with that
    paragraph's number as the document numbers it now. `see` is the wording before it
    ("See paragraph")."""

    text: str
    number: str = ""
    reference: str = ""
    style: str = ""  # "", "strong" (bold), "lead" (a judgement or a standfirst)
    linked: bool = False  # `reference` is a paragraph of this document
    key: str = ""  # a stable id of this paragraph, for cross-references to it
    target: str = ""  # the key of the paragraph this one refers to
    see: str = ""
    block: str = "paragraph"

    @property
    def reference_text(self) -> str:
        """'See paragraph 3.4', or 'paragraph 1.22' for a reference to another report."""
        return f"{self.see or 'paragraph'} {self.reference}"

    @property
    def reference_anchor(self) -> str:
        return paragraph_anchor(self.reference) if self.reference else ""


@dataclass(frozen=True)
class Callout(_MayBeNumbered):
    """A concern, recommendation or theme as HMI Prisons sets it out: a label, the text,
    and the paragraph of the full inspection report it comes from."""

    label: str
    text: str
    reference: str = ""
    strong: bool = False
    number: str = ""  # a key concern is a numbered paragraph (factual-accuracy comments)
    block: str = "callout"


@dataclass(frozen=True)
class Table(_MayBeNumbered):
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # the columns holding numbers
    id: str = ""
    number: str = ""  # a numbered paragraph of its own (the grade table: comments refer to it)
    block: str = "table"


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

    def description(self) -> str:
        """The chart's data in words: its alternative text in the PDF and in Word."""
        return charts.describe(self.slices)


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

    def description(self) -> str:
        return charts.describe_bars(*self._series())

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
    house_style: str = ""  # "irp_report 2026.1": the house style it was built in

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


def _count(style: HouseStyle, n: int, noun: str) -> str:
    """'two recommendations', 'one theme', or for none 'none of the recommendations'."""
    if n == 0:
        return style.says("count_zero", plural=noun + "s")
    return count_words(n, noun)


def tally_sentence(found: Tally, style: HouseStyle) -> str:
    """RP-7: every level of the scale in order, best first, zeros included, each count in
    words: 'HMI Prisons judged that there was good progress in two recommendations, ...
    and no meaningful progress in none of the recommendations.' Items not yet judged are
    counted apart; with none judged at all, the sentence says so."""
    kind = FollowUpKind(found.kind)
    noun = "recommendation" if kind == FollowUpKind.RECOMMENDATION else "theme"
    if not any(found.counts):
        return style.says(f"count_none_judged_{noun}")
    parts = [
        style.says("count_part", level=lower_first(level.label), count=_count(style, n, noun))
        for level, n in zip(found.levels, found.counts, strict=True)
    ]
    counts = listed(parts)
    if found.unjudged:
        verb = "has" if found.unjudged == 1 else "have"
        unjudged = style.says("count_unjudged", count=count_words(found.unjudged, noun), verb=verb)
        counts = f"{counts}; {unjudged}"
    return style.says(f"count_sentence_{noun}", counts=counts)


def closing_sentence(item: FollowUp, style: HouseStyle) -> str:
    """The judgement that closes an item's part of Section 3, a numbered paragraph (RP-7)."""
    judgement = judgement_of(item)
    if judgement is None:
        return style.says("closing_unjudged")
    progress = lower_first(judgement.level.label)
    return style.says(f"closing_{item.kind}", progress=progress)


# Shared parts ----------------------------------------------------------------------------


def style_for(report: Report) -> HouseStyle:
    """The house style a report is built in: a published report keeps the version it was
    published in (while that file is shipped); any other takes the version in force."""
    version = report.house_style_version if report.stage == ReportStage.PUBLISHED else ""
    return house_style(report.kind, on=today(), version=version.rpartition(" ")[2])


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


def _section_id(label: str) -> str:
    """'Section 3' -> 'section-3', 'Appendix II' -> 'appendix-2': the anchors stay numeric."""
    word, _, number = label.partition(" ")
    if word == "Appendix" and number in ROMAN:
        number = str(ROMAN.index(number) + 1)
    return f"{word.lower()}-{number.lower()}"


def _styled(style: HouseStyle, key: str, blocks: Sequence[Block]) -> Section:
    """The section `key` of the house style, with its label and title, holding `blocks`."""
    section = style.section(key)
    return Section(
        id=_section_id(section.label), label=section.label, title=section.title, blocks=(*blocks,)
    )


def _numbered(style: HouseStyle, key: str) -> str:
    """The number its paragraphs carry: '3' for 'Section 3'."""
    return style.section(key).label.rpartition(" ")[2]


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


def _irp_summary(report: Report, style: HouseStyle) -> Section:
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
    return _styled(style, "summary", blocks)


def _outcomes_figure(report: Report, outcomes: parts.Outcomes) -> OutcomesFigure:
    name = report.event.establishment.name
    when = listed([inspection.label for inspection in outcomes.inspections])
    return OutcomesFigure(
        number=1,
        title=f"{name} healthy prison outcomes at the full inspections of {when}",
        slices=(),
        outcomes=outcomes,
    )


def _previous(event: Event, style: HouseStyle) -> str:
    full = event.follows_up
    return parts.inspection_month(full) if full else style.says("inspection_unknown")


def _irp_key_findings(
    event: Event,
    style: HouseStyle,
    recommendations: Sequence[FollowUp],
    themes: Sequence[FollowUp],
    practice: Sequence[PositivePractice],
) -> Section:
    number = Numbering(_numbered(style, "key_findings"))
    inspection = _previous(event, style)
    opening = style.says(
        "opening",
        recommendations=count_words(len(recommendations), "recommendation"),
        inspection=inspection,
    )
    if themes:
        opening += style.says("opening_themes", themes=count_words(len(themes), "theme"))
    blocks: list[Block] = [number(opening + ".")]
    figure = 0
    for kind, items in (
        (FollowUpKind.RECOMMENDATION, recommendations),
        (FollowUpKind.THEME, themes),
    ):
        if not items:
            continue
        found = tally(kind, items)
        figure += 1
        title = style.says(f"figure_{kind}", inspection=inspection, n=len(items))
        blocks += [number(tally_sentence(found, style)), Figure(figure, title, found.slices)]
    blocks += _positive_practice(number, style, practice)
    return _styled(style, "key_findings", blocks)


def paragraph_key(item_pk: int, index: int) -> str:
    """The stable id of the `index`th numbered paragraph (from 1) of a follow-up's part of
    Section 3, its closing judgement included: what a cross-reference stores."""
    return f"follow-up-{item_pk}-{index}"


def _positive_practice(
    number: Numbering, style: HouseStyle, practice: Sequence[PositivePractice]
) -> list[Block]:
    blocks: list[Block] = [
        Heading(style.says("practice_heading"), id="notable-positive-practice"),
        number(style.says("practice_definition")),
    ]
    if not practice:
        blocks.append(number(style.says("practice_none")))
        return blocks
    blocks.append(number(style.says("practice_count", count=count_words(len(practice), "example"))))
    see = style.says("cross_reference")
    for item in practice:
        if item.follow_up_id is not None and item.paragraph:
            target = paragraph_key(item.follow_up_id, item.paragraph)
            blocks.append(number(item.text, target=target, see=see))
        else:  # not linked (an imported record): its reference as written
            blocks.append(number(item.text, reference=item.paragraph_reference, see=see))
    return blocks


def _item_heading(item: FollowUp, index: int, style: HouseStyle) -> Heading:
    """RP-7: a recommendation is headed by its area ('Safety'), a theme by its number."""
    if item.kind == FollowUpKind.THEME:
        return Heading(style.says("theme_heading", index=index), level=4, id=f"theme-{index}")
    area = item.recommendation.area.strip() if item.recommendation else ""
    text = area or style.says("area_missing", index=index)
    return Heading(text, level=4, id=f"recommendation-{index}")


def _item_paragraphs(number: Numbering, item: FollowUp, style: HouseStyle) -> list[Block]:
    """The narrative's paragraphs and the closing judgement, each numbered (RP-7), each with
    its stable key for cross-references."""
    texts = [*item.paragraphs, closing_sentence(item, style)]
    last = len(texts)
    return [
        number(text, key=paragraph_key(item.pk, index), style="lead" if index == last else "")
        for index, text in enumerate(texts, start=1)
    ]


def _recommendation_callout(recommendation: Recommendation) -> Callout:
    """A recommendation in bold, with the paragraph of the report it comes from."""
    return Callout(
        "Recommendation",
        recommendation.text,
        reference=recommendation.paragraph_reference,
        strong=True,
    )


def _recommendation_blocks(
    number: Numbering, item: FollowUp, index: int, style: HouseStyle
) -> list[Block]:
    recommendation = item.recommendation
    blocks: list[Block] = [_item_heading(item, index, style)]
    if recommendation is not None:
        concern: Concern | None = recommendation.concern
        if concern is not None:
            blocks.append(Callout("Concern", concern.text, reference=concern.paragraph_reference))
        blocks.append(_recommendation_callout(recommendation))
    return blocks + _item_paragraphs(number, item, style)


def _theme_blocks(number: Numbering, item: FollowUp, index: int, style: HouseStyle) -> list[Block]:
    blocks: list[Block] = [
        _item_heading(item, index, style),
        Callout("Theme", item.theme, reference=item.paragraph_reference, strong=True),
    ]
    sources = sorted(
        (r.paragraph_reference for r in item.from_recommendations.all()), key=_reference_key
    )
    if sources:
        noun = "recommendation" if len(sources) == 1 else "recommendations"
        blocks.append(
            Paragraph(style.says("theme_sources", recommendations=f"{noun} {listed(sources)}"))
        )
    return blocks + _item_paragraphs(number, item, style)


def _reference_key(reference: str) -> tuple[int, ...]:
    """'1.12' after '1.9'."""
    return tuple(int(part) if part.isdigit() else 0 for part in reference.split("."))


def _irp_progress(
    style: HouseStyle, recommendations: Sequence[FollowUp], themes: Sequence[FollowUp]
) -> Section:
    number = Numbering(_numbered(style, "progress"))
    blocks: list[Block] = []
    if recommendations:
        blocks.append(
            Heading(style.says("progress_recommendations_heading"), id="progress-recommendations")
        )
        for index, item in enumerate(recommendations, start=1):
            blocks += _recommendation_blocks(number, item, index, style)
    if themes:
        blocks.append(Heading(style.says("progress_themes_heading"), id="progress-themes"))
        for index, item in enumerate(themes, start=1):
            blocks += _theme_blocks(number, item, index, style)
    if not blocks:
        blocks.append(Paragraph(style.says("progress_none")))
    return _styled(style, "progress", blocks)


def _judgement_label(item: FollowUp) -> str:
    judgement = judgement_of(item)
    return judgement.level.label if judgement else "Not yet judged"


def _irp_judgements(
    style: HouseStyle, recommendations: Sequence[FollowUp], themes: Sequence[FollowUp]
) -> Section:
    blocks: list[Block] = [Paragraph(style.says("judgements_introduction"))]
    if recommendations:
        blocks.append(
            Table(
                caption=style.says("judgements_recommendations_caption"),
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
                caption=style.says("judgements_themes_caption"),
                head=("Theme", "Judgement"),
                rows=tuple((item.theme, _judgement_label(item)) for item in themes),
                id="summary-themes",
            )
        )
    return _styled(style, "judgements", blocks)


def _irp_about(report: Report, style: HouseStyle) -> list[Block]:
    hmip = scale_levels(FOLLOW_UP_FRAMEWORK[FollowUpKind.RECOMMENDATION])
    ofsted = scale_levels(FOLLOW_UP_FRAMEWORK[FollowUpKind.THEME])
    return [
        *[Paragraph(text) for text in paragraphs_of(parts.about_text(report))],
        Heading(style.says("about_scale_recommendations"), id="scale-hmip"),
        _level_definitions(hmip),
        Heading(style.says("about_scale_themes"), id="scale-ofsted"),
        _level_definitions(ofsted),
    ]


def irp_document(report: Report) -> Document:
    event = report.event
    style = style_for(report)
    items = _follow_ups(event)
    recommendations = [i for i in items if i.kind == FollowUpKind.RECOMMENDATION]
    themes = [i for i in items if i.kind == FollowUpKind.THEME]
    practice = list(PositivePractice.objects.filter(event=event).order_by("position", "pk"))
    sections: tuple[Section, ...] = (
        _irp_summary(report, style),
        _irp_key_findings(event, style, recommendations, themes, practice),
        _irp_progress(style, recommendations, themes),
        _irp_judgements(style, recommendations, themes),
        _styled(style, "about", _irp_about(report, style)),
        _styled(style, "team", [_team_table(report)]),
    )
    glossary = parts.glossary_items(report, sections_text(sections))
    sections += (_styled(style, "glossary", [Definitions(items=tuple(glossary))]),)
    return _document(report, style, sections)


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

    def grade_table(self, caption: str, number: str = "") -> Table:
        return Table(
            number=number,
            caption=caption,
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


def _concern_blocks(
    concerns: Sequence[Concern], number: Numbering, style: HouseStyle
) -> list[Block]:
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
            blocks.append(_recommendation_callout(recommendation))
    if not blocks:
        blocks.append(Paragraph(style.says("concerns_none")))
    return blocks


def ofsted_findings_document(report: Report) -> Document:
    event = report.event
    style = style_for(report)
    found = education(event)
    number = Numbering(_numbered(style, "purposeful_activity"))
    blocks: list[Block] = [
        Heading(style.says("heading"), id="education-skills-work"),
        number(style.says("introduction")),
    ]
    if found.purposeful_activity is not None:
        outcome = lower_first(found.purposeful_activity.level.label)
        blocks.append(number(style.says("purposeful_activity", judgement=outcome)))
    blocks += [
        number(style.says("assessments")),
        found.grade_table(style.says("grade_caption"), number.next()),
        *[number(text) for text in paragraphs_of(report.summary)],
        Heading(style.says("concerns_heading"), id="ofsted-key-concerns"),
        *_concern_blocks(found.concerns, number, style),
    ]
    for judgement in found.main:
        for text in paragraphs_of(judgement.rationale):
            blocks.append(number(text))
    return _document(report, style, (_styled(style, "purposeful_activity", blocks),))


def ofsted_report_document(report: Report) -> Document:
    event = report.event
    style = style_for(report)
    found = education(event)
    establishment = event.establishment
    information = Table(
        caption=style.says("information_caption"),
        head=("", ""),
        rows=(
            ("Establishment", establishment.name),
            ("Type", establishment.function or establishment.get_kind_display()),
            ("Operator", establishment.operator or "Public sector"),
            ("Inspection dates", date_range(event.starts_on, event.ends_on)),
        ),
        id="information",
    )
    summary = Numbering(_numbered(style, "summary"))
    summary_blocks: list[Block] = [
        found.grade_table(style.says("grade_caption"), summary.next()),
        *[summary(text) for text in paragraphs_of(report.summary)],
    ]
    if not report.summary.strip():
        summary_blocks.append(Paragraph(style.says("summary_missing")))
    findings = Numbering(_numbered(style, "findings"))
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
        main_blocks.append(Paragraph(style.says("findings_none")))
    about: list[Block] = [
        Paragraph(style.says("about")),
        Heading(style.says("grades_heading"), id="grades"),
        _level_definitions(found.levels),
    ]
    sections = (
        _styled(style, "information", [information]),
        _styled(style, "summary", summary_blocks),
        _styled(style, "improve", _concern_blocks(found.concerns, Numbering("3"), style)),
        _styled(style, "findings", main_blocks),
        _styled(style, "about", about),
        _styled(style, "team", [_team_table(report)]),
    )
    return _document(report, style, sections)


# Entry points ----------------------------------------------------------------------------


def _document(report: Report, style: HouseStyle, sections: Sequence[Section]) -> Document:
    event = report.event
    name = event.establishment.name
    published = report.stage == ReportStage.PUBLISHED
    sections = _figures_numbered(sections)
    short = style.says("short_title")
    return Document(
        kind=report.kind,
        title=style.says("title", establishment=name),
        establishment=name,
        author=style.says("author"),
        dates=date_range(event.starts_on, event.ends_on),
        running_header=f"{short}: {name}",
        draft=not published,
        stage=report.get_stage_display(),
        sections=tuple(resolve_references(sections)),
        published_on=long_date(report.published_on) if report.published_on else "",
        house_style=style.name,
    )


def resolve_references(sections: Sequence[Section]) -> list[Section]:
    """Every cross-reference gets the current number of the paragraph it links to (RP-7).

    The one place numbers are resolved: the page, the published snapshot, the PDF and the
    Word export all render the Document `build` returns, so they all say the same number.
    A link whose paragraph is gone (the narrative shortened, the follow-up removed) says
    nothing rather than a wrong number; a reference written as text to a paragraph of this
    document becomes a link too."""
    by_key = {
        b.key: b.number
        for s in sections
        for b in s.blocks
        if isinstance(b, Paragraph) and b.key and b.number
    }
    numbers = set(by_key.values()) | {
        b.number
        for s in sections
        for b in s.blocks
        if isinstance(b, Paragraph | Callout | Table) and b.number
    }

    def resolved(block: Block) -> Block:
        if not isinstance(block, Paragraph):
            return block
        if block.target:
            number = by_key.get(block.target, "")
            return replace(block, reference=number, linked=bool(number))
        if block.reference in numbers:
            return replace(block, linked=True)
        return block

    return [
        replace(section, blocks=tuple(resolved(b) for b in section.blocks)) for section in sections
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
