"""Reports and their factual-accuracy comments through the API (RP-3, JG-9)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspectorate.api.tests.helpers import client_for
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Inspection
from inspectorate.programme.constants import EventKind
from inspectorate.programme.tests.test_milestone_helpers import make_establishment, make_event
from inspectorate.reports import services
from inspectorate.reports.constants import ReportStage
from inspectorate.reports.models import Report, ReportRender
from inspectorate.reports.tests import report_helpers as r

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents(monkeypatch: pytest.MonkeyPatch) -> None:
    r.fake_documents(monkeypatch)


@pytest.fixture
def people() -> r.Cast:
    return r.cast()


def post(client: Any, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return client.post(path, data, content_type="application/json", headers=headers)


def step(client: Any, report: dict[str, Any], name: str, data: Any = None) -> dict[str, Any]:
    answer = post(client, f"/api/v1/reports/{report['id']}/{name}/", data or {}, report["version"])
    assert answer.status_code == 200, answer.content
    assert answer["ETag"] == f'"{answer.json()["version"]}"'
    return answer.json()


@pytest.mark.rule("RP-3")
@pytest.mark.rule("JG-9")
def test_a_report_goes_from_draft_to_published_through_the_api(people: r.Cast) -> None:
    leader = client_for(people.leader)
    created = post(leader, "/api/v1/reports/", {"event": people.event.pk, "kind": "irp_report"})
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["stage"] == "draft"
    edited = leader.patch(
        f"/api/v1/reports/{report['id']}/",
        {"summary": "Reasonable progress.", "planned_publication_on": str(r.PLANNED)},
        content_type="application/json",
        headers={"If-Match": f'"{report["version"]}"'},
    )
    assert edited.status_code == 200, edited.content
    report = step(leader, edited.json(), "submit")
    assert report["stage"] == "quality_assurance"
    report = step(client_for(people.qa), report, "qa-approve")
    report = step(leader, report, "factual-accuracy-start", {"due_on": str(r.DUE)})
    assert report["stage"] == "factual_accuracy"
    inspection = Inspection.objects.get(event=people.event)
    assert inspection.stage == Stage.FACTUAL_ACCURACY  # its judgements are locked (JG-9)
    local = client_for(people.local)
    assert local.get(f"/api/v1/reports/{report['id']}/").status_code == 200
    comment = post(
        local,
        "/api/v1/report-comments/",
        {"report": report["id"], "paragraph": "1.2", "text": "It was 62%."},
    )
    assert comment.status_code == 201, comment.content
    comment_path = f"/api/v1/report-comments/{comment.json()['id']}/respond/"
    answer = {"outcome": "accepted", "response": "Corrected."}
    assert post(leader, comment_path, answer).status_code == 428
    responded = post(leader, comment_path, answer, version=1)
    assert responded.status_code == 200, responded.content
    report = step(leader, report, "finalise")
    report = step(leader, report, "publish")
    assert report["stage"] == "published"
    assert report["published_on"] is not None
    assert Report.objects.get(pk=report["id"]).stage == ReportStage.PUBLISHED
    rendered = post(local, f"/api/v1/reports/{report['id']}/pdf/", {})
    assert rendered.status_code == 202, rendered.content
    assert ReportRender.objects.filter(report_id=report["id"]).count() == 2


def test_a_step_needs_the_reports_current_version(people: r.Cast) -> None:
    report = r.draft(people)
    leader = client_for(people.leader)
    path = f"/api/v1/reports/{report.pk}/submit/"
    assert post(leader, path, {}).status_code == 428
    assert post(leader, path, {}, version=report.version - 1).status_code == 412
    assert Report.objects.get(pk=report.pk).stage == ReportStage.DRAFT


@pytest.mark.rule("RP-3")
def test_an_establishment_sees_a_draft_only_at_its_check_and_only_its_own(
    people: r.Cast,
) -> None:
    report = r.approved(people)
    local, stranger = client_for(people.local), client_for(people.stranger)
    assert local.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert local.get("/api/v1/reports/").json()["count"] == 0
    report = services_start(people, report)
    assert local.get(f"/api/v1/reports/{report.pk}/").status_code == 200
    assert stranger.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert stranger.get("/api/v1/reports/").json()["count"] == 0
    refused = post(
        stranger, "/api/v1/report-comments/", {"report": report.pk, "paragraph": "1.1", "text": "x"}
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "report"


def services_start(people: r.Cast, report: Report) -> Report:
    return services.report_factual_accuracy_start(
        actor=people.leader, report=report, due_on=r.DUE, version=report.version
    )


def test_each_step_is_for_its_own_role(people: r.Cast) -> None:
    report = r.draft(people)
    member = client_for(people.member)
    assert member.get(f"/api/v1/reports/{report.pk}/").status_code == 200
    assert (
        post(member, f"/api/v1/reports/{report.pk}/submit/", {}, report.version).status_code == 403
    )
    outsider = client_for(people.inspector)
    assert outsider.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    for name in ("qa-return", "factual-accuracy-start"):  # hidden before its body is read
        blind = post(outsider, f"/api/v1/reports/{report.pk}/{name}/", {}, report.version)
        assert blind.status_code == 404, name
    submitted = step(
        client_for(people.leader), {"id": report.pk, "version": report.version}, "submit"
    )
    leader_approves = post(
        client_for(people.leader),
        f"/api/v1/reports/{report.pk}/qa-approve/",
        {},
        submitted["version"],
    )
    assert leader_approves.status_code == 403
    returned = post(
        client_for(people.qa),
        f"/api/v1/reports/{report.pk}/qa-return/",
        {"reason": "Tighten the summary."},
        submitted["version"],
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["stage"] == "draft"


def test_the_list_costs_the_same_queries_for_2_and_20_reports(people: r.Cast) -> None:
    coordinator = client_for(people.coordinator)

    def add(first: int, count: int) -> None:
        for n in range(first, first + count):
            place = make_establishment(f"R{n}", f"HMP R{n}")
            event = make_event(place, kind=EventKind.IRP, starts_on=date(2027, 2, 1), signal=False)
            Report.objects.create(event=event, kind="irp_report", created_by=people.leader)

    add(0, 2)
    path = "/api/v1/reports/?page_size=200"
    with CaptureQueriesContext(connection) as small:
        assert coordinator.get(path).json()["count"] == 2
    add(2, 18)
    with CaptureQueriesContext(connection) as large:
        assert coordinator.get(path).json()["count"] == 20
    assert len(large) == len(small)
