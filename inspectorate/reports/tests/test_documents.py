"""The documents built from the record: the IRP report (RP-6) and the full inspection's
Ofsted findings summary and full Ofsted report (RP-2), as HTML."""

from __future__ import annotations

import itertools
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from inspectorate.accounts.roles import Role
from inspectorate.inspections.models import Judgement
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import documents
from inspectorate.reports.constants import ReportKind, ReportStage
from inspectorate.reports.tests import document_helpers as dh

pytestmark = pytest.mark.django_db

RECOMMENDATION_SENTENCE = (
    "HMI Prisons judged that there was good progress in one recommendation, reasonable "
    "progress in two recommendations, insufficient progress in three recommendations and no "
    "meaningful progress in one recommendation."
)
THEME_SENTENCE = (
    "Ofsted judged that there was significant progress in one theme, reasonable progress in "
    "two themes and insufficient progress in one theme."
)


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def irp():
    return dh.irp_with_judgements()


def text_of(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, f"no table {table_id}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)
    return [[text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


def figure_table(html: str, number: int) -> list[list[str]]:
    figure = re.search(rf'<figure[^>]*id="figure-{number}".*?</figure>', html, re.S)
    assert figure, f"no figure {number}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", figure.group(0), re.S)
    return [[text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


@pytest.mark.rule("RP-6")
@pytest.mark.rule("JG-6")
@pytest.mark.rule("JG-7")
def test_irp_counts_judgements_per_scale_in_sentences_and_figures(irp) -> None:
    html = documents.document_html(irp.report)
    text = text_of(html)
    assert (
        "we followed up seven recommendations from our most recent inspection in "
        "November 2025 and Ofsted followed up four themes"
    ) in text
    assert RECOMMENDATION_SENTENCE in text
    assert THEME_SENTENCE in text
    assert figure_table(html, 1) == [
        ["Judgement", "Number", "Share"],
        ["Good progress", "1", "14%"],
        ["Reasonable progress", "2", "29%"],
        ["Insufficient progress", "3", "43%"],
        ["No meaningful progress", "1", "14%"],
        ["Total", "7", "100%"],
    ]
    assert figure_table(html, 2) == [
        ["Judgement", "Number", "Share"],
        ["Significant progress", "1", "25%"],
        ["Reasonable progress", "2", "50%"],
        ["Insufficient progress", "1", "25%"],
        ["Total", "4", "100%"],
    ]


@pytest.mark.rule("RP-6")
def test_each_figure_is_an_image_labelled_by_its_caption_with_a_data_table(irp) -> None:
    html = documents.document_html(irp.report)
    for number in (1, 2):
        caption = f"figure-{number}-caption"
        assert f'id="{caption}"' in html
        svg = re.search(rf'<svg[^>]*aria-labelledby="{caption}"[^>]*>', html)
        assert svg
        assert 'role="img"' in svg.group(0)
        assert f"Data for figure {number}:" in html
    # Ids inside the two charts do not clash.
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


@pytest.mark.rule("RP-6")
def test_summary_of_judgements_lists_every_recommendation_and_theme(irp) -> None:
    html = documents.document_html(irp.report)
    rows = table_rows(html, "summary-recommendations")
    assert rows[0] == ["Recommendation", "Paragraph", "Judgement"]
    assert len(rows) == 8
    assert rows[1] == ["Recommendation 0: leaders should act.", "1.12", "Good progress"]
    assert rows[7][1:] == ["1.18", "No meaningful progress"]
    themes = table_rows(html, "summary-themes")
    assert len(themes) == 5
    assert themes[1] == ["What progress have leaders made in theme 1?", "Significant progress"]
    assert themes[4][1] == "Insufficient progress"


@pytest.mark.rule("RP-6")
def test_notable_positive_practice_links_to_its_paragraph(irp) -> None:
    html = documents.document_html(irp.report)
    assert "Peer mentors supported readers well." in html
    assert re.search(r'See paragraph <a class="govuk-link app-xref" href="#para-3-2">3.2</a>', html)
    assert 'id="para-3-2"' in html


def test_each_follow_up_has_its_concern_recommendation_paragraphs_and_judgement(irp) -> None:
    html = documents.document_html(irp.report)
    text = text_of(html)
    assert "Concern: Prisoners were locked up too long. (1.2)" in text
    assert re.search(
        r'govuk-!-font-weight-bold"><span class="app-callout__label">Recommendation:</span> '
        r"Recommendation 0: leaders should act. \(1.12\)",
        html,
    )
    assert "3.1 First finding on recommendation 1." in text
    assert "3.2 Second finding." in text
    assert "We considered that the prison had made good progress in this area." in text
    assert "We considered that the prison had made no meaningful progress in this area." in text
    assert (
        "Ofsted considered that the prison had made significant progress against this theme."
        in text
    )
    # Seven recommendations of two paragraphs and a closing judgement each, then four themes
    # of one and a closing judgement: 3.1 to 3.29 (RP-7).
    assert "3.3 We considered that the prison had made good progress in this area." in text
    assert "3.28 Ofsted's finding on theme 4." in text
    assert (
        "3.29 Ofsted considered that the prison had made insufficient progress against this theme."
    ) in text


def test_paragraph_numbers_are_stable_anchors(irp) -> None:
    numbers = documents.paragraph_numbers(irp.report)
    assert numbers[:2] == ["1.1", "1.2"]
    assert [n for n in numbers if n.startswith("3.")] == [f"3.{i}" for i in range(1, 30)]
    html = documents.document_html(irp.report)
    for number in numbers:
        assert f'id="{documents.paragraph_anchor(number)}"' in html
    assert documents.paragraph_anchor("3.2") == "para-3-2"
    assert documents.paragraph_numbers(irp.report) == numbers  # the same each time


def test_headings_are_in_order_and_the_title_page_names_the_review(irp) -> None:
    html = documents.document_html(irp.report)
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    text = text_of(html)
    assert "Report on an independent review of progress at HMP Leeds" in text
    assert "5 \u2013 7 October 2026" in text
    for section in (
        "Section 1 Chief Inspector's summary",
        "Section 2 Key findings",
        "Section 4 Summary of judgements",
        "Appendix I About this report",
        "Appendix II The inspection team",
        "Appendix III Glossary",
    ):
        assert section in text
    assert "Draft: not for publication" in text


def test_appendices_define_every_level_and_name_the_team(irp) -> None:
    text = text_of(documents.document_html(irp.report))
    for label in (
        "Good progress",
        "Reasonable progress",
        "Insufficient progress",
        "No meaningful progress",
        "Significant progress",
    ):
        assert label in text
    assert "has not formulated, resourced or begun to implement" in text
    assert "having a significant and sustained impact" in text
    assert "HMI Prisons team leader" in text
    assert "Ofsted lead inspector" in text


@pytest.mark.rule("RP-6")
def test_an_item_not_yet_judged_is_counted_apart(irp) -> None:
    Judgement.objects.filter(follow_up__event=irp.review, level__slug="good_progress").delete()
    html = documents.document_html(irp.report)
    text = text_of(html)
    assert (
        "HMI Prisons judged that there was good progress in none of the recommendations, "
        "reasonable progress in two recommendations, insufficient progress in three "
        "recommendations and no meaningful progress in one recommendation; one recommendation "
        "has not yet been judged."
    ) in text
    assert ["Not yet judged", "1", "14%"] in figure_table(html, 1)
    assert ["Good progress", "0", "0%"] in figure_table(html, 1)
    assert "Progress has not yet been judged." in text


@pytest.mark.rule("RP-2")
def test_ofsted_findings_summary_for_purposeful_activity() -> None:
    report, _ = dh.full_inspection_report(ReportKind.OFSTED_FINDINGS)
    html = documents.document_html(report)
    text = text_of(html)
    assert "Section 5 Purposeful activity" in text
    assert "Education, skills and work activities" in text
    assert "The full Ofsted report is published alongside it." in text
    assert "purposeful activity to be poor" in text
    assert table_rows(html, "ofsted-grades")[1:] == [
        ["Overall effectiveness", "Requires improvement"],
        ["Quality of education", "Inadequate"],
        ["Leadership and management", "Requires improvement"],
    ]
    # The grade table (5.4) and each key concern (5.6, 5.7) are numbered: comments reach them.
    assert "5.6 Key concern: Data were not used to plan. (1.10)" in text
    assert "Recommendation: Leaders should act on key concern 2. (1.19)" in text
    assert documents.paragraph_numbers(report)[:7] == [f"5.{n}" for n in range(1, 8)]
    assert "5.5 Education required improvement." in text


@pytest.mark.rule("RP-2")
def test_full_ofsted_report_text() -> None:
    report, _ = dh.full_inspection_report(ReportKind.OFSTED_REPORT)
    html = documents.document_html(report)
    text = text_of(html)
    assert "Ofsted report on education, skills and work at HMP Leeds" in text
    for heading in (
        "Section 1 Information about the establishment",
        "Section 2 Summary of key findings",
        "Section 3 What the provider needs to do to improve",
        "Section 4 Main findings",
        "Quality of education: Inadequate",
    ):
        assert heading in text
    assert "4.2 Too few prisoners achieved their qualifications." in text
    assert "Grade 4:" in text  # the grading scale is defined


def test_a_published_report_has_no_draft_warning(irp) -> None:  # saved as published
    irp.report.stage = ReportStage.PUBLISHED
    irp.report.save()
    assert "not for publication" not in documents.document_html(irp.report)


def test_the_document_page_shows_the_document_and_its_panel(client, irp) -> None:
    client.force_login(irp.leader)
    response = client.get(reverse("reports:document", kwargs={"pk": irp.report.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert RECOMMENDATION_SENTENCE in text_of(body)
    assert "No PDF has been made of this report yet." in body
    assert reverse("reports:docx", kwargs={"pk": irp.report.pk}) in body


def test_the_document_page_is_not_found_for_who_may_not_see_the_draft(client, irp) -> None:
    url = reverse("reports:document", kwargs={"pk": irp.report.pk})
    for outsider in (
        h.user(Role.HMIP_INSPECTOR),
        h.user(Role.ESTABLISHMENT_USER, establishment=irp.review.establishment),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


@pytest.mark.browser
@pytest.mark.rule("RP-6")
@pytest.mark.django_db(transaction=True)
def test_the_document_page_in_a_browser(page, live_server, axe_check) -> None:
    import os

    import time_machine
    from playwright.sync_api import expect

    from conftest import TEST_PASSWORD

    with time_machine.travel(h.NOON):
        irp = dh.irp_with_judgements()
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(irp.leader.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")
    page.goto(f"{base}{reverse('reports:document', kwargs={'pk': irp.report.pk})}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report on an independent review of progress at HMP Leeds"
    )
    expect(page.get_by_role("img", name="Figure 1:", exact=False)).to_be_visible()
    if os.environ.get("REPORT_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['REPORT_SCREENSHOTS']}/document.png", full_page=True)
    assert axe_check(page) == []
    page.get_by_role("button", name="Make a PDF").click()
    expect(page.locator("#pdf-status")).to_contain_text("Making the PDF")
    assert page.locator("#pdf-status[hx-trigger]").count() == 1


def test_the_snapshot_uses_the_instance_as_it_is_not_as_saved(irp) -> None:
    """Publication sets the stage, then freezes the HTML, then saves."""
    irp.report.stage = ReportStage.PUBLISHED
    html = documents.document_html(irp.report)
    assert "not for publication" not in html
