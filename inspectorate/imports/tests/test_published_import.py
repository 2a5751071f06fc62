"""Importing published reports: review, commit, idempotence, versions, sources (HI-2)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import DataError

from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.frameworks.services import frameworks_load
from inspectorate.imports.models import SourceDocument, SourceLink
from inspectorate.imports.published.commit import ImportRefused, commit_import
from inspectorate.imports.published.parsed import FollowUp, Source, StatedCount
from inspectorate.imports.published.plan import plan_import
from inspectorate.imports.tests import published_helpers as reports
from inspectorate.inspections.constants import FollowUpKind, Stage
from inspectorate.inspections.models import (
    Concern,
    Inspection,
    Judgement,
    PositivePractice,
    Recommendation,
)
from inspectorate.inspections.models import FollowUp as FollowUpRecord
from inspectorate.programme.constants import EventKind, EventStatus, MilestoneStatus
from inspectorate.programme.models import Event, Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.rule("HI-2")]

RECORD_MODELS = (
    Event,
    Inspection,
    Concern,
    Recommendation,
    FollowUpRecord,
    Judgement,
    PositivePractice,
    SourceDocument,
    SourceLink,
)


@pytest.fixture(autouse=True)
def _register(establishment: Any) -> None:
    frameworks_load(actor=None)
    Establishment.objects.create(code="LF", name="HMP Liverpool", kind="prison")
    Establishment.objects.create(code="LI", name="HMP Lincoln", kind="prison")


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.HMIP_COORDINATOR)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in RECORD_MODELS}


def imported(report: Any, actor: Any, filename: str = "report.pdf") -> Any:
    plan = plan_import(report, actor, data=reports.as_file(report), filename=filename)
    return plan, commit_import(plan, actor)


def test_the_review_writes_nothing(coordinator: Any) -> None:
    before = counts()
    plan = plan_import(reports.full_report(), coordinator, filename="leeds.pdf")
    assert not plan.refused
    assert plan.event is not None
    assert plan.event.action == "create"
    assert {item.action for item in plan.items} == {"create"}
    assert [item.title for item in plan.items if item.kind == "recommendation"] == [
        f"Recommendation {ref}" for ref, *_ in reports.RECOMMENDATIONS
    ]
    first = next(item for item in plan.items if item.key == "1.10")
    assert (first.source, first.where) == (Source(12, 4, "1.10"), "page 12, line 4")
    assert counts() == before


def test_a_full_report_then_the_irp_that_follows_it(coordinator: Any) -> None:
    _, full = imported(reports.full_report(), coordinator, "leeds-2022.pdf")
    event = Event.objects.get(kind=EventKind.FULL_INSPECTION)
    assert (event.starts_on, event.ends_on) == (reports.FULL_STARTS_ON, reports.FULL_ENDS_ON)
    assert event.historical
    assert event.status == EventStatus.COMPLETED
    assert "leeds-2022.pdf" in event.history_source
    # HI-1: its milestones are recorded as not known, none due, missed or impossible.
    assert not Milestone.objects.filter(
        event=event,
        status__in=[MilestoneStatus.MISSED, MilestoneStatus.IMPOSSIBLE, MilestoneStatus.MET],
    ).exists()
    assert event.inspection.stage == Stage.PUBLISHED
    found = {
        r.paragraph_reference: (r.area, r.text, r.concern.text if r.concern else None)
        for r in Recommendation.objects.filter(event=event)
    }
    concerns = reports.full_report().concerns
    assert found == {
        ref: (area, text, concerns[concern].text if concern is not None else None)
        for ref, area, text, _, _, concern in reports.RECOMMENDATIONS
    }
    assert list(
        Concern.objects.filter(event=event)
        .order_by("position")
        .values_list("kind", "paragraph_reference")
    ) == [("priority", "1.5"), ("key", "1.6"), ("ofsted_key", "1.7")]
    scores = {
        j.aspect.title: j.level.value
        for j in Judgement.objects.filter(event=event, framework__slug="healthy-prison-tests")
    }
    assert scores == dict(reports.SCORES)
    assert full.created == len(reports.full_report().concerns) + 6 + 4 + 1

    _, irp_result = imported(reports.irp_report(), coordinator, "leeds-irp-2023.pdf")
    irp = Event.objects.get(kind=EventKind.IRP)
    assert irp.follows_up == event
    assert irp.historical
    assert irp.education_inspectorate == "ofsted"
    recommendations = FollowUpRecord.objects.filter(event=irp, kind=FollowUpKind.RECOMMENDATION)
    assert {
        f.recommendation.paragraph_reference: (  # type: ignore[union-attr]
            f.paragraph_reference,
            f.recommendation.area,  # type: ignore[union-attr]
            f.judgements.get().level.label.lower(),
        )
        for f in recommendations
    } == {
        ref: (
            f"1.{index + 1}",
            next(a for r, a, *_ in reports.RECOMMENDATIONS if r == ref),
            judgement,
        )
        for index, (ref, judgement, _, _) in enumerate(reports.FOLLOW_UPS)
    }
    # Linked to the recommendations the full report made: no skeleton was needed.
    assert Recommendation.objects.filter(event=event).count() == 6
    assert all(f.recommendation.event_id == event.pk for f in recommendations)  # type: ignore[union-attr]
    themes = FollowUpRecord.objects.filter(event=irp, kind=FollowUpKind.THEME).order_by("position")
    assert [
        (t.paragraph_reference, t.theme, t.judgements.get().level.label.lower()) for t in themes
    ] == [(reference, title, judgement) for reference, title, judgement, _, _ in reports.THEMES]
    assert all(
        j.framework.slug
        == (
            "hmip-irp-progress"
            if j.follow_up.kind == "recommendation"  # type: ignore[union-attr]
            else "ofsted-irp-themes"
        )
        for j in Judgement.objects.filter(event=irp)
    )
    assert recommendations.get(recommendation__paragraph_reference="1.10").paragraphs == [
        "Narrative about 1.10.",
        "A second paragraph.",
    ]
    assert irp_result.created == 8 + 1


def test_an_irp_before_its_inspection_makes_the_inspection_s_skeleton(coordinator: Any) -> None:
    imported(reports.irp_report(), coordinator)
    followed = Event.objects.get(kind=EventKind.FULL_INSPECTION)
    assert followed.historical
    assert (followed.starts_on, followed.ends_on) == (
        reports.FULL_STARTS_ON,
        reports.FULL_ENDS_ON,
    )
    skeleton = {
        r.paragraph_reference: r.area for r in Recommendation.objects.filter(event=followed)
    }
    assert skeleton == {ref: area for ref, area, *_ in reports.RECOMMENDATIONS}
    # The full report arriving later fills in the same records, as differences where it says more.
    plan = plan_import(reports.full_report(), coordinator)
    assert plan.event is not None
    assert plan.event.existing == followed
    assert {i.action for i in plan.items if i.kind == "recommendation"} == {"unchanged"}


def test_the_same_document_twice_changes_nothing(coordinator: Any) -> None:
    imported(reports.full_report(), coordinator)
    before = counts()
    plan, result = imported(reports.full_report(), coordinator)
    assert plan.same_document is not None
    assert plan.changes_nothing
    assert result.already_imported
    assert counts() == before


def test_a_newer_version_is_shown_as_a_difference(coordinator: Any) -> None:
    _, first = imported(reports.full_report(), coordinator, "leeds-v1.pdf")
    corrected = reports.full_report(
        recommendations=[
            replace(r, text="Leaders should stop using force on new arrivals without cause.")
            if r.paragraph_reference == "1.10"
            else r
            for r in reports.full_report().recommendations
        ]
    )
    plan = plan_import(corrected, coordinator, data=reports.as_file(corrected), filename="v2.pdf")
    assert plan.previous_document == first.document
    changed = [item for item in plan.items if item.action == "change"]
    assert [item.key for item in changed] == ["1.10"]
    assert changed[0].differences == [
        "text: 'Leaders should reduce the use of force on new arrivals.' becomes "
        "'Leaders should stop using force on new arrivals without cause.'"
    ]
    result = commit_import(plan, coordinator)
    assert result.document.supersedes == first.document
    assert Recommendation.objects.get(paragraph_reference="1.10").text.startswith(
        "Leaders should stop"
    )
    assert not first.document.is_current


def test_every_record_links_to_its_source(coordinator: Any) -> None:
    _, full = imported(reports.full_report(), coordinator)
    _, irp = imported(reports.irp_report(), coordinator)
    for result in (full, irp):
        for record in result.records:
            link = SourceLink.objects.get(
                document=result.document,
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
            )
            assert link.page >= 1
    recommendation = Recommendation.objects.get(
        paragraph_reference="1.21", event__kind="full_inspection"
    )
    link = SourceLink.of(recommendation).get()
    assert (link.page, link.line, link.paragraph) == (15, 7, "1.21")
    assert link.label == "Source: report.pdf, page 15, paragraph 1.21"
    assert bytes(SourceDocument.objects.get(pk=full.document.pk).content) == reports.as_file(
        reports.full_report()
    )
    judged = Judgement.objects.filter(event__kind="irp")
    assert all(SourceLink.of(judgement).exists() for judgement in judged)


def test_an_unknown_establishment_is_refused_with_the_closest_names(coordinator: Any) -> None:
    before = counts()
    plan = plan_import(reports.full_report(establishment="HMP Leedz"), coordinator)
    assert plan.refused
    assert plan.establishment is None
    assert plan.closest_names[0] == "HMP Leeds"
    assert plan.refusal_messages()[0].startswith(
        "Page 1, line 1: The establishment 'HMP Leedz' is not in the register. "
        "Closest names in the register: HMP Leeds"
    )
    with pytest.raises(ImportRefused):
        commit_import(plan, coordinator)
    assert counts() == before


def test_the_establishment_is_matched_without_its_kind(coordinator: Any) -> None:
    plan = plan_import(reports.full_report(establishment="HMP & YOI Leeds"), coordinator)
    assert plan.establishment is not None
    assert plan.establishment.code == "LE"


def test_a_judgement_on_neither_scale_is_refused_with_its_page(coordinator: Any) -> None:
    report = reports.irp_report()
    wrong = replace(report.follow_ups[0], judgement="some progress")
    plan = plan_import(replace(report, follow_ups=[wrong, *report.follow_ups[1:]]), coordinator)
    assert plan.refused
    assert "Page 6, line 3: The judgement 'some progress' of recommendation 1.10 is on neither" in (
        " ".join(plan.refusal_messages())
    )


def test_a_theme_judged_on_the_prisons_scale_is_refused(coordinator: Any) -> None:
    report = reports.irp_report()
    theme = replace(report.follow_ups[-1], judgement="good progress")
    plan = plan_import(replace(report, follow_ups=[*report.follow_ups[:-1], theme]), coordinator)
    assert any("Ofsted's progress scale (JG-7)" in m for m in plan.refusal_messages())


def test_a_count_sentence_that_disagrees_is_refused(coordinator: Any) -> None:
    report = reports.irp_report(
        stated_counts=[StatedCount("hmip", "good progress", 3, Source(3, 12))]
    )
    plan = plan_import(report, coordinator)
    assert plan.refusal_messages() == [
        "Page 3, line 12: The report says 3 recommendations were judged 'good progress', but "
        "1 such judgements were found"
    ]


def test_commit_is_all_or_nothing(coordinator: Any) -> None:
    """The last item fails in the database (a paragraph reference too long for its column):
    the event, concerns and recommendations written before it are gone too."""
    report = reports.full_report(
        positive_practice=[("Good practice.", Source(13, 2, "3.14 and 3.15 and 3.16 too"))]
    )
    before = counts()
    plan = plan_import(report, coordinator)
    assert not plan.refused
    with pytest.raises(DataError):
        commit_import(plan, coordinator)
    assert counts() == before


@pytest.mark.parametrize(
    "role",
    [
        Role.HMIP_TEAM_LEADER,
        Role.HMIP_INSPECTOR,
        Role.OFSTED_SCHEDULER,
        Role.OFSTED_LEAD_INSPECTOR,
        Role.QUALITY_ASSURANCE,
        Role.IMPROVEMENT_HMI,
    ],
)
def test_other_roles_may_not_import(make_user: Any, role: str) -> None:
    someone = make_user(role)
    with pytest.raises(PermissionDenied):
        plan_import(reports.full_report(), someone)


def test_administrators_may_import(make_user: Any) -> None:
    administrator = make_user(Role.SYSTEM_ADMINISTRATOR)
    plan, result = imported(reports.full_report(), administrator)
    assert result.created == len(plan.items)


def test_records_made_in_the_service_are_not_rewritten(
    coordinator: Any, establishment: Any
) -> None:
    from inspectorate.inspections.tests import findings_helpers as h

    event = h.full_inspection(establishment, starts_on=reports.FULL_STARTS_ON)
    plan = plan_import(reports.full_report(), coordinator)
    assert plan.event is not None
    assert plan.event.existing == event
    assert plan.refused
    assert "planned and run in the service" in plan.refusal_messages()[0]


def test_healthy_prison_scores_are_refused_in_an_irp(coordinator: Any) -> None:
    report = reports.irp_report(healthy_prison_scores=reports.full_report().healthy_prison_scores)
    plan = plan_import(report, coordinator)
    assert any("(JG-8)" in message for message in plan.refusal_messages())


def test_follow_up_missing_from_the_inspection_gets_a_skeleton_recommendation(
    coordinator: Any,
) -> None:
    imported(reports.full_report(), coordinator)
    report = reports.irp_report()
    extra = FollowUp(
        kind="recommendation",
        title="Staff should be trained in de-escalation.",
        judgement="good progress",
        source=Source(11, 1, "1.7"),
        paragraph_reference="1.7",
        follows_reference="1.12",
        area="Safety",
    )
    counts_fixed = [
        replace(c, count=2) if c.judgement == "good progress" and c.scale == "hmip" else c
        for c in report.stated_counts
    ]
    report = replace(report, follow_ups=[*report.follow_ups, extra], stated_counts=counts_fixed)
    plan, _ = imported(report, coordinator)
    skeleton = next(item for item in plan.items if item.kind == "followed recommendation")
    assert (skeleton.key, skeleton.action) == ("1.12", "create")
    made = Recommendation.objects.get(event__kind="full_inspection", paragraph_reference="1.12")
    assert (made.area, made.text) == ("Safety", "Staff should be trained in de-escalation.")
    assert made.follow_ups.get().judgements.get().level.slug == "good_progress"
