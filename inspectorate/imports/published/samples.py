"""Sample HMI Prisons reports in the published structure, for the importer's tests and the bench.

A sample is plain data (`FullSample`, `IrpSample`): the truth a parser must find. Each renders
the way published reports are made and read: PDF from HTML through WeasyPrint (title page,
contents with page numbers, running header, page numbers, footnotes, figures as images whose
captions stay in the text), Word through python-docx, and plain text as a PDF-to-text tool
leaves it (form feeds between pages, the running header and page number on every page, so
inside paragraphs that cross a page). No database and no test dependencies: the bench and
other helpers import it too; establishments are passed in by name.
"""

from __future__ import annotations

import base64
import io
import random
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from inspectorate.lib.wording import long_date

HEALTHY_PRISON_TESTS = (
    "Safety",
    "Respect",
    "Purposeful activity",
    "Rehabilitation and release planning",
)
SCORE_WORDS = {4: "good", 3: "reasonably good", 2: "not sufficiently good", 1: "poor"}
HMIP_LEVELS: tuple[str, ...] = ("good progress", "reasonable progress", "insufficient progress")
HMIP_LEVELS += ("no meaningful progress",)
OFSTED_LEVELS = ("significant progress", "reasonable progress", "insufficient progress")
# The section of a full report each area's paragraphs are numbered in.
AREA_SECTIONS = {
    "Leadership": 2,
    "Safety": 3,
    "Respect": 4,
    "Purposeful activity": 5,
    "Rehabilitation and release planning": 6,
}
OFSTED_AREA = "Purposeful activity"
EN_DASH = "\u2013"

# Concerns and recommendations in the published style, written for these samples.
BANK: dict[str, list[tuple[str, str]]] = {
    "Leadership": [
        (
            "Leaders had not set out a clear plan to address the weaknesses found at the "
            "last inspection, and too few actions had been completed.",
            "Leaders should set out and carry through a plan, with measurable targets, to "
            "address the concerns raised in this report.",
        ),
        (
            "Data were not used well enough to understand outcomes for different groups "
            "of prisoners.",
            "Leaders should use data routinely to identify and act on disproportionate "
            "outcomes for any group of prisoners.",
        ),
    ],
    "Safety": [
        (
            "Levels of violence were high and had risen since the last inspection, and "
            "many prisoners told us they felt unsafe.",
            "Leaders should analyse the causes of violence and put in place actions that "
            "reduce it and help prisoners to feel safe.",
        ),
        (
            "Self-harm had increased markedly, and case management for prisoners at risk "
            "of suicide or self-harm was weak.",
            "Prisoners at risk of suicide or self-harm should receive consistent, good "
            "quality case management and care.",
        ),
        (
            "Illicit drugs were easy to obtain and the mandatory drug testing rate was "
            "among the highest in comparable prisons.",
            "Leaders should implement a drug strategy that reduces both the supply of and "
            "demand for illicit drugs.",
        ),
        (
            "First night arrangements were poor and new arrivals were not always seen by "
            "a peer supporter.",
            "All new arrivals should receive a thorough first night risk interview and "
            "support from trained peers.",
        ),
    ],
    "Respect": [
        (
            "Cells designed for one prisoner held two, with screened toilets that were "
            "filthy and poorly ventilated.",
            "Prisoners should live in clean, decent cells with adequately screened and "
            "ventilated toilets.",
        ),
        (
            "Prisoners waited too long for external hospital appointments, which were often "
            "cancelled because escorts were not available.",
            "Prisoners should receive timely access to external hospital care, with "
            "escorts provided for every clinically necessary appointment.",
        ),
        (
            "Complaints were not answered on time and replies often failed to address the "
            "issue raised.",
            "Complaints should be answered promptly and fully, and leaders should quality "
            "assure the replies.",
        ),
    ],
    "Purposeful activity": [
        (
            "Too many prisoners were locked in their cells for more than 22 hours a day.",
            "Leaders should provide a regime that allows all prisoners to spend a reasonable "
            "amount of time out of their cells.",
        ),
        (
            "The library was closed for long periods and few prisoners could use it.",
            "All prisoners should have regular access to the library.",
        ),
    ],
    "Rehabilitation and release planning": [
        (
            "There was a large backlog of offender assessment system reviews, and too many "
            "prisoners did not have a current sentence plan.",
            "All prisoners should have an up-to-date assessment of their risks and needs, "
            "and a sentence plan that supports their progression.",
        ),
        (
            "Too many prisoners were released without sustainable accommodation.",
            "Leaders should work with partners to reduce the number of prisoners released "
            "homeless or into temporary accommodation.",
        ),
        (
            "Public protection arrangements were weak, and contact restrictions were not "
            "applied promptly.",
            "Leaders should make sure that public protection measures are applied as soon "
            "as a prisoner arrives and reviewed regularly.",
        ),
    ],
}

