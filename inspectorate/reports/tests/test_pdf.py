"""PDFs: the IRP report's text in the PDF (RP-6), the PDF's furniture (page numbers,
running header, contents with page references, tags), the background task and who may
download a PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from inspectorate.accounts.roles import Role
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import pdf
from inspectorate.reports.constants import RenderStatus, ReportKind, ReportStage
from inspectorate.reports.models import ReportRender
from inspectorate.reports.tests import document_helpers as dh
from inspectorate.reports.tests.test_documents import RECOMMENDATION_SENTENCE, THEME_SENTENCE


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.mark.django_db
@pytest.mark.rule("RP-6")
def test_the_irp_pdf_carries_the_counts_figures_and_summary_of_judgements() -> None:
    irp = dh.irp_with_judgements()
    content, pages = pdf.render_pdf(irp.report)
    reader, text = pdf_text(content)
    assert content.startswith(b"%PDF")
    assert pages == len(reader.pages) >= 8
    words = flat(text)
    assert RECOMMENDATION_SENTENCE in words
    assert THEME_SENTENCE in words
    # The figures' data tables, their text alternative.
    assert "Data for figure 1:" in words
    assert "Data for figure 2:" in words
    assert "Insufficient progress 3 43%" in words
    assert "Reasonable progress 2 50%" in words
    assert "Total 7 100%" in words
    assert "Total 4 100%" in words
    # The summary of judgements.
    assert "Summary of judgements" in words
    assert "Progress against each recommendation followed up by HMI Prisons" in words
    assert "Progress in each theme followed up by Ofsted" in words
    assert "1.18 No meaningful progress" in words
    assert "What progress have leaders made in theme 1? Significant progress" in words
    assert "We considered that the prison had made insufficient progress in this area." in words


@pytest.mark.django_db
def test_the_pdf_has_page_numbers_a_running_header_contents_with_pages_and_tags() -> None:
    irp = dh.irp_with_judgements()
    content, pages = pdf.render_pdf(irp.report)
    reader, _ = pdf_text(content)
    title_page = reader.pages[0].extract_text()
    assert "Report on an independent review of" in title_page
    assert "Page 1" not in title_page  # the title page has no furniture
    contents = flat(reader.pages[1].extract_text())
    assert "Contents" in contents
    assert f"Page 2 of {pages}" in contents
    assert "Independent review of progress: HMP Leeds" in contents
    assert "DRAFT" in contents
    # Each contents entry ends with the page its section starts on.
    summary_page = next(
        i + 1
        for i, p in enumerate(reader.pages)
        if "Summary of judgements" in p.extract_text() and i > 1
    )
    assert "Section 4: Summary of judgements" in contents
    assert f" {summary_page} " in contents[contents.index("Summary of judgements") :][:200] + " "
    # Cross-references carry the page too.
    assert "(See paragraph 3.2 on page" in flat("\n".join(p.extract_text() for p in reader.pages))
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None
    assert (reader.metadata.title or "").startswith("Report on an independent review of progress")


@pytest.mark.django_db
@pytest.mark.rule("RP-2")
def test_the_ofsted_findings_pdf() -> None:
    report, _ = dh.full_inspection_report(ReportKind.OFSTED_FINDINGS)
    content, pages = pdf.render_pdf(report)
    _, text = pdf_text(content)
    words = flat(text)
    assert pages >= 2
    assert "Education, skills and work activities" in words
    assert "Overall effectiveness Requires improvement" in words


@pytest.mark.django_db
def test_a_published_report_prints_its_frozen_snapshot() -> None:
    irp = dh.irp_with_judgements(stage=ReportStage.PUBLISHED)
    irp.report.published_html = '<article lang="en-GB"><h1>Frozen words</h1></article>'
    irp.report.save()
    _, text = pdf_text(pdf.render_pdf(irp.report)[0])
    assert "Frozen words" in text
    assert "DRAFT" not in text


# The background task ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_task_makes_the_pdf_with_progress(run_worker) -> None:
    irp = dh.irp_with_judgements()
    render = pdf.render_request(actor=irp.leader, report=irp.report)
    assert render.status == RenderStatus.QUEUED
    assert render.progress == 0
    run_worker()
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE
    assert render.progress == 100
    assert render.page_count
    assert render.page_count >= 8
    assert bytes(render.content or b"").startswith(b"%PDF")
    assert render.finished_at is not None
    assert render.stage == ReportStage.DRAFT


@pytest.mark.django_db(transaction=True)
def test_a_failure_is_recorded_with_its_reason(run_worker, monkeypatch) -> None:
    irp = dh.irp_with_judgements()

    def broken(report, *, progress=None):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    render = pdf.render_request(actor=irp.leader, report=irp.report)
    run_worker()
    render.refresh_from_db()
    assert render.status == RenderStatus.FAILED
    assert render.message == "The PDF could not be made: no fonts"
    assert render.content is None
    assert render.page_count is None


@pytest.mark.django_db
def test_a_pdf_request_needs_a_report_the_actor_may_see() -> None:
    irp = dh.irp_with_judgements()
    outsider = h.user(Role.HMIP_INSPECTOR)
    with pytest.raises(PermissionDenied):
        pdf.render_request(actor=outsider, report=irp.report)
    assert not ReportRender.objects.exists()


# The pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_requesting_a_pdf_shows_its_progress(client, django_capture_on_commit_callbacks) -> None:
    irp = dh.irp_with_judgements()
    client.force_login(irp.leader)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reports:pdf-request", kwargs={"pk": irp.report.pk}))
    assert len(callbacks) == 1  # the task is deferred after commit, not run in the request
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Making the PDF: 0%" in page
    assert '<meta http-equiv="refresh" content="3">' in page  # without JavaScript
    status = client.get(reverse("reports:pdf-status", kwargs={"pk": irp.report.pk}))
    assert 'hx-trigger="every 2s"' in status.content.decode()
    htmx = client.post(
        reverse("reports:pdf-request", kwargs={"pk": irp.report.pk}), HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 200
    assert 'id="pdf-status"' in htmx.content.decode()


def _done(report, stage: str) -> ReportRender:
    return ReportRender.objects.create(
        report=report,
        stage=stage,
        status=RenderStatus.DONE,
        progress=100,
        content=b"%PDF-1.7 test",
        page_count=1,
    )


@pytest.mark.django_db
def test_a_finished_pdf_stops_polling_and_offers_the_download(client) -> None:
    irp = dh.irp_with_judgements()
    render = _done(irp.report, ReportStage.DRAFT)
    client.force_login(irp.leader)
    status = client.get(reverse("reports:pdf-status", kwargs={"pk": irp.report.pk}))
    body = status.content.decode()
    assert "hx-trigger" not in body
    assert reverse("reports:pdf-download", kwargs={"pk": render.pk}) in body
    download = client.get(reverse("reports:pdf-download", kwargs={"pk": render.pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content == b"%PDF-1.7 test"


@pytest.mark.django_db
def test_a_draft_pdf_is_not_found_for_who_may_not_see_the_draft(client) -> None:
    irp = dh.irp_with_judgements()
    render = _done(irp.report, ReportStage.DRAFT)
    url = reverse("reports:pdf-download", kwargs={"pk": render.pk})
    assert client.get(url).status_code == 404  # nobody signed in
    for outsider in (
        h.user(Role.HMIP_INSPECTOR),
        h.user(Role.ESTABLISHMENT_USER, establishment=irp.review.establishment),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(dh.team_member(irp.review))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_published_pdf_is_for_anyone_but_not_its_drafts(client) -> None:
    irp = dh.irp_with_judgements(stage=ReportStage.PUBLISHED)
    published = _done(irp.report, ReportStage.PUBLISHED)
    earlier = _done(irp.report, ReportStage.FACTUAL_ACCURACY)
    response = client.get(reverse("reports:pdf-download", kwargs={"pk": published.pk}))
    assert response.status_code == 200  # without signing in
    assert client.get(reverse("reports:pdf-download", kwargs={"pk": earlier.pk})).status_code == 404
