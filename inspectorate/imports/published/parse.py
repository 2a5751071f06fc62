"""The parser of published HMI Prisons reports (HI-2): a PDF, Word or text file in, a
`ParsedReport` out, with no database access.

What it reads. The title page: the kind of report, the establishment and the dates. A full
inspection: the stated number of key and priority concerns, the healthy prison test outcomes
("Outcomes for prisoners at HMP X were: poor for safety, ..."), and the summary of priority
and key concerns, where each concern ("Priority concern:", "Key concern:", "Ofsted key
concern:") is followed by its recommendation with a paragraph reference ("(3.14)", "(see
paragraph 3.14)") under an area heading. An IRP: the dates of the inspection it follows,
notable positive practice, each recommendation followed up ("Concern:", "Recommendation:",
"What we found:", numbered paragraphs, "We considered that there had been ... progress
against this recommendation.") and each Ofsted theme ("Theme 1: ...", over as many lines as
it takes, judged "Ofsted considered that ..."), and the count sentences of the summary of
judgements, checked against the judgements found.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from inspectorate.imports.published import extract
from inspectorate.imports.published.extract import Line, NotAReport
from inspectorate.imports.published.parsed import (
    Concern,
    FollowUp,
    HealthyPrisonScore,
    ParsedReport,
    Problem,
    Recommendation,
    Source,
    StatedCount,
)

__all__ = ["NotAReport", "parse_report", "summary_lines"]

HMIP_SCALE: tuple[str, ...] = ("good progress", "reasonable progress", "insufficient progress")
HMIP_SCALE += ("no meaningful progress",)
OFSTED_SCALE = ("significant progress", "reasonable progress", "insufficient progress")
SCORES = {"good": 4, "reasonably good": 3, "not sufficiently good": 2, "poor": 1}
TESTS = {
    "safety": "Safety",
    "respect": "Respect",
    "purposeful activity": "Purposeful activity",
    "rehabilitation and release planning": "Rehabilitation and release planning",
}
CONCERN_LABELS = {
    "priority concern": "priority",
    "key concern": "key",
    "ofsted key concern": "ofsted_key",
}
NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBERS = {word: n for n, word in enumerate(NUMBER_WORDS.split(" "))} | {"none": 0, "no": 0}

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
DASH = r"\s*(?:\u2013|\u2014|-|to)\s*"
DATE_RANGE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?: (?P<m1>{MONTH}))?(?: (?P<y1>\d{{4}}))?{DASH}"
    rf"(?P<d2>\d{{1,2}}) (?P<m2>{MONTH}) (?P<y2>\d{{4}})"
)
ONE_DATE = re.compile(rf"(?P<d>\d{{1,2}}) (?P<m>{MONTH}) (?P<y>\d{{4}})")
TITLE = re.compile(
    r"Report on an? (?P<what>(?:unannounced |announced )?(?:full )?inspection of|"
    r"independent review of progress at) (?P<est>.+?) by (?:HM|His Majesty's|Her Majesty's) "
    r"Chief Inspector of Prisons",
    re.IGNORECASE,
)

SECTION = re.compile(r"^Section (\d{1,2})\b\s*(.*)$")
LABEL = re.compile(
    r"^(?P<label>Ofsted key concern|Priority concern|Key concern|Concern|Recommendation|"
    r"What we found|Theme \d{1,2})\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
NUMBERED = re.compile(r"^(\d{1,2}\.\d{1,3})\s+(\S.*)$")
CAPTION = re.compile(r"^(?:Figure|Table|Chart) \d+\s*[:.]", re.IGNORECASE)
JUDGEMENT_START = re.compile(r"^(?:We|Ofsted|Inspectors|HMI Prisons) considered that\b")
BULLET = re.compile(r"^[•●▪◦‣-] ")
KNOWN_HEADINGS = {
    "contents",
    "introduction",
    "notable positive practice",
    "priority concerns",
    "key concerns",
    "summary of judgements",
    "education, skills and work",
    *(name.lower() for name in TESTS.values()),
    "leadership",
}
SENTENCE_END = (".", ":", ";", ",", "?", "!", ")")

REFERENCE = r"\d{1,2}\.\d{1,3}"
TRAILING_REFERENCE = re.compile(
    rf"\s*\((?:see )?(?:paragraphs? )?(?P<ref>{REFERENCE})(?:(?:,| and) {REFERENCE})*\)\.?$"
)
PARAGRAPH_REFERENCE = re.compile(rf"\bparagraph (?P<ref>{REFERENCE})\b")
JUDGED = re.compile(
    r"\b(?:We|Ofsted|Inspectors|HMI Prisons) considered that (?:there had been|there was|"
    r"(?:the )?(?:prison|establishment|leaders)(?: leaders)? had made) (?P<j>.+?) "
    r"(?:against|in|on|towards) this (?:recommendation|theme|area|concern)\b",
    re.IGNORECASE,
)
COUNT_SENTENCE = re.compile(
    r"\b(?P<who>HMI Prisons|Ofsted|We|Inspectors) (?:judged|found) that there (?:was|were|"
    r"had been) (?P<body>[^.]+)\.",
    re.IGNORECASE,
)
COUNT_PART = re.compile(
    r"(?P<j>[a-z]+(?: meaningful)? progress) (?:in|against|on|for) (?P<n>\w+)"
    r"(?: of the)?(?: (?P<noun>recommendations?|themes?))?",
    re.IGNORECASE,
)
CONCERNS_STATED = re.compile(
    r"we identified (?P<all>\w+) key concerns, of which (?P<priority>\w+) should be treated "
    r"as priorit",
    re.IGNORECASE,
)
OUTCOMES = re.compile(
    r"\b(?P<score>reasonably good|not sufficiently good|good|poor) for (?P<test>safety|respect|"
    r"purposeful activity|rehabilitation and release planning)\b",
    re.IGNORECASE,
)


# Blocks: the document's paragraphs, headings and labelled items ---------------------------


BlockKind = Literal["section", "heading", "para", "label", "caption", "judgement"]


@dataclass
class Block:
    kind: BlockKind
    lines: list[Line]
    text: str
    number: str = ""
    label: str = ""
    section: str = ""
    offsets: list[int] = field(default_factory=list)

    def add(self, line: Line, text: str) -> None:
        joiner = "" if self.text.endswith("-") and text[:1].islower() else " "
        self.offsets.append(len(self.text) + (len(joiner) if self.text else 0))
        self.text = f"{self.text}{joiner}{text}" if self.text else text
        self.lines.append(line)

    @property
    def source(self) -> Source:
        return Source(self.lines[0].page, self.lines[0].line, self.number)

    def source_at(self, position: int, paragraph: str = "") -> Source:
        """Where the character at `position` of the joined text was: its page and line."""
        index = max(i for i, start in enumerate(self.offsets) if start <= position)
        line = self.lines[index]
        return Source(line.page, line.line, paragraph or self.number)


def _start(kind: BlockKind, line: Line, text: str, number: str = "", label: str = "") -> Block:
    block = Block(kind=kind, lines=[], text="", number=number, label=label)
    block.add(line, text)
    return block


def blocks_of(lines: Sequence[Line], *, one_line_paragraphs: bool) -> list[Block]:
    """Group body lines into blocks. A Word paragraph is one line already; in a PDF or text a
    block runs on until a line that can only start something new."""
    found: list[Block] = []
    section = ""
    skip_page = 0
    for line in lines:
        text = line.text
        if line.page == skip_page:
            continue
        if text.lower() == "contents":
            skip_page = line.page
            continue
        current = found[-1] if found else None
        starts = _line_start(text, current, one_line_paragraphs)
        if starts is None and current is not None:
            if current.kind == "section":
                section = f"{section} {text}"
            current.add(line, text)
            continue
        block = starts or _start("para", line, text)
        if block.kind == "section":
            section = block.text
        block.lines = [line]
        block.section = section
        found.append(block)
    for block in found:
        if block.kind == "section":
            block.section = block.text
    return found


def _line_start(text: str, current: Block | None, one_line: bool) -> Block | None:
    """The block `text` starts, or None when it continues the current one."""
    placeholder = Line(0, 0, text)
    marked = _marked_start(text, placeholder)
    if marked is not None:
        return marked
    if _is_heading(text, current, one_line):
        return _start("heading", placeholder, text)
    if one_line or current is None or current.kind in {"heading", "caption"}:
        return _start("para", placeholder, text)
    if current.kind == "section" and text[:1].isupper():
        return _start("para", placeholder, text)
    return None


def _marked_start(text: str, placeholder: Line) -> Block | None:
    """The block a line starts by its own marks (a section or paragraph number, a label, a
    caption, a judgement, a bullet), whatever came before it."""
    if match := SECTION.match(text):
        return _start("section", placeholder, text, number=match.group(1))
    number = ""
    rest = text
    if match := NUMBERED.match(text):
        number, rest = match.group(1), match.group(2)
    if match := LABEL.match(rest):
        label = match.group("label").capitalize()
        return _start("label", placeholder, match.group("rest"), number=number, label=label)
    if number:
        return _start("para", placeholder, rest, number=number)
    if CAPTION.match(text):
        return _start("caption", placeholder, text)
    if JUDGEMENT_START.match(text):
        return _start("judgement", placeholder, text)
    if BULLET.match(text):
        return _start("para", placeholder, text[2:])
    return None


def _is_heading(text: str, current: Block | None, one_line: bool) -> bool:
    lowered = text.lower()
    if lowered in KNOWN_HEADINGS or lowered.startswith(("what needs to improve at", "about ")):
        return True
    if len(text) > 60 or len(text.split()) > 9 or not text[:1].isupper():
        return False
    if text.endswith(SENTENCE_END):
        return False
    if one_line or current is None:
        return True
    # In a PDF a short line that does not end a sentence is a heading only when the line
    # before it ended something.
    return current.kind in {"section", "heading", "caption"} or current.text.endswith(SENTENCE_END)


# The title page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    kind: Literal["full", "irp"]
    establishment: str
    starts_on: date | None
    ends_on: date | None
    title: str
    lines: int  # how many body lines the title page took


def read_title(lines: Sequence[Line]) -> Title:
    first_page = [line for line in lines if line.page == lines[0].page] if lines else []
    if len({line.page for line in lines}) == 1:
        first_page = list(lines[:12])
    text = " ".join(line.text for line in first_page)
    match = TITLE.search(text)
    if match is None:
        raise NotAReport(
            "This is not a published HMI Prisons report: its first page has no title such as "
            "'Report on an unannounced inspection of HMP … by HM Chief Inspector of Prisons' "
            "or 'Report on an independent review of progress at HMP …'."
        )
    kind: Literal["full", "irp"] = "irp" if "review" in match.group("what").lower() else "full"
    establishment = match.group("est").strip(" ,")
    starts_on, ends_on = _dates(text[match.end() :])
    title = f"Report on an {match.group('what')} {establishment}"
    used = len(first_page)
    if len({line.page for line in lines}) == 1:
        used = next(
            (i + 1 for i, line in enumerate(first_page) if DATE_RANGE.search(line.text)),
            len(first_page),
        )
    return Title(kind, establishment, starts_on, ends_on, title, used)


def _dates(text: str) -> tuple[date | None, date | None]:
    """The first date range in `text`: '1-12 May 2023', '28 November - 9 December 2022', with
    an en dash or a hyphen."""
    match = DATE_RANGE.search(text)
    if match:
        year_end = int(match.group("y2"))
        month_end = _month(match.group("m2"))
        month_start = _month(match.group("m1")) if match.group("m1") else month_end
        year_start = int(match.group("y1")) if match.group("y1") else year_end
        try:
            return (
                date(year_start, month_start, int(match.group("d1"))),
                date(year_end, month_end, int(match.group("d2"))),
            )
        except ValueError:
            return None, None
    one = ONE_DATE.search(text)
    if one:
        day = _date(one)
        return day, day
    return None, None


def _date(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group("y")), _month(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def _month(name: str) -> int:
    months = MONTH.strip("(?:)").split("|")
    return months.index(name) + 1


# The whole document ----------------------------------------------------------------------


def parse_report(data: bytes, filename: str) -> ParsedReport:
    """Read a published HMI Prisons report. Raises NotAReport when it is not one."""
    if not data.strip():
        raise NotAReport(f"{filename} is empty.")
    pages = extract.pages_of(data, filename)
    lines = extract.clean(pages)
    if not lines:
        raise NotAReport(f"{filename} has no text to read.")
    title = read_title(lines)
    body = (
        lines[title.lines :]
        if len({x.page for x in lines}) == 1
        else [line for line in lines if line.page != lines[0].page]
    )
    blocks = blocks_of(body, one_line_paragraphs=data.startswith(b"PK"))
    published = _published(blocks)
    common = {
        "establishment": title.establishment,
        "starts_on": title.starts_on,
        "ends_on": title.ends_on,
        "published_on": published,
        "title": title.title,
        "pages": len(pages),
    }
    if title.kind == "full":
        return _full(blocks, **common)
    return _irp(blocks, **common)


def _published(blocks: Sequence[Block]) -> date | None:
    for block in blocks:
        match = re.search(rf"Published (?:on )?({ONE_DATE.pattern})", block.text)
        if match:
            return _date(ONE_DATE.search(match.group(1)))  # type: ignore[arg-type]
    return None


def _reference(text: str) -> tuple[str, str]:
    """A recommendation's text without its trailing reference, and the reference."""
    match = TRAILING_REFERENCE.search(text)
    if match:
        return text[: match.start()].rstrip(), match.group("ref")
    match = PARAGRAPH_REFERENCE.search(text)
    if match:
        return text, match.group("ref")
    return text, ""


