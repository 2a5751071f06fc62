"""Builders shared by the document tests (no tests here).

An IRP of HMP Leeds in October 2026 following up seven recommendations of the November
2025 full inspection and four Ofsted themes, every one judged: recommendations one good,
two reasonable, three insufficient and one no meaningful progress (JG-6); themes one
significant, two reasonable and one insufficient progress (JG-7). Made with the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.frameworks.models import Aspect, Framework
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import ConcernKind, Stage
from inspectorate.inspections.models import (
    Concern,
    Judgement,
    PositivePractice,
    Recommendation,
)
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Event
from inspectorate.programme.tests.test_milestone_helpers import put_on_team
from inspectorate.reports.constants import ReportKind, ReportStage
from inspectorate.reports.models import Report

RECOMMENDATION_LEVELS = (
    "good_progress",
    "reasonable_progress",
    "reasonable_progress",
    "insufficient_progress",
    "insufficient_progress",
    "insufficient_progress",
    "no_meaningful_progress",
)
THEME_LEVELS = (
    "significant_progress",
    "reasonable_progress",
    "reasonable_progress",
    "insufficient_progress",
)
SUMMARY = "Leaders had begun to act on our findings.\n\nBut progress was too slow in education."


@dataclass
class Irp:
    full: Event
    review: Event
    leader: User
    ofsted: User
    report: Report
    recommendations: list[Recommendation]


def irp_with_judgements(stage: str = ReportStage.DRAFT) -> Irp:
    frameworks_load(actor=None)
    full = h.full_inspection()
    concern = Concern.objects.create(
        event=full,
        kind=ConcernKind.PRIORITY,
        text="Prisoners were locked up too long.",
        paragraph_reference="1.2",
    )
    recommendations = h.recommendations(full, 10)
    recommendations[0].concern = concern
    recommendations[0].save()
    review = h.irp(full, starts_on=date(2026, 10, 5), announced_on=date(2026, 9, 1))
    h.set_stage(review, Stage.MODERATED)
    leader = h.team_leader(review)
    ofsted = h.ofsted_lead(review)
    items = []
    for index, (recommendation, slug) in enumerate(
        zip(recommendations, RECOMMENDATION_LEVELS, strict=False)
    ):
        item = h.follow_up(
            review,
            recommendation,
            position=index,
            narrative=f"First finding on recommendation {index + 1}.\n\nSecond finding.",
        )
        h.progress_judgement(item, slug, leader)
        items.append(item)
    for index, slug in enumerate(THEME_LEVELS):
        item = h.theme(
            review,
            f"What progress have leaders made in theme {index + 1}?",
            position=index,
            narrative=f"Ofsted's finding on theme {index + 1}.",
        )
        h.progress_judgement(item, slug, ofsted)
    # Linked to the second paragraph of the first recommendation's part of Section 3.
    PositivePractice.objects.create(
        event=review, text="Peer mentors supported readers well.", follow_up=items[0], paragraph=2
    )
    report = Report.objects.create(
        event=review, kind=ReportKind.IRP_REPORT, summary=SUMMARY, created_by=leader, stage=stage
    )
    return Irp(full, review, leader, ofsted, report, recommendations)


def full_inspection_report(kind: str) -> tuple[Report, User]:
    """A full inspection with Ofsted's grades, two Ofsted key concerns with recommendations
    and the healthy prison test of purposeful activity; and its report of `kind`."""
    frameworks_load(actor=None)
    full = h.full_inspection()
    leader = h.team_leader(full)
    ofsted = h.ofsted_lead(full)
    eif = Framework.objects.get(slug="eif-prisons")
    for code, slug, rationale in (
        ("OE", "requires_improvement", "Overall, education requires improvement."),
        ("QE", "inadequate", "Too few prisoners achieved their qualifications."),
        ("LM", "requires_improvement", "Leaders did not use data well enough."),
    ):
        Judgement.objects.create(
            event=full,
            framework=eif,
            aspect=Aspect.objects.get(framework=eif, code=code),
            level=h.level(slug, "eif-prisons"),
            rationale=rationale,
            decided_by=ofsted,
        )
    tests = Framework.objects.get(slug="healthy-prison-tests")
    Judgement.objects.create(
        event=full,
        framework=tests,
        aspect=Aspect.objects.get(framework=tests, code="PA"),
        level=h.level("poor", "healthy-prison-tests"),
        decided_by=leader,
    )
    for index, text in enumerate(("Data were not used to plan.", "Attendance was too low.")):
        concern = Concern.objects.create(
            event=full,
            kind=ConcernKind.OFSTED_KEY,
            text=text,
            paragraph_reference=f"1.{10 + index}",
            position=index,
        )
        Recommendation.objects.create(
            event=full,
            concern=concern,
            text=f"Leaders should act on key concern {index + 1}.",
            paragraph_reference=f"1.{18 + index}",
        )
    report = Report.objects.create(
        event=full, kind=kind, summary="Education required improvement.", created_by=ofsted
    )
    return report, ofsted


def team_member(event: Event) -> User:
    member = h.user(Role.OFSTED_INSPECTOR)
    put_on_team(event, member, TeamRole.INSPECTOR)
    return member
