"""The Word export of a draft: the same document as the page and the PDF, for inspectors
who edit in Word; only to those who may see the draft."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as WordDocument

from inspectorate.accounts.roles import Role
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import docx_export
from inspectorate.reports.tests import document_helpers as dh
from inspectorate.reports.tests.test_documents import RECOMMENDATION_SENTENCE, THEME_SENTENCE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def irp():
    return dh.irp_with_judgements()


def opened(content: bytes):
    return WordDocument(io.BytesIO(content))


@pytest.mark.rule("RP-6")
def test_the_word_export_carries_the_report(irp) -> None:
    word = opened(docx_export.export(irp.report))
    paragraphs = [p.text for p in word.paragraphs]
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert word.core_properties.title == (
        "Report on an independent review of progress at HMP Leeds"
    )
    assert headings[:3] == [
        "Section 1: Chief Inspector's summary",
        "Section 2: Key findings",
        "Notable positive practice",
    ]
    assert "Section 4: Summary of judgements" in headings
    assert RECOMMENDATION_SENTENCE in paragraphs[paragraphs.index("Section 2: Key findings") + 2]
    assert any(THEME_SENTENCE in p for p in paragraphs)
    assert "3.1\tFirst finding on recommendation 1." in paragraphs
    assert "3.3\tWe considered that the prison had made good progress in this area." in paragraphs
    assert paragraphs[0].startswith("Draft: not for publication.")
    assert word.sections[0].header.paragraphs[0].text == "Independent review of progress: HMP Leeds"


@pytest.mark.rule("RP-6")
def test_figures_are_pictures_with_a_description_and_their_data_table(irp) -> None:
    word = opened(docx_export.export(irp.report))
    assert len(word.inline_shapes) == 2
    description = word.inline_shapes[0]._inline.docPr.get("descr")
    assert description.startswith("Figure 1: HMI Prisons' judgements of progress")
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in word.tables]
    assert ["Insufficient progress", "3", "43%"] in tables[0]
    assert ["Total", "4", "100%"] in tables[1]
    summary = next(t for t in tables if t[0] == ["Recommendation", "Paragraph", "Judgement"])
    assert len(summary) == 8
    assert summary[7][1:] == ["1.18", "No meaningful progress"]


def test_the_word_download(client, irp) -> None:
    url = reverse("reports:docx", kwargs={"pk": irp.report.pk})
    client.force_login(irp.leader)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert 'filename="hmp-leeds-irp-report-2026-10.docx"' in response["Content-Disposition"]
    assert opened(response.content).paragraphs


def test_a_draft_in_word_is_not_found_for_who_may_not_see_it(client, irp) -> None:
    url = reverse("reports:docx", kwargs={"pk": irp.report.pk})
    for outsider in (
        h.user(Role.HMIP_INSPECTOR),
        h.user(Role.ESTABLISHMENT_USER, establishment=irp.review.establishment),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in
