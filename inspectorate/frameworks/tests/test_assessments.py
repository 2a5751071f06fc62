"""Saving assessments: the framework version (JG-1), events (JG-8), overrides with reasons."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from pghistory.models import Events

from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.frameworks.constants import EventKind
from inspectorate.frameworks.models import Assessment, GradeDecision
from inspectorate.frameworks.selectors import definition_from_models
from inspectorate.frameworks.services import (
    OverrideRefused,
    assessment_create,
    frameworks_load,
    grade_decision_change,
)
from inspectorate.frameworks.tests.conftest import strict_document

GOOD = {"CI": "good", "A": "good", "B": "good", "C": "good", "C3": "good", "C4": "good"}
HEALTHY = {"S": "good", "R": "reasonably_good", "PA": "not_sufficiently_good", "RRP": "poor"}


@pytest.fixture
def lead(make_user):
    return make_user(Role.OFSTED_LEAD_INSPECTOR)


@pytest.fixture
def probation_area(db):
    return Establishment.objects.create(
        code="PA1", name="West Yorkshire probation area", kind="probation_area"
    )


def create(actor, framework, grades=GOOD, event_kind=EventKind.FULL_INSPECTION, **kwargs):
    return assessment_create(
        actor=actor, framework=framework, event_kind=event_kind, grades=grades, **kwargs
    )


@pytest.mark.rule("JG-1")
@pytest.mark.django_db
def test_an_assessment_records_the_framework_version_and_the_engines_view(
    frameworks, lead, probation_area
) -> None:
    assessment = create(
        lead,
        frameworks["cif-2009"],
        choices={"OE": "good"},
        establishment=probation_area,
        title="West Yorkshire, June 2026",
    )
    assert assessment.framework.slug == "cif-2009"
    assert assessment.framework.version == "2009.1"
    assert {g.aspect.code: g.level.slug for g in assessment.grades.all()} == GOOD
    (decision,) = assessment.decisions.all()
    assert (decision.aspect.code, decision.level.slug) == ("OE", "good")
    assert decision.most_likely.slug == "good"
    assert decision.overridden_rules == []
    assert decision.decided_by == lead


@pytest.mark.rule("JG-8")
@pytest.mark.django_db
def test_healthy_prison_tests_are_never_scored_at_an_irp(frameworks, make_user, establishment):
    team_leader = make_user(Role.HMIP_TEAM_LEADER)
    tests = frameworks["healthy-prison-tests"]
    assert tests.applies_to(EventKind.FULL_INSPECTION)
    assert not tests.applies_to(EventKind.IRP)
    assert definition_from_models(tests).applies_to(EventKind.FULL_INSPECTION)
    assert not definition_from_models(tests).applies_to(EventKind.IRP)

    with pytest.raises(ValidationError) as refused:
        create(team_leader, tests, HEALTHY, EventKind.IRP, establishment=establishment)
    message = refused.value.message_dict["event_kind"][0]
    assert message == (
        "HMI Prisons healthy prison tests cannot be scored at an independent review of "
        "progress: it is used only at a full inspection"
    )
    assert not Assessment.objects.exists()

    scored = create(team_leader, tests, HEALTHY, establishment=establishment)
    assert {g.aspect.code: g.level.label for g in scored.grades.all()} == {
        "S": "Good",
        "R": "Reasonably good",
        "PA": "Not sufficiently good",
        "RRP": "Poor",
    }
    assert not scored.decisions.exists(), "the tests have no derived judgement"


@pytest.mark.rule("JG-8")
@pytest.mark.django_db
def test_a_framework_is_used_only_for_its_establishment_kinds(frameworks, lead, establishment):
    with pytest.raises(ValidationError) as refused:
        create(lead, frameworks["cif-2009"], choices={"OE": "good"}, establishment=establishment)
    assert "not for HMP Leeds (prison)" in refused.value.message_dict["establishment"][0]


@pytest.mark.rule("JG-3")
@pytest.mark.django_db
def test_a_lead_inspector_overrides_a_warning_with_a_reason_and_it_is_audited(
    frameworks, lead
) -> None:
    grades = GOOD | {"C3": "inadequate"}
    with pytest.raises(ValidationError) as refused:
        create(lead, frameworks["cif-2009"], grades, choices={"OE": "good"}, reasons={"OE": "  "})
    assert refused.value.message_dict["reason_OE"] == [
        "Give the reason for grading overall effectiveness good: the rules (JG-3, JG-4) warn "
        "against it"
    ]
    assert not Assessment.objects.exists()

    reason = "Safeguarding failings were confined to one office and were fixed during the visit."
    assessment = create(
        lead, frameworks["cif-2009"], grades, choices={"OE": "good"}, reasons={"OE": reason}
    )
    decision = assessment.decisions.get()
    assert decision.overridden_rules == ["JG-3", "JG-4"]
    assert decision.override_reason == reason
    assert decision.most_likely.slug == "inadequate"
    (event,) = Events.objects.filter(
        pgh_obj_model="frameworks.GradeDecision", pgh_obj_id=str(decision.pk)
    )
    assert event.pgh_data["override_reason"] == reason
    assert event.pgh_data["overridden_rules"] == ["JG-3", "JG-4"]


@pytest.mark.rule("JG-3")
@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.QUALITY_ASSURANCE])
def test_other_roles_cannot_override(frameworks, make_user, role) -> None:
    user = make_user(role)
    with pytest.raises(OverrideRefused, match="Only an Ofsted lead inspector or an HMI Prisons"):
        create(
            user,
            frameworks["cif-2009"],
            GOOD | {"C4": "inadequate"},
            choices={"OE": "satisfactory"},
            reasons={"OE": "A reason."},
        )
    assert not Assessment.objects.exists()
    # the grade the rules expect needs no override, so quality assurance may save it
    saved = create(
        user, frameworks["cif-2009"], GOOD | {"C4": "inadequate"}, choices={"OE": "inadequate"}
    )
    assert saved.decisions.get().overridden_rules == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.HMIP_INSPECTOR, Role.OFSTED_INSPECTOR, Role.HMIP_COORDINATOR]
)
def test_only_assessors_save_assessments(frameworks, make_user, role) -> None:
    with pytest.raises(PermissionDenied):
        create(make_user(role), frameworks["cif-2009"], choices={"OE": "good"})
    assert not Assessment.objects.exists()


@pytest.mark.rule("JG-3")
@pytest.mark.django_db
def test_a_grade_a_rule_forbids_is_refused_even_with_a_reason(lead, write_framework) -> None:
    (outcome,) = frameworks_load(
        actor=None, paths=[write_framework(strict_document("cif-2009"), "strict.json")]
    )
    from inspectorate.frameworks.models import Framework

    strict = Framework.objects.get(slug=outcome.slug)
    with pytest.raises(ValidationError) as refused:
        create(
            lead,
            strict,
            GOOD | {"C3": "inadequate"},
            choices={"OE": "good"},
            reasons={"OE": "We disagree with the rule."},
        )
    message = refused.value.message_dict["choice_OE"][0]
    assert message.startswith("Overall effectiveness cannot be good. JG-3: Safeguarding (C3)")
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_missing_and_unknown_grades_are_named(frameworks, lead) -> None:
    with pytest.raises(ValidationError) as refused:
        create(lead, frameworks["cif-2009"], {"CI": "good", "A": "brilliant", "ZZ": "good"})
    errors = refused.value.message_dict
    assert errors["grade_B"] == ["Choose a grade for quality of provision"]
    assert errors["grade_A"][0].startswith("'brilliant' is not a grade of Common grading scale")
    assert errors["grade_ZZ"] == [
        "ZZ is not an aspect graded in Common Inspection Framework 2009: community-based "
        "offender learning and employability skills"
    ]


@pytest.mark.django_db
def test_a_derived_grade_must_be_chosen(frameworks, lead) -> None:
    with pytest.raises(ValidationError) as refused:
        create(lead, frameworks["cif-2009"])
    assert refused.value.message_dict == {"choice_OE": ["Choose a grade for overall effectiveness"]}


@pytest.mark.django_db
def test_the_database_refuses_an_override_without_a_reason(frameworks, lead) -> None:
    assessment = create(lead, frameworks["cif-2009"], choices={"OE": "good"})
    with pytest.raises(IntegrityError), transaction.atomic():
        GradeDecision.objects.filter(assessment=assessment).update(overridden_rules=["JG-3"])


@pytest.mark.rule("JG-3")
@pytest.mark.django_db
def test_changing_a_grade_later_checks_the_version_and_the_rules(frameworks, lead) -> None:
    assessment = create(
        lead, frameworks["cif-2009"], GOOD | {"C3": "satisfactory"}, choices={"OE": "good"}
    )
    decision = assessment.decisions.get()
    with pytest.raises(ValidationError, match="Give the reason"):
        grade_decision_change(
            actor=lead, decision=decision, level="outstanding", reason="", expected_version=1
        )
    changed = grade_decision_change(
        actor=lead,
        decision=decision,
        level="outstanding",
        reason="Exceptional practice seen across every office.",
        expected_version=1,
    )
    assert (changed.level.slug, changed.version, changed.overridden_rules) == (
        "outstanding",
        2,
        ["JG-3", "JG-5"],
    )
    assessment.refresh_from_db()
    assert assessment.version == 2
    with pytest.raises(ValidationError, match="changed by someone else"):
        grade_decision_change(
            actor=lead, decision=decision, level="good", reason="", expected_version=1
        )
    decision.refresh_from_db()
    assert decision.level.slug == "outstanding"