def _full(blocks: Sequence[Block], **common: object) -> ParsedReport:
    concerns: list[Concern] = []
    recommendations: list[Recommendation] = []
    problems: list[Problem] = []
    area = ""
    last_concern: int | None = None
    in_summary = False
    for block in blocks:
        if block.kind == "section":
            in_summary = "concerns" in block.text.lower()
            area = ""
            last_concern = None
            continue
        if not in_summary:
            continue
        if block.kind == "heading":
            area, last_concern = block.text, None
        elif block.kind == "label" and block.label.casefold() in CONCERN_LABELS:
            text, reference = _reference(block.text)
            kind = CONCERN_LABELS[block.label.casefold()]
            concerns.append(Concern(kind, text, block.source, reference))
            last_concern = len(concerns) - 1
        elif block.kind == "label" and block.label == "Recommendation":
            text, reference = _reference(block.text)
            source = Source(block.source.page, block.source.line, block.number or reference)
            if not reference:
                problems.append(Problem("A recommendation has no paragraph reference.", source))
            recommendations.append(Recommendation(text, reference, area, source, last_concern))
        elif block.kind in {"para", "label", "judgement"} and (concerns or recommendations):
            problems.append(_unplaced(block))
    if not recommendations:
        problems.append(
            Problem("No recommendations were found: the report has no summary of concerns.")
        )
    problems += _check_concern_count(blocks, concerns)
    return ParsedReport(
        kind="full",
        concerns=concerns,
        recommendations=recommendations,
        healthy_prison_scores=_scores(blocks),
        problems=problems,
        **common,  # type: ignore[arg-type]
    )