OFSTED_BANK: list[tuple[str, str, str]] = [
    (
        "Leaders and managers had not ensured that there were enough education, skills "
        "and work places for the population.",
        "Leaders should provide enough activity places for all prisoners to engage in "
        "purposeful activity full time.",
        "What progress have leaders and managers made in increasing the number of "
        "prisoners who attend education, skills and work activities?",
    ),
    (
        "Too few prisoners were allocated to activities that met their needs and their "
        "career aspirations.",
        "Leaders should allocate prisoners to education, skills and work according to "
        "their identified needs and career aspirations.",
        "What progress have leaders and managers made in ensuring that prisoners are "
        "allocated to education, skills and work activities that meet their needs and "
        "their career aspirations on release?",
    ),
    (
        "The teaching of reading was not effective for prisoners who had low levels of literacy.",
        "Leaders should put in place a reading strategy that helps prisoners with low "
        "literacy to read fluently.",
        "What progress have leaders made in developing the reading skills of prisoners "
        "with low levels of literacy?",
    ),
    (
        "Attendance at education classes was low and too many sessions were cancelled.",
        "Leaders should improve attendance and reduce the number of cancelled sessions.",
        "What progress have leaders and managers made in improving prisoners' attendance "
        "at their education, skills and work activities?",
    ),
]

FILLER = [
    "Inspectors spoke to prisoners and staff across the residential units and reviewed a "
    "wide range of documents.",
    "The prison held {population} men at the time of the inspection, around a third of whom "
    "were on remand.",
    "Leaders had introduced a new weekly meeting to review incidents, but it was too early to "
    "see its impact.",
    "In our survey, fewer prisoners than at similar prisons said that staff treated them with "
    "respect.",
    "Recording on the electronic case notes system was inconsistent and sometimes missing "
    "altogether.",
    "Staffing shortfalls had affected the delivery of the regime, with frequent "
    "cancellations at short notice.",
    "The quality of assessments had improved since the last inspection, although some "
    "lacked analysis of the risks presented.",
    "Partnership work with the local health provider was constructive, and governance "
    "meetings were well attended.",
]
FOOTNOTES = [
    "HMPPS: His Majesty's Prison and Probation Service.",
    "Comparator figures are taken from prisons of the same type inspected in the last year.",
    "The offender assessment system (OASys) is used to assess the risks and needs of prisoners.",
]
POSITIVE_PRACTICE = [
    "The prison had introduced a peer-led welcome centre where new arrivals could speak to "
    "experienced prisoners in a calm setting.",
    "A weekly multidisciplinary clinic brought together health care, psychology and "
    "residential staff to plan care for the most complex prisoners.",
    "Prisoners on the drug recovery wing ran their own mutual aid meetings, supported by "
    "staff trained in recovery work.",
]
NARRATIVE = [
    "Leaders had developed an action plan after the inspection, and most of its actions "
    "were under way.",
    "The data showed some improvement in recent months, although the figures remained high "
    "compared with similar prisons.",
    "Staff we spoke to understood what was expected of them, but practice was still "
    "inconsistent across the wings.",
    "Oversight had improved, with a monthly meeting that reviewed each case and tracked "
    "actions to completion.",
    "Prisoners told us that they had noticed a difference, although some remained "
    "frustrated by delays.",
    "Quality assurance was now in place, and managers checked a sample of records each week.",
]

Judgement = str
Format = Literal["pdf", "docx", "text"]


@dataclass(frozen=True)
class SampleItem:
    """A concern of a full inspection and the recommendation that answers it. `concern_kind`
    is "priority", "key" or "ofsted_key"; `reference_style` "brackets" writes "(3.14)" after
    the recommendation, "paragraph" writes "(see paragraph 3.14)"."""

    area: str
    concern_kind: str
    concern: str
    concern_reference: str
    text: str
    reference: str
    reference_style: Literal["brackets", "paragraph"] = "brackets"
    theme: str = ""  # Ofsted only: the theme an IRP would follow this up as


@dataclass(frozen=True)
class FullSample:
    establishment: str
    starts_on: date
    ends_on: date
    published_on: date
    scores: dict[str, int]
    items: tuple[SampleItem, ...]
    headings_bold: bool = True
    population: int = 800
    kind: Literal["full"] = "full"

    @property
    def title(self) -> str:
        return f"Report on an unannounced inspection of {self.establishment}"

    @property
    def concerns_stated(self) -> tuple[int, int]:
        """(key concerns in all, of which priorities), HMI Prisons' own only."""
        own = [item for item in self.items if item.concern_kind != "ofsted_key"]
        return len(own), sum(item.concern_kind == "priority" for item in own)


