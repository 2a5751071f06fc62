"""The public pages: published reports, with no sign-in, searchable by establishment, kind
and year, each as the HTML frozen at publication and as a PDF."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import services
from inspectorate.reports.constants import RenderStatus, ReportKind, ReportStage
from inspectorate.reports.models import Report, ReportRender
from inspectorate.reports.tests import report_helpers as r

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _documents(monkeypatch):
    r.fake_documents(monkeypatch)


def _published(kind: str, establishment, published_on: date, html: str = "<p>Text</p>") -> Report:
    starts_on = published_on - timedelta(days=120)
    event = h.full_inspection(establishment, stage=Stage.PUBLISHED, starts_on=starts_on)
    return Report.objects.create(
        event=event,
        kind=kind,
        stage=ReportStage.PUBLISHED,
        published_on=published_on,
        published_html=html,
        created_by=h.user("hmip_coordinator"),
    )


@pytest.fixture
def reports():
    leeds = h.leeds()
    wandsworth = r.other_establishment()
    return {
        "leeds-2025": _published(ReportKind.OFSTED_REPORT, leeds, date(2025, 3, 1)),
        "leeds-2026": _published(ReportKind.OFSTED_FINDINGS, leeds, date(2026, 3, 1)),
        "wandsworth": _published(ReportKind.OFSTED_REPORT, wandsworth, date(2026, 5, 1)),
    }


def _found(client: Client, **query) -> list[Report]:
    response = client.get(reverse("reports:public-list"), query)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_the_list_is_open_signed_out_and_searchable(reports) -> None:
    client = Client()
    assert _found(client) == [reports["wandsworth"], reports["leeds-2026"], reports["leeds-2025"]]
    assert _found(client, establishment="leeds") == [reports["leeds-2026"], reports["leeds-2025"]]
    assert _found(client, establishment="WW") == [reports["wandsworth"]]
    assert _found(client, kind=ReportKind.OFSTED_FINDINGS) == [reports["leeds-2026"]]
    assert _found(client, year=2026, kind=ReportKind.OFSTED_REPORT) == [reports["wandsworth"]]
    page = client.get(reverse("reports:public-list"), {"establishment": "nowhere"})
    assert "0 reports found" in page.content.decode()


def test_drafts_never_appear_on_the_public_pages(reports) -> None:
    people = r.cast(r.irp_event())
    draft = r.at_factual_accuracy(people)
    client = Client()
    assert draft not in _found(client)
    url = reverse("reports:public-report", kwargs={"pk": draft.pk})
    assert client.get(url).status_code == 404


def test_a_published_report_shows_its_frozen_text_and_its_pdf() -> None:
    people = r.cast()
    report = r.published(people)
    # A later change to the record does not change what was published.
    Report.objects.filter(pk=report.pk).update(summary="Changed after publication.")
    client = Client()
    page = client.get(reverse("reports:public-report", kwargs={"pk": report.pk}))
    text = page.content.decode()
    assert "Snapshot text" in text
    assert "Changed after publication." not in text
    assert reverse("reports:public-pdf", kwargs={"pk": report.pk}) in text
    pdf = client.get(reverse("reports:public-pdf", kwargs={"pk": report.pk}))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content == b"%PDF"


def test_a_pdf_not_yet_rendered_is_announced_not_linked(reports) -> None:
    report = reports["wandsworth"]
    ReportRender.objects.create(report=report, stage=ReportStage.PUBLISHED)
    client = Client()
    page = client.get(reverse("reports:public-report", kwargs={"pk": report.pk}))
    assert "being prepared" in page.content.decode()
    assert client.get(reverse("reports:public-pdf", kwargs={"pk": report.pk})).status_code == 404
    ReportRender.objects.create(
        report=report, stage=ReportStage.FINAL, status=RenderStatus.DONE, content=b"%PDF draft"
    )
    assert client.get(reverse("reports:public-pdf", kwargs={"pk": report.pk})).status_code == 404


def test_a_whole_html_document_is_shown_by_its_body(reports) -> None:
    report = reports["leeds-2025"]
    report.published_html = "<html><head><title>x</title></head><body><p>Inner</p></body></html>"
    report.save()
    page = Client().get(reverse("reports:public-report", kwargs={"pk": report.pk}))
    text = page.content.decode()
    assert "<p>Inner</p>" in text
    assert "<title>x</title>" not in text


def test_signed_in_users_see_the_public_link(reports) -> None:
    client = Client()
    client.force_login(h.user("hmip_inspector"))
    page = client.get(reverse("reports:public-list"))
    assert "Published reports" in page.content.decode()
    assert services.kinds_for(reports["leeds-2025"].event) == [
        ReportKind.OFSTED_FINDINGS,
        ReportKind.OFSTED_REPORT,
    ]


def test_the_list_and_the_report_name_ofsted_with_its_capital(reports) -> None:
    """Issue 22: the public list read 'HMP Leeds: ofsted report on …'."""
    client = Client()
    listed = client.get(reverse("reports:public-list")).content.decode()
    assert "Ofsted report on education, skills and work" in listed
    assert "ofsted" not in listed.replace('value="ofsted', "")
    url = reverse("reports:public-report", kwargs={"pk": reports["wandsworth"].pk})
    page = client.get(url).content.decode()
    assert "<title>" in page
    title = page.split("<title>")[1].split("</title>")[0]
    assert ": Ofsted report on education, skills and work" in title