def _unplaced(block: Block) -> Problem:
    text = block.text if len(block.text) < 80 else block.text[:77] + "…"
    return Problem(f"Text that could not be placed: “{text}”", block.source)


def _scores(blocks: Sequence[Block]) -> list[HealthyPrisonScore]:
    found: dict[str, HealthyPrisonScore] = {}
    for block in blocks:
        if "outcomes for prisoners" not in block.text.lower():
            continue
        for match in OUTCOMES.finditer(block.text):
            test = TESTS[match.group("test").lower()]
            score = SCORES[match.group("score").lower()]
            found.setdefault(test, HealthyPrisonScore(test, score, block.source_at(match.start())))
        if found:
            break
    return [found[test] for test in TESTS.values() if test in found]


def _check_concern_count(blocks: Sequence[Block], concerns: Sequence[Concern]) -> list[Problem]:
    own = [c for c in concerns if c.kind != "ofsted_key"]
    priorities = sum(c.kind == "priority" for c in own)
    for block in blocks:
        match = CONCERNS_STATED.search(block.text)
        if not match:
            continue
        stated_all = _number(match.group("all"))
        stated_priority = _number(match.group("priority"))
        source = block.source_at(match.start())
        problems = []
        if stated_all is not None and stated_all != len(own):
            problems.append(
                Problem(
                    f"The report states {stated_all} key concerns, but {len(own)} were found.",
                    source,
                )
            )
        if stated_priority is not None and stated_priority != priorities:
            problems.append(
                Problem(
                    f"The report states {stated_priority} priority concerns, but "
                    f"{priorities} were found.",
                    source,
                )
            )
        return problems
    return []


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