@dataclass(frozen=True)
class SampleFollowUp:
    kind: Literal["recommendation", "theme"]
    title: str
    judgement: Judgement
    area: str = ""
    concern: str = ""
    follows_reference: str = ""
    paragraph_reference: str = ""  # where it sits in the IRP report; set on building
    narrative: tuple[str, ...] = ()


@dataclass(frozen=True)
class IrpSample:
    establishment: str
    starts_on: date
    ends_on: date
    published_on: date
    follows_starts_on: date
    follows_ends_on: date
    follow_ups: tuple[SampleFollowUp, ...]
    positive_practice: tuple[str, ...] = ()
    headings_bold: bool = True
    # Counts to print instead of the true ones (the "disagreeing count" case):
    # {("hmip", "good progress"): 3}.
    stated_overrides: dict[tuple[str, str], int] = field(default_factory=dict)
    kind: Literal["irp"] = "irp"

    @property
    def title(self) -> str:
        return f"Report on an independent review of progress at {self.establishment}"

    def counts(self, scale: Literal["hmip", "ofsted"]) -> dict[str, int]:
        """The count per level as the report states it (overrides applied)."""
        kind = "recommendation" if scale == "hmip" else "theme"
        levels = HMIP_LEVELS if scale == "hmip" else OFSTED_LEVELS
        found = {
            level: sum(f.kind == kind and f.judgement == level for f in self.follow_ups)
            for level in levels
        }
        for (override_scale, level), count in self.stated_overrides.items():
            if override_scale == scale:
                found[level] = count
        return found


Sample = FullSample | IrpSample


# Building samples ------------------------------------------------------------------------


def full_sample(
    establishment: str,
    starts_on: date,
    *,
    seed: int = 0,
    items: int = 12,
    priorities: int = 4,
    ofsted: int = 4,
    headings_bold: bool = True,
    out_of_order: bool = False,
    paragraph_style: bool = False,
) -> FullSample:
    """A full inspection of `establishment` starting on `starts_on` (fieldwork of 10 days)."""
    rng = random.Random(f"{establishment}:{seed}")
    pool = [(area, pair) for area, pairs in BANK.items() for pair in pairs]
    chosen = sorted(
        rng.sample(pool, min(items, len(pool))), key=lambda p: list(AREA_SECTIONS).index(p[0])
    )
    found: list[SampleItem] = []
    next_paragraph = dict.fromkeys(AREA_SECTIONS, 4)
    for index, (area, (concern, text)) in enumerate(chosen):
        section = AREA_SECTIONS[area]
        concern_at = next_paragraph[area] + rng.randint(1, 3)
        next_paragraph[area] = concern_at + 1
        found.append(
            SampleItem(
                area=area,
                concern_kind="priority" if index < priorities else "key",
                concern=concern,
                concern_reference=f"{section}.{concern_at}",
                text=text,
                reference=f"{section}.{concern_at + 1}",
                reference_style="paragraph" if paragraph_style and index % 3 == 1 else "brackets",
            )
        )
    if out_of_order:
        # A recommendation whose reference is earlier than the one before it, as happens
        # when a report is edited late.
        later = next(i for i in range(1, len(found)) if found[i].area == found[i - 1].area)
        found[later] = replace(found[later], reference=f"{AREA_SECTIONS[found[later].area]}.2")
    section = AREA_SECTIONS[OFSTED_AREA]
    for offset, (concern, text, theme) in enumerate(OFSTED_BANK[:ofsted]):
        at = 30 + 2 * offset
        found.append(
            SampleItem(
                area=OFSTED_AREA,
                concern_kind="ofsted_key",
                concern=concern,
                concern_reference=f"{section}.{at}",
                text=text,
                reference=f"{section}.{at + 1}",
                theme=theme,
            )
        )
    scores = {test: rng.randint(1, 3) for test in HEALTHY_PRISON_TESTS}
    return FullSample(
        establishment=establishment,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=rng.choice([9, 10, 11])),
        published_on=starts_on + timedelta(days=rng.randint(90, 120)),
        scores=scores,
        items=tuple(found),
        headings_bold=headings_bold,
        population=rng.randrange(400, 1400, 10),
    )


