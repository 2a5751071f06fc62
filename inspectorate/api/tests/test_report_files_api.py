"""A report's document, PDF and Word file through the API, as on the report page: the
document's HTML, the PDF asked for, polled and downloaded, the Word export; each only for
those who may read the report at its stage (RP-3)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import pdf
from inspectorate.reports.constants import RenderStatus
from inspectorate.reports.models import ReportRender
from inspectorate.reports.tests import document_helpers as dh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    yield from h.frozen_today()


@pytest.mark.rule("RP-6")
def test_the_lead_reads_the_document_then_asks_for_polls_and_downloads_the_pdf(
    django_capture_on_commit_callbacks: Any,
) -> None:
    irp = dh.irp_with_judgements()
    base = f"/api/v1/reports/{irp.report.pk}/"
    lead = client_for(irp.leader)
    document = lead.get(f"{base}document/")
    assert document.status_code == 200
    assert document.json()["stage"] == "draft"
    assert "Summary of judgements" in document.json()["html"]
    assert lead.get(f"{base}pdf-status/").status_code == 404  # none asked for yet
    assert lead.get(f"{base}pdf-file/").status_code == 404
    with django_capture_on_commit_callbacks(execute=False):
        asked = lead.post(f"{base}pdf/")
    assert asked.status_code == 202
    status = lead.get(f"{base}pdf-status/").json()
    assert (status["id"], status["status"]) == (asked.json()["id"], RenderStatus.QUEUED)
    assert lead.get(f"{base}pdf-file/").status_code == 404  # not made yet
    assert pdf.render_perform(render_id=status["id"]) == RenderStatus.DONE  # the worker's part
    assert lead.get(f"{base}pdf-status/").json()["status"] == RenderStatus.DONE
    file = lead.get(f"{base}pdf-file/", headers={"Accept": "application/pdf"})
    assert file.status_code == 200
    assert file["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(file.content)).pages)
    assert "Summary of judgements" in " ".join(text.split())


def test_the_word_export_is_the_report(django_capture_on_commit_callbacks: Any) -> None:
    irp = dh.irp_with_judgements()
    word = client_for(irp.leader).get(f"/api/v1/reports/{irp.report.pk}/word/")
    assert word.status_code == 200
    assert word["Content-Disposition"].endswith('.docx"')
    paragraphs = [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
    assert any("Summary of judgements" in text for text in paragraphs)


def test_a_draft_and_its_files_are_not_found_for_who_may_not_read_it() -> None:
    irp = dh.irp_with_judgements()
    ReportRender.objects.create(
        report=irp.report,
        stage=irp.report.stage,
        status=RenderStatus.DONE,
        content=b"%PDF-1.7 test",
        page_count=1,
    )
    base = f"/api/v1/reports/{irp.report.pk}/"
    for outsider in (
        h.user(Role.HMIP_INSPECTOR),
        h.user(Role.ESTABLISHMENT_USER, establishment=irp.review.establishment),
    ):
        client = client_for(outsider)
        for path in ("document/", "pdf-status/", "pdf-file/", "word/"):
            assert client.get(base + path).status_code == 404, path
    member = client_for(dh.team_member(irp.review))
    assert member.get(f"{base}pdf-file/").content == b"%PDF-1.7 test"
