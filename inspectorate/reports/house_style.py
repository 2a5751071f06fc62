"""House style as data: the structure and fixed wording of each published document kind.

Each file in ``data/house-style/`` is one version of the house style of one document kind
(an IRP report, Ofsted's findings summary, the full Ofsted report), as frameworks and
milestone rules are data: a change of wording is a new file with a new ``version``, never a
code change, and a report records the version it was generated with
(``Report.house_style_version``). A file::

    {"format": 1, "kind": "irp_report", "version": "2026.1", "valid_from": "2026-04-01",
     "description": "…", "source": "where the wording comes from",
     "sections": {"summary": {"label": "Section 1", "title": "Chief Inspector's summary"}, …},
     "wording": {"count_part": "{level} in {count}", …}}

``SCHEMAS`` lists, per kind, the sections and wording a builder in documents.py asks for and
the placeholders each wording may use. ``parse_house_style`` checks a document against it
and names every problem with its place in the file; ``check_house_styles`` runs at every
start (``manage.py check``), so a bad file stops the service rather than a report. Published
text carries no rule IDs ("(RP-6)"): a wording that holds one is refused.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core import checks

from inspectorate.lib.document_error import DocumentError, read_json_document
from inspectorate.reports.constants import LetterKind, ReportKind

FILE_FORMAT = 1
DATA_DIR = Path(__file__).resolve().parent / "data" / "house-style"
VERSION_RE = re.compile(r"^[0-9]+(?:\.[0-9]+)*$")
RULE_ID_RE = re.compile(r"\b[A-Z]{2,4}-[0-9]+\b")

_IRP_SECTIONS = (
    "summary",
    "key_findings",
    "progress",
    "judgements",
    "about",
    "team",
    "glossary",
)
_IRP_WORDING: dict[str, frozenset[str]] = {
    name: frozenset(fields)
    for name, fields in {
        "title": {"establishment"},
        "short_title": set(),
        "author": set(),
        "inspection_unknown": set(),
        "opening": {"recommendations", "inspection"},
        "opening_themes": {"themes"},
        "count_sentence_recommendation": {"counts"},
        "count_sentence_theme": {"counts"},
        "count_part": {"level", "count"},
        "count_zero": {"plural"},
        "count_unjudged": {"count", "verb"},
        "count_none_judged_recommendation": set(),
        "count_none_judged_theme": set(),
        "figure_recommendation": {"inspection", "n"},
        "figure_theme": {"inspection", "n"},
        "practice_heading": set(),
        "practice_definition": set(),
        "practice_count": {"count"},
        "practice_none": set(),
        "cross_reference": set(),
        "progress_recommendations_heading": set(),
        "progress_themes_heading": set(),
        "area_missing": {"index"},
        "theme_heading": {"index"},
        "theme_sources": {"recommendations"},
        "closing_recommendation": {"progress"},
        "closing_theme": {"progress"},
        "closing_unjudged": set(),
        "progress_none": set(),
        "judgements_introduction": set(),
        "judgements_recommendations_caption": set(),
        "judgements_themes_caption": set(),
        "about_purpose": {"inspection"},
        "about_selection": set(),
        "about_method": set(),
        "about_scale_recommendations": set(),
        "about_scale_themes": set(),
    }.items()
}
_FINDINGS_WORDING: dict[str, frozenset[str]] = {
    name: frozenset(fields)
    for name, fields in {
        "title": {"establishment"},
        "short_title": set(),
        "author": set(),
        "heading": set(),
        "introduction": set(),
        "purposeful_activity": {"judgement"},
        "assessments": set(),
        "grade_caption": set(),
        "concerns_heading": set(),
        "concerns_none": set(),
    }.items()
}
_OFSTED_REPORT_WORDING: dict[str, frozenset[str]] = {
    name: frozenset(fields)
    for name, fields in {
        "title": {"establishment"},
        "short_title": set(),
        "author": set(),
        "information_caption": set(),
        "grade_caption": set(),
        "summary_missing": set(),
        "concerns_none": set(),
        "findings_none": set(),
        "about": set(),
        "grades_heading": set(),
    }.items()
}


@dataclass(frozen=True)
class Schema:
    sections: tuple[str, ...]
    wording: Mapping[str, frozenset[str]]
    # Jinja2 templates (letters), checked by letters.py against each letter's variables,
    # rather than wording with {placeholders}.
    jinja: bool = False


# The letters' default wording: a subject and a body per kind of letter.
LETTERS = "letters"
_LETTER_WORDING = {
    f"{kind}_{part}": frozenset[str]() for kind in LetterKind for part in ("subject", "body")
}

SCHEMAS: dict[str, Schema] = {
    LETTERS: Schema((), _LETTER_WORDING, jinja=True),
    ReportKind.IRP_REPORT: Schema(_IRP_SECTIONS, _IRP_WORDING),
    ReportKind.OFSTED_FINDINGS: Schema(("purposeful_activity",), _FINDINGS_WORDING),
    ReportKind.OFSTED_REPORT: Schema(
        ("information", "summary", "improve", "findings", "about", "team"),
        _OFSTED_REPORT_WORDING,
    ),
}


class HouseStyleError(DocumentError):
    """A house-style document is not valid; `problems` lists each, with its place."""


@dataclass(frozen=True)
class SectionStyle:
    label: str  # "Section 3", "Appendix I"
    title: str


@dataclass(frozen=True)
class HouseStyle:
    kind: str
    version: str
    valid_from: date
    sections: Mapping[str, SectionStyle]
    wording: Mapping[str, str]

    @property
    def name(self) -> str:
        """'irp_report 2026.1': what a report records."""
        return f"{self.kind} {self.version}"

    def section(self, key: str) -> SectionStyle:
        return self.sections[key]

    def says(self, key: str, **values: Any) -> str:
        """The wording `key` with its placeholders filled in."""
        return self.wording[key].format(**values)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_sections(raw: Any, schema: Schema, problems: list[str]) -> dict[str, SectionStyle]:
    if not isinstance(raw, dict):
        problems.append("sections must be an object of section keys")
        return {}
    found: dict[str, SectionStyle] = {}
    for key in schema.sections:
        if key not in raw:
            problems.append(f"sections.{key} is missing")
    for key, value in raw.items():
        if key not in schema.sections:
            problems.append(f"sections.{key} is not a section of this kind of document")
            continue
        if not isinstance(value, dict) or set(value) != {"label", "title"}:
            problems.append(f"sections.{key} must have a label and a title, and nothing else")
            continue
        if not all(isinstance(v, str) and v.strip() for v in value.values()):
            problems.append(f"sections.{key}: the label and title must be text")
            continue
        found[key] = SectionStyle(label=value["label"], title=value["title"])
    return found


def _check_wording(raw: Any, schema: Schema, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append("wording must be an object of wording keys")
        return {}
    found: dict[str, str] = {}
    for key in schema.wording:
        if key not in raw:
            problems.append(f"wording.{key} is missing")
    for key, text in raw.items():
        allowed = schema.wording.get(key)
        if allowed is None:
            problems.append(f"wording.{key} is not wording this kind of document uses")
            continue
        if not isinstance(text, str) or not text.strip():
            problems.append(f"wording.{key} must be text")
            continue
        try:
            names = set() if schema.jinja else _placeholders(text)
        except ValueError as error:
            problems.append(f"wording.{key}: {error}")
            continue
        unknown = sorted(names - allowed)
        if unknown:
            known = ", ".join(sorted(allowed)) or "none"
            problems.append(
                f"wording.{key} uses {', '.join(unknown)}; the placeholders it may use: {known}"
            )
            continue
        if RULE_ID_RE.search(text):
            problems.append(f"wording.{key} carries a rule ID, which published text must not")
            continue
        found[key] = text
    return found


def parse_house_style(document: Any, *, source: str = "") -> HouseStyle:
    """Check a house-style document and return it; HouseStyleError names every problem."""
    if not isinstance(document, dict):
        raise HouseStyleError(["the file must hold a JSON object"], source=source)
    problems: list[str] = []
    if document.get("format") != FILE_FORMAT:
        problems.append(f"format must be {FILE_FORMAT} (got {document.get('format')!r})")
    known = {"format", "kind", "version", "valid_from", "description", "source"}
    for extra in sorted(set(document) - known - {"sections", "wording"}):
        problems.append(f"unknown field {extra!r}")
    kind = document.get("kind")
    schema = SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        problems.append(f"kind must be one of {', '.join(sorted(SCHEMAS))} (got {kind!r})")
    version = document.get("version")
    if not isinstance(version, str) or not VERSION_RE.match(version):
        problems.append(f"version must be numbers separated by dots (got {version!r})")
    valid_from: date | None = None
    try:
        valid_from = date.fromisoformat(str(document.get("valid_from")))
    except ValueError:
        problems.append(
            f"valid_from must be a date such as 2026-04-01 (got {document.get('valid_from')!r})"
        )
    sections: dict[str, SectionStyle] = {}
    wording: dict[str, str] = {}
    if schema is not None:
        sections = _check_sections(document.get("sections"), schema, problems)
        wording = _check_wording(document.get("wording"), schema, problems)
    if problems or schema is None or valid_from is None:
        raise HouseStyleError(problems, source=source)
    return HouseStyle(
        kind=str(kind),
        version=str(version),
        valid_from=valid_from,
        sections=sections,
        wording=wording,
    )


def read_house_style_file(path: Path) -> HouseStyle:
    document = read_json_document(path, HouseStyleError)
    return parse_house_style(document, source=path.name)


def read_house_styles(directory: Path = DATA_DIR) -> tuple[HouseStyle, ...]:
    """Every file of `directory`, checked; two files with one kind and version are refused."""
    styles: list[HouseStyle] = []
    problems: list[str] = []
    for path in sorted(directory.glob("*.json")):
        try:
            styles.append(read_house_style_file(path))
        except HouseStyleError as error:
            problems.append(str(error))
    names = [style.name for style in styles]
    problems += [
        f"{name} is given by more than one file"
        for name in sorted(set(names))
        if names.count(name) > 1
    ]
    missing = sorted(set(SCHEMAS) - {style.kind for style in styles})
    problems += [f"no house style for {kind}" for kind in missing]
    if problems:
        raise HouseStyleError(problems, source=str(directory))
    return tuple(styles)


@lru_cache(maxsize=1)
def load_house_styles() -> tuple[HouseStyle, ...]:
    """The shipped house styles, checked once and cached."""
    return read_house_styles()


def house_style(kind: str, *, on: date, version: str = "") -> HouseStyle:
    """The house style of `kind`: `version` when it is given and still shipped, else the
    newest in force on `on` (before any of them, the earliest)."""
    versions = sorted(
        (s for s in load_house_styles() if s.kind == kind), key=lambda s: s.valid_from
    )
    for style in versions:
        if version and style.version == version:
            return style
    in_force = [s for s in versions if s.valid_from <= on]
    return in_force[-1] if in_force else versions[0]


def letter_wording(kind: str) -> tuple[str, str]:
    """The default subject and body of a letter of `kind`, from the newest letters file."""
    style = house_style(LETTERS, on=date.max)
    return style.wording[f"{kind}_subject"], style.wording[f"{kind}_body"]


@checks.register()
def check_house_styles(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`manage.py check` (and every start) refuses a bad house-style file, naming it."""
    try:
        read_house_styles()
    except (HouseStyleError, OSError) as error:
        return [checks.Error(str(error), id="reports.E001", obj="house-style")]
    return []