def irp_sample(
    full: FullSample,
    *,
    seed: int = 0,
    recommendations: int = 7,
    themes: int = 2,
    judgements: Sequence[Judgement] = (),
    theme_judgements: Sequence[Judgement] = (),
    positive_practice: int = 2,
    headings_bold: bool = True,
) -> IrpSample:
    """The IRP that follows `full`, about nine months later: `recommendations` of its HMI
    Prisons recommendations and `themes` of Ofsted's, judged as given (or at random)."""
    rng = random.Random(f"irp:{full.establishment}:{seed}")
    own = [item for item in full.items if item.concern_kind != "ofsted_key"]
    followed = own[:recommendations]
    chosen_themes = [item for item in full.items if item.concern_kind == "ofsted_key"][:themes]
    levels = list(judgements) or [rng.choice(HMIP_LEVELS) for _ in followed]
    theme_levels = list(theme_judgements) or [rng.choice(OFSTED_LEVELS) for _ in chosen_themes]
    follow_ups: list[SampleFollowUp] = []
    for index, (item, level) in enumerate(zip(followed, levels, strict=True)):
        follow_ups.append(
            SampleFollowUp(
                kind="recommendation",
                title=item.text,
                judgement=level,
                area=item.area,
                concern=item.concern,
                follows_reference=item.reference,
                narrative=_narrative(rng, 2 + index % 2),
            )
        )
    for item, level in zip(chosen_themes, theme_levels, strict=True):
        follow_ups.append(
            SampleFollowUp(
                kind="theme",
                title=item.theme,
                judgement=level,
                follows_reference=item.reference,
                narrative=_narrative(rng, 2),
            )
        )
    starts_on = full.ends_on + timedelta(days=rng.randint(240, 330))
    return IrpSample(
        establishment=full.establishment,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=2),
        published_on=starts_on + timedelta(days=rng.randint(30, 40)),
        follows_starts_on=full.starts_on,
        follows_ends_on=full.ends_on,
        follow_ups=_numbered(tuple(follow_ups)),
        positive_practice=tuple(POSITIVE_PRACTICE[:positive_practice]),
        headings_bold=headings_bold,
    )


def _narrative(rng: random.Random, paragraphs: int) -> tuple[str, ...]:
    return tuple(" ".join(rng.sample(NARRATIVE, 2)) for _ in range(paragraphs))


def _numbered(follow_ups: tuple[SampleFollowUp, ...]) -> tuple[SampleFollowUp, ...]:
    """Give each follow-up the paragraph number of its first narrative paragraph in the IRP:
    section 3 for recommendations, section 4 for themes."""
    numbered = []
    counters = {"recommendation": 0, "theme": 0}
    for item in follow_ups:
        section = 3 if item.kind == "recommendation" else 4
        first = counters[item.kind] + 1
        counters[item.kind] += len(item.narrative)
        numbered.append(replace(item, paragraph_reference=f"{section}.{first}"))
    return tuple(numbered)


def catalogue() -> dict[str, Sample]:
    """The named samples the tests parse in every format: real variety, not one template."""
    bedford = full_sample("HMP Bedford", date(2023, 5, 1), seed=1)
    altcourse = full_sample(
        "HMP/YOI Altcourse",
        date(2022, 11, 28),
        seed=2,
        items=14,
        priorities=5,
        headings_bold=False,
        out_of_order=True,
        paragraph_style=True,
    )
    return {
        "full-bedford": bedford,
        "full-altcourse": altcourse,
        "irp-bedford": irp_sample(
            bedford,
            seed=1,
            recommendations=6,
            themes=2,
            judgements=(
                "good progress",
                "reasonable progress",
                "reasonable progress",
                "insufficient progress",
                "good progress",
                "insufficient progress",
            ),
            theme_judgements=("significant progress", "insufficient progress"),
        ),
        # Seven recommendations and four themes, with zero counts written "none".
        "irp-altcourse": irp_sample(
            altcourse,
            seed=2,
            recommendations=7,
            themes=4,
            judgements=(
                "reasonable progress",
                "insufficient progress",
                "insufficient progress",
                "reasonable progress",
                "insufficient progress",
                "reasonable progress",
                "insufficient progress",
            ),
            theme_judgements=(
                "reasonable progress",
                "insufficient progress",
                "reasonable progress",
                "reasonable progress",
            ),
            positive_practice=1,
            headings_bold=False,
        ),
    }


def bench_samples(names: Sequence[str], count: int, *, first_year: int = 2022) -> Iterator[Sample]:
    """`count` distinct samples for a bench: a full inspection, then the IRP that follows it,
    for one establishment after another from `names` (the register's names)."""
    if not names:
        raise ValueError("Give at least one establishment name.")
    made = 0
    index = 0
    while made < count:
        name = names[index % len(names)]
        rounds = index // len(names)
        starts = date(first_year + rounds, 1, 10) + timedelta(days=(index * 17) % 300)
        full = full_sample(name, starts, seed=index, headings_bold=index % 2 == 0)
        yield full
        made += 1
        if made < count:
            yield irp_sample(full, seed=index, themes=index % 3)
            made += 1
        index += 1


