"""House style as data and the published wording of the IRP report (RP-7).

A review of seven recommendations and four Ofsted themes with a level of each scale that no
item reached: its key-findings sentences name every level, zeros included; the figure titles
name the full inspection by its month; Section 3 heads each recommendation by its area and
numbers every closing judgement; notable positive practice is counted and points, as a link,
to the paragraph it is about — in the HTML, the PDF and the Word export alike.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags
from docx import Document as WordDocument
from pypdf import PdfReader

from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import FollowUp, PositivePractice
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import documents, docx_export, house_style, pdf, services
from inspectorate.reports.constants import ReportKind, ReportStage
from inspectorate.reports.models import Report

pytestmark = pytest.mark.django_db

# Seven recommendations: two good, three reasonable, two insufficient, none without
# meaningful progress. Four themes: none significant, three reasonable, one insufficient.
RECOMMENDATIONS = (
    ("good_progress", "Safety"),
    ("reasonable_progress", "Safety"),
    ("good_progress", "Respect"),
    ("reasonable_progress", "Health care"),
    ("insufficient_progress", ""),
    ("reasonable_progress", "Rehabilitation and release planning"),
    ("insufficient_progress", "Leadership"),
)
THEMES = (
    "reasonable_progress",
    "reasonable_progress",
    "insufficient_progress",
    "reasonable_progress",
)

RECOMMENDATION_SENTENCE = (
    "HMI Prisons judged that there was good progress in two recommendations, reasonable "
    "progress in three recommendations, insufficient progress in two recommendations and no "
    "meaningful progress in none of the recommendations."
)
THEME_SENTENCE = (
    "Ofsted judged that there was significant progress in none of the themes, reasonable "
    "progress in three themes and insufficient progress in one theme."
)
FIGURE_1 = (
    "Figure 1: HMI Prisons' judgements of progress against recommendations from the "
    "November 2025 inspection (n=7)"
)
FIGURE_2 = (
    "Figure 2: Ofsted's judgements of progress in themes from the November 2025 inspection (n=4)"
)
PRACTICE_COUNT = (
    "Inspectors found two examples of notable positive practice during this independent "
    "review of progress, which other prisons may be able to learn from or replicate."
)
HEADINGS = [
    "Safety",
    "Safety",
    "Respect",
    "Health care",
    "Recommendation 5 (its area is not recorded)",
    "Rehabilitation and release planning",
    "Leadership",
]


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@dataclass
class Review:
    report: Report
    recommendations: list[FollowUp]
    themes: list[FollowUp]


@pytest.fixture
def review() -> Review:
    frameworks_load(actor=None)
    # The full inspection runs from 27 October to 7 November 2025: the November inspection.
    full = h.full_inspection(starts_on=date(2025, 10, 27))
    found = h.recommendations(full, len(RECOMMENDATIONS))
    event = h.irp(full, starts_on=date(2026, 10, 5), announced_on=date(2026, 9, 1))
    h.set_stage(event, Stage.MODERATED)
    leader, ofsted = h.team_leader(event), h.ofsted_lead(event)
    recommendations = []
    for index, (recommendation, (slug, area)) in enumerate(
        zip(found, RECOMMENDATIONS, strict=True)
    ):
        recommendation.area = area
        recommendation.save()
        item = h.follow_up(
            event,
            recommendation,
            position=index,
            narrative=f"Finding on recommendation {index + 1}.\n\nSecond finding.",
        )
        h.progress_judgement(item, slug, leader)
        recommendations.append(item)
    themes = []
    for index, slug in enumerate(THEMES):
        item = h.theme(
            event, f"Theme {index + 1} of education.", position=index, narrative="Its finding."
        )
        h.progress_judgement(item, slug, ofsted)
        themes.append(item)
    # The second paragraph of recommendation 3's part (3.8) and the closing judgement of
    # theme 2 (3.25).
    PositivePractice.objects.create(
        event=event,
        text="Peer mentors met every new arrival.",
        follow_up=recommendations[2],
        paragraph=2,
        position=0,
    )
    PositivePractice.objects.create(
        event=event,
        text="Tutors planned reading well.",
        follow_up=themes[1],
        paragraph=2,
        position=1,
    )
    report = services.report_create(
        actor=leader, event=event, kind=ReportKind.IRP_REPORT, summary="Leaders acted."
    )
    return Review(report, recommendations, themes)


def text_of(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def assert_published_wording(text: str) -> None:
    """What every rendering of the report says, its text flattened."""
    assert f"2.2 {RECOMMENDATION_SENTENCE}" in text
    assert f"2.3 {THEME_SENTENCE}" in text
    assert FIGURE_1 in text
    assert FIGURE_2 in text
    assert f"2.5 {PRACTICE_COUNT}" in text
    assert "2.6 Peer mentors met every new arrival. (See paragraph 3.8" in text
    assert "2.7 Tutors planned reading well. (See paragraph 3.25" in text
    # Numbered through the closing judgements: three paragraphs per recommendation, two per
    # theme.
    assert "3.3 We considered that the prison had made good progress in this area." in text
    assert "3.8 Second finding." in text
    assert "3.21 We considered that the prison had made insufficient progress in this area." in text
    assert "3.22 Its finding." in text
    assert (
        "3.25 Ofsted considered that the prison had made reasonable progress against this theme."
        in text
    )
    assert (
        "3.29 Ofsted considered that the prison had made reasonable progress against this theme."
        in text
    )
    assert "(RP-" not in text


@pytest.mark.rule("RP-7")
def test_the_irp_report_in_html_has_the_published_wording_numbering_and_links(review) -> None:
    html = documents.document_html(review.report)
    text = text_of(html)
    assert_published_wording(text)
    assert re.findall(r'<h4[^>]*id="recommendation-\d"[^>]*>([^<]*)</h4>', html) == HEADINGS
    # The cross-references are links to the paragraphs they name.
    assert 'See paragraph <a class="govuk-link app-xref" href="#para-3-8">3.8</a>' in html
    assert 'See paragraph <a class="govuk-link app-xref" href="#para-3-25">3.25</a>' in html
    assert 'id="para-3-25"' in html
    numbers = documents.paragraph_numbers(review.report)
    assert [n for n in numbers if n.startswith("3.")] == [f"3.{i}" for i in range(1, 30)]
    assert [n for n in numbers if n.startswith("2.")] == [f"2.{i}" for i in range(1, 8)]


@pytest.mark.rule("RP-7")
def test_a_cross_reference_follows_its_paragraph_when_the_numbering_moves(review) -> None:
    first = review.recommendations[0]
    first.narrative = "A new first finding.\n\n" + first.narrative
    first.save()
    text = text_of(documents.document_html(review.report))
    assert "2.6 Peer mentors met every new arrival. (See paragraph 3.9)" in text
    assert "3.9 Second finding." in text
    assert "2.7 Tutors planned reading well. (See paragraph 3.26)" in text
    # A link to a paragraph that no longer exists says no number rather than a wrong one.
    review.themes[1].delete()
    text = text_of(documents.document_html(review.report))
    assert "Tutors planned reading well." in text
    assert "Tutors planned reading well. (See" not in text


@pytest.mark.rule("RP-7")
def test_the_irp_report_in_word_has_the_published_wording(review) -> None:
    word = WordDocument(io.BytesIO(docx_export.export(review.report)))
    paragraphs = [p.text for p in word.paragraphs]
    text = " ".join(" ".join(paragraphs).split())
    assert_published_wording(text)
    assert "2.6\tPeer mentors met every new arrival. (See paragraph 3.8)" in paragraphs
    assert "2.7\tTutors planned reading well. (See paragraph 3.25)" in paragraphs
    headings = [p.text for p in word.paragraphs if p.style and p.style.name == "Heading 3"]
    assert [h for h in headings if h in HEADINGS or h.startswith("Recommendation")] == HEADINGS
    descriptions = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert descriptions[0].startswith(FIGURE_1)
    assert descriptions[1].startswith(FIGURE_2)


@pytest.mark.rule("RP-7")
def test_the_irp_report_in_the_pdf_has_the_published_wording(review) -> None:
    content, _ = pdf.render_pdf(review.report)
    reader = PdfReader(io.BytesIO(content))
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert_published_wording(text)
    assert re.search(r"\(See paragraph 3\.8 on page \d+\)", text)
    assert re.search(r"\(See paragraph 3\.25 on page \d+\)", text)
    for heading in HEADINGS:
        assert heading in text


@pytest.mark.rule("RP-7")
def test_a_report_records_its_house_style_and_publishes_in_the_one_in_force(review) -> None:
    style = house_style.house_style(ReportKind.IRP_REPORT, on=date(2026, 11, 23))
    assert review.report.house_style_version == style.name == "irp_report 2026.1"
    assert f'data-house-style="{style.name}"' in documents.document_html(review.report)
    # A published report is rebuilt in the house style it recorded.
    review.report.stage = ReportStage.PUBLISHED
    review.report.house_style_version = "irp_report 2026.1"
    assert documents.build(review.report).house_style == "irp_report 2026.1"


def _irp_file() -> dict:
    return json.loads((house_style.DATA_DIR / "irp-report-2026.1.json").read_text())


@pytest.mark.rule("RP-7")
def test_a_house_style_file_is_checked_and_every_problem_named() -> None:
    document = _irp_file()
    del document["wording"]["count_zero"]
    document["wording"]["count_part"] = "{level} against {number}"
    document["wording"]["judgements_introduction"] = "Every judgement (RP-6)."
    document["wording"]["made_up"] = "Text."
    del document["sections"]["glossary"]
    with pytest.raises(house_style.HouseStyleError) as error:
        house_style.parse_house_style(document, source="irp.json")
    assert error.value.problems == [
        "sections.glossary is missing",
        "wording.count_zero is missing",
        "wording.count_part uses number; the placeholders it may use: count, level",
        "wording.judgements_introduction carries a rule ID, which published text must not",
        "wording.made_up is not wording this kind of document uses",
    ]
    assert str(error.value).startswith("irp.json: ")


def test_every_shipped_house_style_is_valid_and_checked_at_start(tmp_path: Path) -> None:
    styles = house_style.read_house_styles()
    assert {s.kind for s in styles} == {*ReportKind, house_style.LETTERS}
    call_command("check")  # a bad file would stop it
    document = _irp_file()
    document["version"] = "2027.1"
    document["valid_from"] = "2027-04-01"
    document["wording"]["count_part"] = "{level} for {count}"
    for path in house_style.DATA_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "irp-report-2027.1.json").write_text(json.dumps(document))
    newer = house_style.read_house_styles(tmp_path)
    assert sorted(s.name for s in newer if s.kind == ReportKind.IRP_REPORT) == [
        "irp_report 2026.1",
        "irp_report 2027.1",
    ]
    (tmp_path / "copy.json").write_text(json.dumps(document))
    with pytest.raises(house_style.HouseStyleError, match="given by more than one file"):
        house_style.read_house_styles(tmp_path)


def test_the_letters_default_wording_is_house_style_checked_at_start(monkeypatch) -> None:
    from inspectorate.reports import letters
    from inspectorate.reports.constants import LetterKind

    kind = LetterKind.IRP_ANNOUNCEMENT
    subject, body = house_style.letter_wording(kind)
    assert (letters.DEFAULTS[kind].subject, letters.DEFAULTS[kind].body) == (subject, body)
    assert subject == "Independent review of progress at {{ establishment }}: {{ dates }}"
    assert letters.check_letter_defaults() == []
    monkeypatch.setattr(letters, "letter_wording", lambda k: (subject, "Dear {{ governer }},"))
    problems = letters.check_letter_defaults()
    assert len(problems) == len(LetterKind)
    assert "governer" in problems[0].msg
