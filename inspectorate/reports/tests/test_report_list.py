"""The staff list of reports: filters by stage, kind and establishment, and pages of 25;
each filter narrows only what the user may already see."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports.constants import ReportKind, ReportStage
from inspectorate.reports.models import Report
from inspectorate.reports.selectors import REPORTS_PER_PAGE
from inspectorate.reports.tests import report_helpers as r

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _documents(monkeypatch):
    r.fake_documents(monkeypatch)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(client: Client, **query: str) -> list[Report]:
    return list(client.get(reverse("reports:list"), query).context["reports"])


def test_filters_narrow_the_list_by_stage_kind_and_establishment():
    people = r.cast()
    report = r.at_factual_accuracy(people)
    coordinator = _client(people.coordinator)
    name = report.event.establishment.name
    assert listed(coordinator) == [report]
    assert listed(coordinator, stage=ReportStage.FACTUAL_ACCURACY) == [report]
    assert listed(coordinator, stage=ReportStage.DRAFT) == []
    assert listed(coordinator, kind=ReportKind.IRP_REPORT) == [report]
    assert listed(coordinator, kind=ReportKind.OFSTED_REPORT) == []
    assert listed(coordinator, establishment=name[4:9].lower()) == [report]
    assert listed(coordinator, establishment="Nowhere") == []
    page = coordinator.get(reverse("reports:list"), {"establishment": "Nowhere"}).text
    assert "No report you may see matches the filters." in page
    assert "Matching the filters: 0 reports." in page


def test_a_value_not_among_the_choices_is_reported_and_ignored():
    people = r.cast()
    report = r.draft(people)
    response = _client(people.coordinator).get(
        reverse("reports:list"), {"stage": "<script>", "kind": "x" * 500, "page": "abc"}
    )
    assert response.status_code == 200
    assert list(response.context["reports"]) == [report]
    assert "<script>" not in response.text
    assert "Choose the stage from the list: “&lt;script&gt;” is not one of them" in response.text
    assert "Choose the kind from the list" in response.text


def test_filters_never_reach_beyond_what_the_user_may_see():
    people = r.cast()
    r.draft(people)  # a draft: not the establishment's to see
    local = _client(people.local)
    assert listed(local) == []
    assert listed(local, stage=ReportStage.DRAFT) == []


def test_a_long_list_is_paged(monkeypatch):
    people = r.cast()
    report = r.draft(people)
    monkeypatch.setattr("inspectorate.reports.selectors.REPORTS_PER_PAGE", 1)
    others = [r.draft(r.cast(r.irp_event(starts_on=report.event.starts_on))) for _ in range(2)]
    coordinator = _client(people.coordinator)
    first = coordinator.get(reverse("reports:list"))
    assert len(first.context["reports"]) == 1
    assert "page 1 of 3" in first.text
    assert 'rel="next"' in first.text
    seen = {*listed(coordinator), *listed(coordinator, page="2"), *listed(coordinator, page="3")}
    assert seen == {report, *others}
    assert REPORTS_PER_PAGE == 25