# The document: one list of blocks, rendered three ways --------------------------------------


@dataclass(frozen=True)
class Block:
    kind: Literal["title", "contents", "section", "heading", "para", "figure"]
    text: str = ""
    number: str = ""  # a numbered paragraph's number, "3.12"
    label: str = ""  # "Recommendation", "Concern", "Theme 2", ...
    footnote: str = ""  # a footnote on the end of the paragraph's first sentence
    lines: tuple[str, ...] = ()


def date_range(starts_on: date, ends_on: date) -> str:
    """'1-12 May 2023', '28 February - 10 March 2023', '28 December 2022 - 6 January 2023',
    with en dashes as published."""
    end = f"{ends_on.day} {ends_on:%B} {ends_on.year}"
    if starts_on.year != ends_on.year:
        return f"{starts_on.day} {starts_on:%B} {starts_on.year} {EN_DASH} {end}"
    if starts_on.month != ends_on.month:
        return f"{starts_on.day} {starts_on:%B} {EN_DASH} {end}"
    return f"{starts_on.day}{EN_DASH}{end}"


NUMBER_WORDS = [
    "none",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
]


def _count(n: int, noun: str) -> str:
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    if n == 0:
        return "none"
    return f"{word} {noun}{'' if n == 1 else 's'}"


def _listed(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _section(blocks: list[Block], number: int, title: str) -> None:
    blocks.append(Block("section", f"Section {number} {title}"))


def _filler(rng: random.Random, population: int) -> str:
    return " ".join(rng.sample(FILLER, 3)).format(population=population)


def _title_page(report_on: str, sample: FullSample | IrpSample) -> Block:
    """The title page: what the report is on, the establishment, and when it was visited."""
    return Block(
        "title",
        lines=(
            report_on,
            sample.establishment,
            "by HM Chief Inspector of Prisons",
            date_range(sample.starts_on, sample.ends_on),
        ),
    )


def full_blocks(sample: FullSample) -> list[Block]:
    rng = random.Random(sample.establishment)
    name = sample.establishment
    total, priorities = sample.concerns_stated
    blocks = [
        _title_page("Report on an unannounced inspection of", sample),
        Block(
            "contents",
            lines=(
                "Introduction",
                f"What needs to improve at {name}",
                "Section 1 Summary of key findings",
                *(f"Section {n} {area}" for area, n in AREA_SECTIONS.items()),
                "Section 7 Summary of priority and key concerns and recommendations",
            ),
        ),
        Block("heading", "Introduction"),
        Block(
            "para",
            f"{name} was inspected over two weeks. This report sets out what we found and "
            f"what needs to improve. Published {long_date(sample.published_on)}.",
        ),
        Block("heading", f"What needs to improve at {name}"),
        Block(
            "para",
            f"During this inspection we identified {NUMBER_WORDS[total]} key concerns, of "
            f"which {NUMBER_WORDS[priorities]} should be treated as priorities. Priority "
            "concerns are those that are most important to improving outcomes for prisoners.",
        ),
    ]
    _section(blocks, 1, "Summary of key findings")
    outcomes = [
        f"{SCORE_WORDS[sample.scores[test]]} for {test.lower()}" for test in HEALTHY_PRISON_TESTS
    ]
    blocks += [
        Block("para", _filler(rng, sample.population), number="1.1"),
        Block(
            "para",
            f"Outcomes for prisoners at {name} were: {_listed(outcomes)}.",
            number="1.2",
        ),
        Block("figure", f"Figure 1: {name} healthy prison outcomes"),
    ]
    footnotes = iter(FOOTNOTES)
    for area, section in AREA_SECTIONS.items():
        _section(blocks, section, area)
        highest = max(
            [int(item.reference.split(".")[1]) for item in sample.items if item.area == area]
            + [
                int(item.concern_reference.split(".")[1])
                for item in sample.items
                if item.area == area
            ]
            + [6]
        )
        for paragraph in range(1, highest + 1):
            note = next(footnotes, "") if paragraph == 3 else ""
            blocks.append(
                Block(
                    "para",
                    _filler(rng, sample.population),
                    number=f"{section}.{paragraph}",
                    footnote=note,
                )
            )
            if paragraph == 2 and area == "Safety":
                blocks.append(Block("figure", "Figure 2: Assaults on staff and prisoners"))
    _section(blocks, 7, "Summary of priority and key concerns and recommendations")
    blocks.append(
        Block(
            "para",
            "This section lists the priority and key concerns in this report, each with the "
            "recommendation that answers it, under the area of the report where it is set out.",
        )
    )
    area = ""
    labels = {
        "priority": "Priority concern",
        "key": "Key concern",
        "ofsted_key": "Ofsted key concern",
    }
    for item in sample.items:
        if item.area != area:
            area = item.area
            blocks.append(Block("heading", area))
        blocks.append(
            Block(
                "para",
                f"{item.concern} (see paragraph {item.concern_reference})",
                label=labels[item.concern_kind],
            )
        )
        reference = (
            f"({item.reference})"
            if item.reference_style == "brackets"
            else f"(see paragraph {item.reference})"
        )
        blocks.append(Block("para", f"{item.text} {reference}", label="Recommendation"))
    return blocks


def _judgement_sentence(item: SampleFollowUp, index: int) -> str:
    if item.kind == "recommendation":
        if index % 2:
            return f"We considered that the prison had made {item.judgement} in this area."
        return f"We considered that there had been {item.judgement} against this recommendation."
    if index % 2:
        return f"Ofsted considered that there had been {item.judgement} in this theme."
    return f"Ofsted considered that the prison had made {item.judgement} against this theme."


def count_sentence(sample: IrpSample, scale: Literal["hmip", "ofsted"]) -> str:
    counts = sample.counts(scale)
    if scale == "hmip":
        parts = [f"{level} in {_count(n, 'recommendation')}" for level, n in counts.items()]
        return f"HMI Prisons judged that there was {_listed(parts)}."
    parts = [f"{level} in {_count(n, 'theme')}" for level, n in counts.items()]
    return f"Ofsted judged that there was {_listed(parts)}."


def irp_blocks(sample: IrpSample) -> list[Block]:
    name = sample.establishment
    recommendations = [f for f in sample.follow_ups if f.kind == "recommendation"]
    themes = [f for f in sample.follow_ups if f.kind == "theme"]
    blocks = [
        _title_page("Report on an independent review of progress at", sample),
        Block(
            "contents",
            lines=(
                "Section 1 Introduction",
                "Section 2 Key findings",
                "Section 3 Progress against the key concerns and recommendations",
                *(["Section 4 Progress in education, skills and work"] if themes else []),
                "Section 5 Summary of judgements",
            ),
        ),
    ]
    _section(blocks, 1, "Introduction")
    blocks += [
        Block(
            "para",
            "Independent reviews of progress (IRPs) assess how far a prison has implemented "
            "the recommendations of its last full inspection.",
            number="1.1",
            footnote=FOOTNOTES[0],
        ),
        Block(
            "para",
            f"This review followed up the recommendations of our full inspection of {name} "
            f"on {date_range(sample.follows_starts_on, sample.follows_ends_on)}, when we found "
            "outcomes for prisoners that were not good enough.",
            number="1.2",
        ),
    ]
    _section(blocks, 2, "Key findings")
    blocks += [
        Block(
            "para",
            f"At this IRP visit, we followed up {NUMBER_WORDS[len(recommendations)]} of the "
            "recommendations from the full inspection"
            + (f" and Ofsted followed up {NUMBER_WORDS[len(themes)]} themes." if themes else "."),
            number="2.1",
        ),
        Block(
            "figure", "Figure 1: Progress on HMI Prisons recommendations from the full inspection"
        ),
        Block("heading", "Notable positive practice"),
        Block(
            "para",
            "We define notable positive practice as evidence of our expectations being met to "
            "deliver particularly good outcomes for prisoners, which other prisons may learn from.",
            number="2.2",
        ),
    ]
    if sample.positive_practice:
        for offset, text in enumerate(sample.positive_practice):
            blocks.append(Block("para", text, number=f"2.{3 + offset}"))
    _section(blocks, 3, "Progress against the key concerns and recommendations")
    blocks.append(
        Block(
            "para",
            "The following provides a brief description of our findings in relation to each "
            "recommendation followed up from the full inspection.",
        )
    )
    blocks += _follow_up_blocks(recommendations, section=3)
    if themes:
        _section(blocks, 4, "Progress in education, skills and work")
        blocks += _follow_up_blocks(themes, section=4)
    _section(blocks, 5, "Summary of judgements")
    blocks.append(Block("para", count_sentence(sample, "hmip")))
    if themes:
        blocks.append(Block("para", count_sentence(sample, "ofsted")))
    blocks.append(Block("figure", "Figure 2: Summary of judgements"))
    return blocks


def _follow_up_blocks(items: Sequence[SampleFollowUp], *, section: int) -> list[Block]:
    blocks: list[Block] = []
    area = ""
    paragraph = 0
    for index, item in enumerate(items):
        if item.kind == "recommendation":
            if item.area != area:
                area = item.area
                blocks.append(Block("heading", area))
            blocks.append(Block("para", item.concern, label="Concern"))
            blocks.append(
                Block("para", f"{item.title} ({item.follows_reference})", label="Recommendation")
            )
            blocks.append(Block("para", "", label="What we found"))
        else:
            blocks.append(
                Block(
                    "para", f"{item.title} ({item.follows_reference})", label=f"Theme {index + 1}"
                )
            )
        for text in item.narrative:
            paragraph += 1
            blocks.append(Block("para", text, number=f"{section}.{paragraph}"))
        blocks.append(Block("para", _judgement_sentence(item, index)))
    return blocks


def blocks_of(sample: Sample) -> list[Block]:
    return full_blocks(sample) if isinstance(sample, FullSample) else irp_blocks(sample)


# Rendering -------------------------------------------------------------------------------


def render(sample: Sample, fmt: Format) -> bytes:
    if fmt == "pdf":
        return to_pdf(sample)
    if fmt == "docx":
        return to_docx(sample)
    return to_text(sample).encode()


def filename(sample: Sample, fmt: Format) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in sample.establishment.lower()).strip("-")
    extension = {"pdf": "pdf", "docx": "docx", "text": "txt"}[fmt]
    return f"{slug}-{sample.kind}-{sample.starts_on.isoformat()}.{extension}"