# An independent review of progress -------------------------------------------------------


@dataclass
class _Open:
    kind: Literal["recommendation", "theme"]
    source: Source
    title: str = ""
    concern: str = ""
    follows_reference: str = ""
    area: str = ""
    narrative: list[str] = field(default_factory=list)
    paragraph_reference: str = ""
    judgement: str = ""
    judgement_source: Source | None = None

    def done(self) -> FollowUp:
        return FollowUp(
            kind=self.kind,
            title=self.title,
            judgement=self.judgement,
            source=Source(self.source.page, self.source.line, self.paragraph_reference),
            paragraph_reference=self.paragraph_reference,
            follows_reference=self.follows_reference,
            area=self.area,
            narrative=self.narrative,
            concern=self.concern,
        )


def _irp(blocks: Sequence[Block], **common: object) -> ParsedReport:
    reader = _IrpReader()
    for block in blocks:
        reader.read(block)
    reader.close()
    problems = reader.problems
    follow_ups = reader.follow_ups
    problems += _check_scales(follow_ups, reader.judged_at)
    stated = _stated_counts(blocks, problems)
    problems += _check_counts(follow_ups, stated)
    starts, ends = _follows_dates(blocks)
    return ParsedReport(
        kind="irp",
        follow_ups=follow_ups,
        positive_practice=_positive_practice(blocks),
        stated_counts=stated,
        follows_inspection_starts_on=starts,
        follows_inspection_ends_on=ends,
        problems=problems,
        **common,  # type: ignore[arg-type]
    )


