"""Judgements through their one writer: evidence cited (IN-7), the frameworks of the event
(JG-1, JG-8), derived judgements through the grading engine (JG-3), provisional until
moderated and locked after the factual-accuracy check except by a recorded correction
(JG-9), and the overall education judgement feeding the IRP's Ofsted decision (PG-8)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.models import Aspect
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import EvidenceSource, JudgementStatus, Stage
from inspectorate.inspections.judgements import selectors, services
from inspectorate.inspections.models import (
    EvidenceForm,
    Inspection,
    Judgement,
    JudgementCorrection,
)
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme.constants import EducationJudgement
from inspectorate.programme.models import Event
from inspectorate.programme.selectors import education_judgement_at

pytestmark = pytest.mark.django_db

EDUCATION = "eif-prisons"  # the prison education framework in force
HPT = "healthy-prison-tests"


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _frameworks(db):
    frameworks_load(actor=None)


@pytest.fixture
def full():
    return h.full_inspection(stage=Stage.FIELDWORK)


@pytest.fixture
def lead(full):
    return h.ofsted_lead(full)


def aspect(code: str, framework: str = EDUCATION) -> Aspect:
    return Aspect.objects.get(framework__slug=framework, code=code)


def evidence(event: Event, author: Any, code: str, framework: str = EDUCATION) -> EvidenceForm:
    return EvidenceForm.objects.create(
        event=event,
        author=author,
        evidence_on=event.starts_on,
        source=EvidenceSource.STAFF,
        aspect=aspect(code, framework),
        text=f"What we found on {code}.",
    )


def education_framework(event: Event) -> str:
    """The slug of the education framework in force at `event` (for its kinds, JG-1)."""
    return next(f.slug for f in selectors.frameworks_for(event) if f.slug != HPT)


def grade(event: Event, actor: Any, code: str, slug: str, **values: Any) -> Judgement:
    """Record `code` at `slug` of the education framework in force at the event (the prison
    framework, or the 2012 CIF for an FE provider), citing fresh evidence unless derived."""
    framework = education_framework(event)
    target = aspect(code, framework)
    if not target.is_derived:
        values.setdefault("evidence", [evidence(event, actor, code, framework)])
    return services.judgement_record(
        actor=actor,
        event=event,
        aspect=target,
        level=h.level(slug, framework),
        **values,
    )


def grade_all_required(event: Event, actor: Any, slug: str = "good") -> None:
    for required in selectors.framework_aspects_for(event):
        if required.required and not required.is_derived:
            framework = required.framework.slug
            on_grade_scale = framework == EDUCATION and required.scale.slug == "grade"
            level = slug if on_grade_scale else required.scale.levels.order_by("position")[0].slug
            services.judgement_record(
                actor=actor,
                event=event,
                aspect=required,
                level=h.level(level, framework),
                evidence=[evidence(event, actor, required.code, framework)],
            )


# IN-7: every judgement cites its evidence ------------------------------------------------


@pytest.mark.rule("IN-7")
def test_a_judgement_records_the_evidence_it_cites(full, lead) -> None:
    cited = [evidence(full, lead, "QE"), evidence(full, lead, "QE")]
    judgement = grade(full, lead, "QE", "good", evidence=cited)
    assert [c.evidence for c in judgement.citations.order_by("pk")] == cited
    assert judgement.status == JudgementStatus.PROVISIONAL
    assert judgement.framework.slug == EDUCATION  # JG-1: the framework version is recorded


@pytest.mark.rule("IN-7")
def test_a_judgement_without_evidence_is_refused_naming_the_field(full, lead) -> None:
    with pytest.raises(ValidationError) as refusal:
        grade(full, lead, "QE", "good", evidence=[])
    assert "evidence" in refusal.value.message_dict
    assert "IN-7" in refusal.value.message_dict["evidence"][0]
    assert not Judgement.objects.exists()


@pytest.mark.rule("IN-7")
def test_evidence_of_another_event_cannot_be_cited(full, lead) -> None:
    other = h.full_inspection(h.make_establishment("BL", "HMP Belmarsh"), stage=Stage.FIELDWORK)
    with pytest.raises(ValidationError) as refusal:
        grade(full, lead, "QE", "good", evidence=[evidence(other, lead, "QE")])
    assert "evidence" in refusal.value.message_dict
    assert not Judgement.objects.exists()


def test_a_level_of_another_scale_is_refused(full, lead) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.judgement_record(
            actor=lead,
            event=full,
            aspect=aspect("QE"),
            level=h.rec_level("good_progress"),
            evidence=[evidence(full, lead, "QE")],
        )
    assert "level" in refusal.value.message_dict


def test_only_the_events_leads_record_judgements(full, lead) -> None:
    member = h.team_inspector(full)
    coordinator = h.user(Role.HMIP_COORDINATOR)
    for outsider in (member, coordinator):
        with pytest.raises(PermissionDenied):
            grade(full, outsider, "QE", "good", evidence=[evidence(full, lead, "QE")])
    assert not Judgement.objects.exists()


# JG-8: healthy prison tests only at full inspections -------------------------------------


@pytest.mark.rule("JG-8")
def test_healthy_prison_tests_are_scored_at_a_full_inspection(full, lead) -> None:
    frameworks = {f.slug for f in selectors.frameworks_for(full)}
    assert {EDUCATION, HPT} <= frameworks
    safety = (
        aspect("SAFETY", HPT)
        if Aspect.objects.filter(code="SAFETY").exists()
        else (Aspect.objects.filter(framework__slug=HPT).order_by("position").first())
    )
    assert safety is not None
    judgement = services.judgement_record(
        actor=lead,
        event=full,
        aspect=safety,
        level=safety.scale.levels.order_by("position")[0],
        evidence=[evidence(full, lead, safety.code, HPT)],
    )
    assert judgement.framework.slug == HPT


@pytest.mark.rule("JG-8")
def test_healthy_prison_tests_are_never_scored_at_an_irp(full) -> None:
    review = h.irp(full, announced_on=date(2026, 11, 2))
    leader = h.team_leader(review)
    assert HPT not in {f.slug for f in selectors.frameworks_for(review)}
    safety = aspect("S", HPT)
    with pytest.raises(ValidationError) as refusal:
        services.judgement_record(
            actor=leader,
            event=review,
            aspect=safety,
            level=safety.scale.levels.order_by("position")[0],
            evidence=[evidence(review, leader, safety.code, HPT)],
        )
    assert "JG-8" in refusal.value.message_dict["aspect"][0]
    assert not Judgement.objects.exists()


# JG-3: the derived judgement through the grading engine ----------------------------------


@pytest.mark.rule("JG-3")
def test_overall_effectiveness_against_a_limiting_grade_needs_a_recorded_reason(full, lead) -> None:
    grade(full, lead, "SG", "not_effective")  # safeguarding not effective limits OE (JG-3)
    with pytest.raises(OverrideNeeded) as warning:
        grade(full, lead, "OE", "good")
    assert "JG-3" in str(warning.value)
    assert not Judgement.objects.filter(aspect__code="OE").exists()
    judgement = grade(full, lead, "OE", "good", override_reason="Moderated with HMCI.")
    assert "JG-3" in judgement.overridden_rules
    assert judgement.override_reason == "Moderated with HMCI."
    assert judgement.most_likely is not None
    assert judgement.most_likely.slug == "inadequate"


@pytest.mark.rule("JG-3")
def test_the_most_likely_grade_needs_no_reason(full, lead) -> None:
    grade(full, lead, "SG", "not_effective")
    judgement = grade(full, lead, "OE", "inadequate")
    assert judgement.overridden_rules == []
    page = selectors.judgements_page(lead, full)
    row = next(r for s in page.sections for r in s.rows if r.aspect.code == "OE")
    assert row.most_likely_label == "Inadequate"
    assert any("JG-3" in limit for limit in row.limits)


# JG-9: provisional, moderated, locked, corrected -----------------------------------------


@pytest.mark.rule("JG-9")
def test_moderation_needs_every_required_aspect(full, lead) -> None:
    grade(full, lead, "QE", "good")
    with pytest.raises(ValidationError) as refusal:
        services.judgements_moderate(actor=lead, event=full)
    assert any("has no judgement yet" in message for message in refusal.value.messages)
    assert Inspection.objects.get(event=full).stage == Stage.FIELDWORK


@pytest.mark.rule("JG-9")
def test_judgements_are_provisional_until_moderated_and_again_when_changed(full, lead) -> None:
    grade_all_required(full, lead)
    inspection = services.judgements_moderate(actor=lead, event=full)
    assert inspection.stage == Stage.MODERATED
    assert set(Judgement.objects.values_list("status", flat=True)) == {JudgementStatus.MODERATED}
    current = Judgement.objects.get(event=full, aspect__code="QE")
    changed = grade(full, lead, "QE", "requires_improvement", version=current.version)
    assert changed.status == JudgementStatus.PROVISIONAL
    assert Inspection.objects.get(event=full).stage == Stage.FIELDWORK


@pytest.mark.rule("JG-9")
def test_after_the_factual_accuracy_check_a_judgement_changes_only_by_correction(
    full, lead
) -> None:
    grade_all_required(full, lead)
    services.judgements_moderate(actor=lead, event=full)
    services.factual_accuracy_start(actor=lead, event=full)
    judgement = Judgement.objects.get(event=full, aspect__code="QE")
    with pytest.raises(ValidationError) as refusal:
        grade(full, lead, "QE", "inadequate", version=judgement.version)
    assert "JG-9" in refusal.value.messages[0]
    reviewer = h.user(Role.QUALITY_ASSURANCE)
    correction = services.judgement_correct(
        actor=lead,
        judgement=judgement,
        level=h.level("requires_improvement", EDUCATION),
        factual_error="The data on achievement included last year's cohort.",
        approved_by=reviewer,
        version=judgement.version,
    )
    assert (correction.previous_level.slug, correction.new_level.slug) == (
        "good",
        "requires_improvement",
    )
    assert (correction.corrected_by, correction.approved_by) == (lead, reviewer)
    assert Judgement.objects.get(pk=judgement.pk).level.slug == "requires_improvement"


@pytest.mark.rule("JG-9")
def test_a_correction_needs_quality_assurance_by_someone_else(full, lead) -> None:
    grade_all_required(full, lead)
    services.judgements_moderate(actor=lead, event=full)
    services.factual_accuracy_start(actor=lead, event=full)
    judgement = Judgement.objects.get(event=full, aspect__code="QE")
    colleague = h.user(Role.OFSTED_INSPECTOR)
    for approver, field in ((colleague, "approved_by"), (None, "approved_by")):
        with pytest.raises(ValidationError) as refusal:
            services.judgement_correct(
                actor=lead,
                judgement=judgement,
                level=h.level("inadequate", EDUCATION),
                factual_error="Wrong figures.",
                approved_by=approver,
                version=judgement.version,
            )
        assert field in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        services.judgement_correct(
            actor=lead,
            judgement=judgement,
            level=h.level("inadequate", EDUCATION),
            factual_error="  ",
            approved_by=h.user(Role.QUALITY_ASSURANCE),
            version=judgement.version,
        )
    assert "factual_error" in refusal.value.message_dict
    assert not JudgementCorrection.objects.exists()
    assert Judgement.objects.get(pk=judgement.pk).level.slug == "good"


@pytest.mark.rule("JG-9")
def test_no_correction_before_the_factual_accuracy_check(full, lead) -> None:
    judgement = grade(full, lead, "QE", "good")
    with pytest.raises(ValidationError):
        services.judgement_correct(
            actor=lead,
            judgement=judgement,
            level=h.level("inadequate", EDUCATION),
            factual_error="Wrong figures.",
            approved_by=h.user(Role.QUALITY_ASSURANCE),
            version=judgement.version,
        )
    assert not JudgementCorrection.objects.exists()


def test_the_factual_accuracy_check_starts_only_after_moderation(full, lead) -> None:
    grade(full, lead, "QE", "good")
    with pytest.raises(ValidationError):
        services.factual_accuracy_start(actor=lead, event=full)
    assert Inspection.objects.get(event=full).stage == Stage.FIELDWORK


def test_publication_follows_the_factual_accuracy_check(full, lead) -> None:
    grade_all_required(full, lead)
    services.judgements_moderate(actor=lead, event=full)
    with pytest.raises(ValidationError):
        services.inspection_publish(actor=lead, event=full)
    services.factual_accuracy_start(actor=lead, event=full)
    inspection = services.inspection_publish(actor=lead, event=full, published_on=h.TODAY)
    assert (inspection.stage, inspection.published_on) == (Stage.PUBLISHED, h.TODAY)


# Concurrency -----------------------------------------------------------------------------


def test_a_second_first_judgement_of_the_same_aspect_is_refused(full, lead) -> None:
    grade(full, lead, "QE", "good")
    with pytest.raises(StaleVersion):
        grade(full, lead, "QE", "inadequate")  # opened before the first was saved
    assert Judgement.objects.get(aspect__code="QE").level.slug == "good"


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_changes_the_second_is_refused_and_the_first_kept() -> None:
    frameworks_load(actor=None)
    full = h.full_inspection(stage=Stage.FIELDWORK)
    lead = h.ofsted_lead(full)
    leader = h.team_leader(full)
    first = grade(full, lead, "QE", "good")
    cited = list(first.citations.values_list("evidence", flat=True))
    start = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def change(who: Any, slug: str) -> None:
        try:
            start.wait()
            services.judgement_record(
                actor=who,
                event=full,
                aspect=aspect("QE"),
                level=h.level(slug, EDUCATION),
                evidence=list(EvidenceForm.objects.filter(pk__in=cited)),
                version=first.version,  # both opened the judgement at this version
            )
            outcomes[slug] = "saved"
        except StaleVersion:
            outcomes[slug] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=change, args=(lead, "outstanding")),
        threading.Thread(target=change, args=(leader, "inadequate")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["refused", "saved"]
    kept = next(slug for slug, outcome in outcomes.items() if outcome == "saved")
    saved = Judgement.objects.get(aspect__code="QE")
    assert (saved.level.slug, saved.version) == (kept, first.version + 1)


# PG-8: the overall judgement decides Ofsted at the IRP -----------------------------------


@pytest.mark.rule("PG-8")
@pytest.mark.parametrize("slug", ["outstanding", "good", "requires_improvement", "inadequate"])
def test_the_overall_judgement_is_what_the_programme_reads_for_pg8(full, lead, slug) -> None:
    assert education_judgement_at(full) is None
    grade(full, lead, "QE", slug)
    grade(full, lead, "OE", slug, override_reason="Moderated.")
    assert education_judgement_at(full) == EducationJudgement(slug)