def _figure_png(caption: str) -> bytes:
    """A bar chart without words: the caption carries the meaning, as in published reports."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 200), "white")
    draw = ImageDraw.Draw(image)
    rng = random.Random(caption)
    for bar in range(6):
        height = rng.randint(30, 180)
        draw.rectangle((20 + bar * 75, 190 - height, 70 + bar * 75, 190), fill=(29, 112, 184))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


CSS = """
@page { size: A4; margin: 22mm 20mm 24mm;
  @top-right { content: "%(header)s"; font-size: 8pt; color: #505a5f }
  @bottom-right { content: counter(page); font-size: 9pt } }
@page :first { @top-right { content: none } @bottom-right { content: none } }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.35; text-align: justify;
  orphans: 1; widows: 1 }
.title p { font-size: 20pt; margin: 0 0 6mm; text-align: left }
.title { page-break-after: always; padding-top: 50mm }
.contents { page-break-after: always }
.contents a { color: black; text-decoration: none }
.contents a::after { content: "  " target-counter(attr(href), page) }
h1 { page-break-before: always; font-size: 16pt }
h1.plain, h2.plain { font-weight: normal }
h2 { font-size: 13pt }
.fn { float: footnote; font-size: 8pt }
::footnote-call { content: counter(footnote); vertical-align: super; font-size: 7pt }
::footnote-marker { content: counter(footnote) " " }
figure { margin: 4mm 0 }
figure img { width: 110mm }
"""


def to_html(sample: Sample) -> str:
    from html import escape

    plain = "" if sample.headings_bold else ' class="plain"'
    parts: list[str] = []
    section_ids = 0
    for block in blocks_of(sample):
        if block.kind == "title":
            parts.append(
                '<div class="title">'
                + "".join(f"<p>{escape(x)}</p>" for x in block.lines)
                + "</div>"
            )
        elif block.kind == "contents":
            links = "".join(
                f'<p><a href="#s{i}">{escape(x)}</a></p>' for i, x in enumerate(block.lines, 1)
            )
            parts.append(f'<div class="contents"><h2{plain}>Contents</h2>{links}</div>')
        elif block.kind == "section":
            section_ids += 1
            parts.append(f'<h1 id="s{section_ids}"{plain}>{escape(block.text)}</h1>')
        elif block.kind == "heading":
            if block.text.startswith(("Introduction", "What needs")):
                section_ids += 1
                parts.append(f'<h2 id="s{section_ids}"{plain}>{escape(block.text)}</h2>')
            else:
                parts.append(f"<h2{plain}>{escape(block.text)}</h2>")
        elif block.kind == "figure":
            data = base64.b64encode(_figure_png(block.text)).decode()
            parts.append(
                f'<figure><img alt="" src="data:image/png;base64,{data}">'
                f"<figcaption>{escape(block.text)}</figcaption></figure>"
            )
        else:
            parts.append(f"<p>{_html_paragraph(block)}</p>")
    # The running header, as CSS text: quotes and backslashes escaped.
    header = sample.title.replace("\\", "\\\\").replace('"', '\\"')
    css = CSS.replace('"%(header)s"', f'"{header}"')
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(sample.title)}</title><style>{css}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def _html_paragraph(block: Block) -> str:
    from html import escape

    text = escape(block.text)
    if block.footnote:
        head, dot, rest = text.partition(". ")
        text = f'{head}<span class="fn">{escape(block.footnote)}</span>{dot}{rest}'
    if block.label:
        text = f"<strong>{escape(block.label)}:</strong> {text}"
    if block.number:
        text = f"{block.number} {text}"
    return text


def to_pdf(sample: Sample) -> bytes:
    from weasyprint import HTML

    # Nothing to fetch: the only images are data: URIs made here.
    return bytes(HTML(string=to_html(sample)).write_pdf())


def to_docx(sample: Sample) -> bytes:
    from docx import Document

    word = Document()
    word.sections[0].header.paragraphs[0].text = sample.title
    for block in blocks_of(sample):
        _docx_block(word, block, headings_bold=sample.headings_bold)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _docx_block(word: Any, block: Block, *, headings_bold: bool) -> None:
    from docx.shared import Cm

    if block.kind == "title":
        _docx_lines(word, block.lines)
        _docx_page_break(word)
    elif block.kind == "contents":
        _docx_heading(word, "Contents", 2, bold=headings_bold)
        _docx_lines(word, block.lines)
        _docx_page_break(word)
    elif block.kind == "section":
        _docx_page_break(word)
        _docx_heading(word, block.text, 1, bold=headings_bold)
    elif block.kind == "heading":
        _docx_heading(word, block.text, 2, bold=headings_bold)
    elif block.kind == "figure":
        word.add_picture(io.BytesIO(_figure_png(block.text)), width=Cm(11))
        word.add_paragraph(block.text)
    else:
        _docx_paragraph(word, block)


def _docx_heading(word: Any, text: str, level: int, *, bold: bool) -> None:
    if bold:
        word.add_heading(text, level=level)
    else:
        word.add_paragraph(text)


def _docx_lines(word: Any, lines: Sequence[str]) -> None:
    for line in lines:
        word.add_paragraph(line)


def _docx_page_break(word: Any) -> None:
    from docx.enum.text import WD_BREAK

    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _docx_paragraph(word: Any, block: Block) -> None:
    paragraph = word.add_paragraph()
    if block.number:
        paragraph.add_run(f"{block.number}\t")
    if block.label:
        paragraph.add_run(f"{block.label}:").bold = True
        paragraph.add_run(" ")
    paragraph.add_run(block.text)


TEXT_WIDTH = 88
TEXT_PAGE_LINES = 46


def to_text(sample: Sample) -> str:
    """As a PDF-to-text tool leaves a report: pages split by form feeds, the running header
    on top of each page and its number at the foot, footnotes above the number."""
    pages = _TextPages(sample.title)
    for block in blocks_of(sample):
        pages.add_block(block)
    if pages.body:
        pages.flush()
    return "\f".join(pages.pages) + "\n"


class _TextPages:
    """The text pages of a report as they fill: the page being written and its footnotes."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.pages: list[str] = []
        self.body: list[str] = []
        self.notes: list[str] = []
        self.footnote_number = 0

    def flush(self) -> None:
        """Ends the page: the header on top and the notes and number at the foot, but for
        the first page."""
        number = len(self.pages) + 1
        head = [] if number == 1 else [self.title, ""]
        foot = [] if number == 1 else ["", *self.notes, str(number)]
        self.pages.append("\n".join([*head, *self.body, *foot]))
        self.body.clear()
        self.notes.clear()

    def add(self, lines: list[str], *, keep: bool = False) -> None:
        """Adds lines, starting a new page when one is full; `keep` keeps them together."""
        if keep and len(self.body) + len(lines) > TEXT_PAGE_LINES:
            self.flush()
        for line in lines:
            if len(self.body) >= TEXT_PAGE_LINES:
                self.flush()
            self.body.append(line)

    def add_block(self, block: Block) -> None:
        if block.kind in {"title", "contents"}:
            lines = list(block.lines)
            if block.kind == "contents":
                lines = ["Contents", "", *(f"{x} {n + 3}" for n, x in enumerate(lines))]
            self.add(lines)
            self.flush()
        elif block.kind == "section":
            if self.body:
                self.flush()
            self.add([block.text, ""])
        elif block.kind == "heading":
            self.add(["", block.text, ""], keep=True)
        elif block.kind == "figure":
            self.add(["", block.text, ""])
        else:
            self.add_paragraph(block)

    def add_paragraph(self, block: Block) -> None:
        text = block.text
        if block.footnote:
            self.footnote_number += 1
            head, dot, rest = text.partition(". ")
            text = f"{head}{self.footnote_number}{dot}{rest}"
        if block.label:
            text = f"{block.label}: {text}".rstrip()
        if block.number:
            text = f"{block.number} {text}"
        lines = textwrap.wrap(text, TEXT_WIDTH) or [""]
        if block.footnote:
            # The note goes at the foot of the page where its marker (first line) lands.
            if len(self.body) >= TEXT_PAGE_LINES:
                self.flush()
            self.notes.append(f"{self.footnote_number} {block.footnote}")
        self.add(lines)
        self.add([""])