class _IrpReader:
    """Reads an IRP report's blocks in order into its recommendations and themes followed
    up, each with its progress judgement, noting what it could not place."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.follow_ups: list[FollowUp] = []
        self.judged_at: list[Source] = []
        self.current: _Open | None = None
        self.area = ""

    def close(self) -> None:
        """Ends the follow-up being read, if any."""
        current = self.current
        if current is None:
            return
        if not current.judgement:
            what = current.title[:60] or current.concern[:60]
            self.problems.append(
                Problem(f"No progress judgement was found for “{what}”.", current.source)
            )
        self.follow_ups.append(current.done())
        self.judged_at.append(current.judgement_source or current.source)
        self.current = None

    def read(self, block: Block) -> None:
        in_progress = block.section.lower().split(" ", 2)[-1].startswith("progress")
        if block.kind == "section":
            self.close()
            self.area = ""
        elif block.kind == "heading":
            if in_progress:
                self.area = block.text
        elif block.kind == "label":
            self._read_label(block)
        elif block.kind == "judgement":
            self._read_judgement(block, in_progress)
        elif block.kind == "para":
            self._read_para(block, in_progress)

    def _read_label(self, block: Block) -> None:
        label = block.label.casefold()
        if label == "concern":
            self.close()
            self.current = _Open("recommendation", block.source, concern=block.text, area=self.area)
        elif label == "recommendation":
            self._read_recommendation(block)
        elif label == "what we found":
            if self.current is None:
                self.problems.append(_unplaced(block))
            elif block.text:
                self.current.narrative.append(block.text)
        elif label.startswith("theme"):
            self.close()
            title, reference = _reference(block.text)
            self.current = _Open("theme", block.source, title=title, follows_reference=reference)
        else:
            self.problems.append(_unplaced(block))

    def _read_recommendation(self, block: Block) -> None:
        current = self.current
        if current is None or current.kind != "recommendation" or current.title:
            self.close()
            current = self.current = _Open("recommendation", block.source, area=self.area)
        current.title, current.follows_reference = _reference(block.text)

    def _read_judgement(self, block: Block, in_progress: bool) -> None:
        match = JUDGED.search(block.text)
        if self.current is None or match is None:
            if in_progress:
                self.problems.append(_unplaced(block))
            return
        self.current.judgement = " ".join(match.group("j").lower().split())
        self.current.judgement_source = block.source_at(match.start("j"))
        self.close()

    def _read_para(self, block: Block, in_progress: bool) -> None:
        current = self.current
        if current is not None:
            if block.number and not current.paragraph_reference:
                current.paragraph_reference = block.number
            current.narrative.append(block.text)
        elif in_progress and self.follow_ups:
            self.problems.append(_unplaced(block))


def _check_scales(follow_ups: Sequence[FollowUp], sources: Sequence[Source]) -> list[Problem]:
    problems = []
    for item, source in zip(follow_ups, sources, strict=True):
        if not item.judgement:
            continue
        own, other = (
            (HMIP_SCALE, OFSTED_SCALE)
            if item.kind == "recommendation"
            else (OFSTED_SCALE, HMIP_SCALE)
        )
        if item.judgement in own:
            continue
        what = (
            f"recommendation {item.follows_reference}".strip()
            if item.kind == "recommendation"
            else f"theme “{item.title[:50]}”"
        )
        scale = "HMI Prisons' progress scale" if item.kind == "recommendation" else "Ofsted's"
        if item.judgement in other:
            message = (
                f"The judgement “{item.judgement}” for {what} is on the other inspectorate's "
                f"scale, not {scale} ({', '.join(own)})."
            )
        else:
            message = (
                f"The judgement “{item.judgement}” for {what} is on neither scale: HMI Prisons "
                f"uses {', '.join(HMIP_SCALE)}; Ofsted uses {', '.join(OFSTED_SCALE)}."
            )
        problems.append(Problem(message, source))
    return problems


def _stated_counts(blocks: Sequence[Block], problems: list[Problem]) -> list[StatedCount]:
    stated: list[StatedCount] = []
    for block in blocks:
        for sentence in COUNT_SENTENCE.finditer(block.text):
            ofsted = sentence.group("who").lower() == "ofsted"
            for part in COUNT_PART.finditer(sentence.group("body")):
                count = _number(part.group("n"))
                if count is None:
                    continue
                noun = (part.group("noun") or "").lower()
                scale: Literal["hmip", "ofsted"] = (
                    "ofsted" if ofsted or noun.startswith("theme") else "hmip"
                )
                judgement = " ".join(part.group("j").lower().split())
                source = block.source_at(sentence.start("body") + part.start())
                if judgement not in (OFSTED_SCALE if scale == "ofsted" else HMIP_SCALE):
                    problems.append(
                        Problem(
                            f"The count sentence names “{judgement}”, which is not on "
                            f"{'Ofsted' if scale == 'ofsted' else 'HMI Prisons'}' scale.",
                            source,
                        )
                    )
                stated.append(StatedCount(scale, judgement, count, source))
    return stated


def _check_counts(follow_ups: Sequence[FollowUp], stated: Sequence[StatedCount]) -> list[Problem]:
    problems = []
    for count in stated:
        kind = "recommendation" if count.scale == "hmip" else "theme"
        matching = [f for f in follow_ups if f.kind == kind and f.judgement == count.judgement]
        if len(matching) == count.count:
            continue
        where = ", ".join(
            f"paragraph {f.paragraph_reference}"
            if f.paragraph_reference
            else f"page {f.source.page}"
            for f in matching
        )
        found = f"{len(matching)} {kind}{'' if len(matching) == 1 else 's'}"
        message = (
            f"The summary of judgements states {count.judgement} in {count.count} "
            f"{kind}{'' if count.count == 1 else 's'}, but {found} judged {count.judgement} "
            f"were found{f' ({where})' if where else ''}."
        )
        problems.append(Problem(message, count.source))
    return problems


def _follows_dates(blocks: Sequence[Block]) -> tuple[date | None, date | None]:
    for block in blocks:
        at = block.text.lower().find("full inspection")
        if at >= 0 and DATE_RANGE.search(block.text[at : at + 300]):
            return _dates(block.text[at : at + 300])
    return None, None


def _positive_practice(blocks: Sequence[Block]) -> list[tuple[str, Source]]:
    found: list[tuple[str, Source]] = []
    inside = False
    for block in blocks:
        if block.kind in {"heading", "section"}:
            inside = block.text.lower() == "notable positive practice"
            continue
        if not inside or block.kind != "para":
            continue
        lowered = block.text.lower()
        if "we define notable positive practice" in lowered or "examples of notable" in lowered:
            continue
        found.append((block.text, block.source))
    return found


# The human dry run -----------------------------------------------------------------------


def _where(source: Source | None) -> str:
    if source is None:
        return ""
    paragraph = f", paragraph {source.paragraph}" if source.paragraph else ""
    return f"page {source.page}, line {source.line}{paragraph}"


def _span(starts: date | None, ends: date | None) -> str:
    if starts is None:
        return "dates not found"
    if ends is None or ends == starts:
        return starts.isoformat()
    return f"{starts.isoformat()} to {ends.isoformat()}"


def summary_lines(parsed: ParsedReport) -> list[str]:
    """What `inspectorate import report FILE --dry-run` prints: what was found, item by item
    with where it came from, then the problems."""
    what = "Full inspection" if parsed.kind == "full" else "Independent review of progress"
    lines = [
        f"{what}: {parsed.establishment}, {_span(parsed.starts_on, parsed.ends_on)} "
        f"({parsed.pages} page{'' if parsed.pages == 1 else 's'})"
    ]
    if parsed.published_on:
        lines.append(f"Published: {parsed.published_on.isoformat()}")
    if parsed.kind == "full":
        lines += _full_summary(parsed)
    else:
        lines += _irp_summary(parsed)
    if parsed.problems:
        lines.append(f"Problems ({len(parsed.problems)}):")
        for problem in parsed.problems:
            where = _where(problem.source)
            lines.append(f"  {where + ': ' if where else ''}{problem.message}")
    else:
        lines.append("No problems found.")
    return lines


def _full_summary(parsed: ParsedReport) -> list[str]:
    lines = []
    if parsed.healthy_prison_scores:
        scores = ", ".join(f"{s.test} {s.score}" for s in parsed.healthy_prison_scores)
        lines.append(f"Healthy prison tests: {scores}")
    kinds = Counter(c.kind for c in parsed.concerns)
    lines.append(
        f"Concerns: {kinds['priority']} priority, {kinds['key']} key, "
        f"{kinds['ofsted_key']} Ofsted key"
    )
    lines.append(f"Recommendations ({len(parsed.recommendations)}):")
    for item in parsed.recommendations:
        text = item.text if len(item.text) <= 70 else item.text[:69] + "…"
        reference = item.paragraph_reference or "no reference"
        lines.append(f"  {reference} [{item.area or 'no area'}] {text} ({_where(item.source)})")
    return lines


def _irp_summary(parsed: ParsedReport) -> list[str]:
    lines = []
    if parsed.follows_inspection_starts_on:
        follows = _span(parsed.follows_inspection_starts_on, parsed.follows_inspection_ends_on)
        lines.append(f"Follows the full inspection of {follows}")
    for kind, heading in (("recommendation", "Recommendations"), ("theme", "Ofsted themes")):
        items = [f for f in parsed.follow_ups if f.kind == kind]
        if not items:
            continue
        lines.append(f"{heading} followed up ({len(items)}):")
        for item in items:
            title = item.title if len(item.title) <= 60 else item.title[:59] + "…"
            reference = item.follows_reference or "no reference"
            lines.append(
                f"  {reference}: {item.judgement or 'not judged'} — {title} ({_where(item.source)})"
            )
    for text, source in parsed.positive_practice:
        short = text if len(text) <= 70 else text[:69] + "…"
        lines.append(f"Notable positive practice: {short} ({_where(source)})")
    for count in parsed.stated_counts:
        who = "HMI Prisons" if count.scale == "hmip" else "Ofsted"
        lines.append(f"Stated: {who} {count.judgement} in {count.count}")
    return lines
