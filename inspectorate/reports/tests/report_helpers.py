"""Builders shared by the report tests (no tests here).

"Today" is Monday 23 November 2026 (findings_helpers). The IRP of HMP Leeds ran in October
2026, was announced, and its judgements are moderated; its team leader and Ofsted lead have
accounts. Reports are moved along the workflow with the services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.models import Event
from inspectorate.programme.tests.test_milestone_helpers import make_establishment
from inspectorate.reports import documents, pdf, services
from inspectorate.reports.constants import CommentOutcome, ReportKind, ReportStage
from inspectorate.reports.models import FactualAccuracyComment, Report, ReportRender

PARAGRAPHS = ["1.1", "1.2", "2.1", "2.2"]
PLANNED = date(2027, 1, 20)
DUE = date(2027, 1, 8)


@dataclass
class Cast:
    """The people around one event's report."""

    event: Event
    leader: User
    ofsted: User
    qa: User
    qa2: User
    coordinator: User
    local: User  # a user of the inspected establishment
    stranger: User  # a user of another establishment
    inspector: User  # HMI Prisons staff not on the team
    improvement: User
    member: User  # on the team, not a lead
    scheduler: User
    other_leader: User  # an HMI Prisons team leader, not on this team
    ofsted_inspector: User  # not on the team
    admin: User


def irp_event(**values: Any) -> Event:
    full = h.full_inspection()
    values.setdefault("starts_on", date(2026, 10, 5))
    values.setdefault("announced_on", date(2026, 9, 1))
    values.setdefault("stage", Stage.MODERATED)
    return h.irp(full, **values)


def other_establishment() -> Establishment:
    return make_establishment("WW", "HMP Wandsworth")


def cast(event: Event | None = None) -> Cast:
    event = event or irp_event()
    return Cast(
        event=event,
        leader=h.team_leader(event),
        ofsted=h.ofsted_lead(event),
        qa=h.user(Role.QUALITY_ASSURANCE),
        qa2=h.user(Role.QUALITY_ASSURANCE),
        coordinator=h.user(Role.HMIP_COORDINATOR),
        local=h.establishment_user(event),
        stranger=h.user(Role.ESTABLISHMENT_USER, establishment=other_establishment()),
        inspector=h.user(Role.HMIP_INSPECTOR),
        improvement=h.user(Role.IMPROVEMENT_HMI),
        member=h.team_inspector(event),
        scheduler=h.user(Role.OFSTED_SCHEDULER),
        other_leader=h.user(Role.HMIP_TEAM_LEADER),
        ofsted_inspector=h.user(Role.OFSTED_INSPECTOR),
        admin=h.user(Role.SYSTEM_ADMINISTRATOR),
    )


def fake_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests of the workflow's rules only: fixed paragraphs, a fixed snapshot, and a PDF
    request that records the render without rendering."""
    monkeypatch.setattr(documents, "paragraph_numbers", lambda report: list(PARAGRAPHS))
    monkeypatch.setattr(
        documents, "document_html", lambda report, *, for_pdf=False: "<p>Snapshot text</p>"
    )

    def render_request(*, actor: Any, report: Report) -> ReportRender:
        return ReportRender.objects.create(
            report=report, stage=report.stage, requested_by=actor, status="done", content=b"%PDF"
        )

    monkeypatch.setattr(pdf, "render_request", render_request, raising=False)


def draft(people: Cast, kind: str = ReportKind.IRP_REPORT) -> Report:
    report = services.report_create(actor=people.leader, event=people.event, kind=kind)
    return services.report_update(
        actor=people.leader,
        report=report,
        summary="Leaders had made reasonable progress.",
        planned_publication_on=PLANNED,
        version=report.version,
    )


def approved(people: Cast) -> Report:
    report = draft(people)
    report = services.report_submit_for_qa(
        actor=people.leader, report=report, version=report.version
    )
    return services.report_qa_approve(actor=people.qa, report=report, version=report.version)


def at_factual_accuracy(people: Cast) -> Report:
    report = approved(people)
    return services.report_factual_accuracy_start(
        actor=people.leader, report=report, due_on=DUE, version=report.version
    )


def comment(people: Cast, report: Report, paragraph: str = "1.2") -> FactualAccuracyComment:
    return services.comment_submit(
        actor=people.local,
        report=report,
        paragraph=paragraph,
        text="The figure was 62%, not 58%.",
        proposed_text="Attendance averaged 62%.",
    )


def final(people: Cast) -> Report:
    report = at_factual_accuracy(people)
    made = comment(people, report)
    services.comment_respond(
        actor=people.leader,
        comment=made,
        outcome=CommentOutcome.ACCEPTED,
        response="Corrected.",
        version=made.version,
    )
    report.refresh_from_db()
    return services.report_finalise(actor=people.leader, report=report, version=report.version)


def published(people: Cast) -> Report:
    report = final(people)
    return services.report_publish(actor=people.leader, report=report, version=report.version)


def at_stage(people: Cast, stage: str) -> Report:
    builders: dict[str, Callable[[Cast], Report]] = {
        ReportStage.DRAFT: draft,
        ReportStage.QUALITY_ASSURANCE: approved,
        ReportStage.FACTUAL_ACCURACY: at_factual_accuracy,
        ReportStage.FINAL: final,
        ReportStage.PUBLISHED: published,
    }
    return builders[stage](people)
