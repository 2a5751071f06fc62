"""Frameworks, the grade calculator and saved assessments through the API, as the framework
screens: frameworks for staff (JG-1), the calculator's evaluation with its warnings and
limits (JG-3, JG-4, JG-5), saved assessments for assessors, and changing a decision through
`grade_decision_change` with If-Match (the decision's version)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import World, client_for, token_client
from inspectorate.frameworks.models import Assessment, Framework, GradeDecision
from inspectorate.frameworks.services import (
    assessment_create,
    frameworks_load,
    grade_decision_change,
)
from inspectorate.frameworks.tests.conftest import strict_document

pytestmark = pytest.mark.django_db

FRAMEWORKS = "/api/v1/frameworks/"
CALCULATE = "/api/v1/frameworks/calculate/"
ASSESSMENTS = "/api/v1/framework-assessments/"
GOOD = {"CI": "good", "A": "good", "B": "good", "C": "good", "C3": "good", "C4": "good"}


@pytest.fixture
def frameworks(world: World) -> dict[str, Framework]:
    frameworks_load(actor=None)
    return {framework.slug: framework for framework in Framework.objects.all()}


def send(client: Client, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return client.post(path, data, content_type="application/json", headers=headers)


def fields(response: Any) -> set[str | None]:
    return {error["field"] for error in response.json()["errors"]}


def saved(framework: Framework, actor: User, grades: dict[str, str] = GOOD) -> Assessment:
    return assessment_create(
        actor=actor,
        framework=framework,
        event_kind="full_inspection",
        grades=grades,
        choices={"OE": "good"},
        title="HMP Example, 2026",
    )


# Frameworks -------------------------------------------------------------------------------


@pytest.mark.rule("JG-1")
def test_staff_read_each_framework_version_with_its_aspects_descriptors_and_rules(
    world: World, frameworks: dict[str, Framework]
) -> None:
    inspector = client_for(world.users[Role.HMIP_INSPECTOR])
    listed = {row["slug"]: row for row in inspector.get(FRAMEWORKS).json()["results"]}
    assert listed["cif-2009"]["version"] == "2009.1"
    assert listed["cif-2009"]["event_kinds"] == ["full_inspection"]
    assert listed["cif-2009"]["rule_count"] == 8

    response = inspector.get(f"{FRAMEWORKS}cif-2009/2009.1/")
    assert response.status_code == 200
    page = response.json()
    aspects = {aspect["code"]: aspect for aspect in page["aspects"]}
    assert aspects["OE"]["kind"] == "derived"
    assert (aspects["C3"]["parent"], aspects["C3"]["depth"]) == ("C", 1)
    assert [a["code"] for a in page["aspects"]].index("C3") > [
        a["code"] for a in page["aspects"]
    ].index("C")
    levels = page["scales"][0]["levels"]
    assert levels[0]["slug"] == "outstanding"
    assert levels[0]["definition"]
    limit = next(rule for rule in page["rules"] if rule["key"] == "safeguarding-inadequate")
    assert limit["rule_id"] == "JG-3"
    assert limit["kind"] == "limit"
    assert limit["target"] == "OE"
    assert limit["effect"] == "A better grade needs an authorised override with a recorded reason."
    assert page["can_calculate"] is False  # an inspector is not an assessor
    lead = client_for(world.users[Role.OFSTED_LEAD_INSPECTOR])
    assert lead.get(f"{FRAMEWORKS}cif-2009/2009.1/").json()["can_calculate"] is True
    assert inspector.get(f"{FRAMEWORKS}cif-2009/1999.9/").status_code == 404


def test_frameworks_are_for_staff(world: World, frameworks: dict[str, Framework]) -> None:
    outsider = client_for(world.users[Role.ESTABLISHMENT_USER])
    assert outsider.get(FRAMEWORKS).status_code == 403
    assert outsider.get(f"{FRAMEWORKS}cif-2009/2009.1/").status_code == 403


def test_listing_frameworks_takes_the_same_queries_for_2_or_20(world: World) -> None:
    client = client_for(world.users[Role.HMIP_INSPECTOR])

    def count(rows: int) -> int:
        first = Framework.objects.count()
        Framework.objects.bulk_create(
            Framework(
                slug=f"made-{first + n}",
                version="1",
                name=f"Made {first + n}",
                valid_from="2020-01-01",
                event_kinds=["full_inspection"],
                source_file="made.json",
                checksum="0" * 64,
            )
            for n in range(rows)
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(FRAMEWORKS)
        assert response.json()["count"] == Framework.objects.count()
        return len(captured)

    assert count(2) == count(18)


# The grade calculator -----------------------------------------------------------------------


@pytest.mark.rule("JG-3")
@pytest.mark.rule("JG-4")
def test_the_calculator_gives_the_most_likely_grade_and_what_needs_a_reason(
    world: World, frameworks: dict[str, Framework]
) -> None:
    lead = client_for(world.users[Role.OFSTED_LEAD_INSPECTOR])
    data = {"framework": "cif-2009", "version": "2009.1", "grades": GOOD | {"C3": "inadequate"}}
    response = send(lead, CALCULATE, data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["can_override"] is True
    (judgement,) = body["judgements"]
    assert judgement["aspect"] == "OE"
    assert judgement["most_likely"]["slug"] == "inadequate"
    options = {option["slug"]: option for option in judgement["options"]}
    assert options["inadequate"]["status"] == "allowed"
    assert options["good"]["status"] == "warning"
    assert options["good"]["rule_ids"] == ["JG-3", "JG-4"]
    texts = [reason["text"] for reason in judgement["reasons"]]
    assert any(text.startswith("Safeguarding (C3) is inadequate") for text in texts)
    assert not Assessment.objects.exists(), "calculating saves nothing"
    qa = client_for(world.users[Role.QUALITY_ASSURANCE])
    assert send(qa, CALCULATE, data).json()["can_override"] is False


@pytest.mark.rule("JG-3")
def test_a_hard_limit_forbids_a_better_grade(
    world: World, frameworks: dict[str, Framework], tmp_path: Path
) -> None:
    strict = tmp_path / "strict.json"
    strict.write_text(json.dumps(strict_document("cif-2012")), encoding="utf-8")
    frameworks_load(actor=None, paths=[strict])
    data = {
        "framework": "cif-2012-strict",
        "version": "2012.1",
        "grades": GOOD | {"C3": "inadequate"},
    }
    body = send(client_for(world.users[Role.HMIP_TEAM_LEADER]), CALCULATE, data).json()
    options = {option["slug"]: option for option in body["judgements"][0]["options"]}
    assert options["good"]["status"] == "forbidden"
    assert options["good"]["reasons"][0]["rule_id"] == "JG-3"


def test_a_read_token_may_calculate_nothing_being_written(
    world: World, frameworks: dict[str, Framework]
) -> None:
    reader, _ = token_client(world.users[Role.OFSTED_LEAD_INSPECTOR])
    data = {"framework": "cif-2009", "version": "2009.1", "grades": GOOD}
    response = send(reader, CALCULATE, data)
    assert response.status_code == 200
    assert response.json()["judgements"][0]["most_likely"]["slug"] == "good"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"framework": "cif-2009", "version": "2009.1", "grades": {"C3": "great"}}, "grades.C3"),
        ({"framework": "cif-2009", "version": "2009.1", "grades": {"ZZ": "good"}}, "grades.ZZ"),
        ({"framework": "cif-2009", "version": "2009.1", "grades": {"OE": "good"}}, "grades.OE"),
        ({"framework": "cif-2009", "version": "1999.9", "grades": {}}, "framework"),
        ({"framework": "hmip-irp-progress", "version": "2026.1", "grades": {}}, "framework"),
        ({"framework": "cif-2009", "version": "2009.1"}, "grades"),
    ],
)
def test_the_calculator_refuses_bad_grades_naming_them(
    world: World, frameworks: dict[str, Framework], data: dict[str, Any], field: str
) -> None:
    response = send(client_for(world.users[Role.OFSTED_LEAD_INSPECTOR]), CALCULATE, data)
    assert response.status_code == 400, response.content
    assert field in fields(response)


@pytest.mark.parametrize("role", [Role.HMIP_INSPECTOR, Role.HMIP_COORDINATOR])
def test_the_calculator_is_for_assessors(
    world: World, frameworks: dict[str, Framework], role: str
) -> None:
    data = {"framework": "cif-2009", "version": "2009.1", "grades": GOOD}
    response = send(client_for(world.users[role]), CALCULATE, data)
    assert response.status_code == 403
    assert "grade calculator is for" in response.json()["errors"][0]["message"]


# Saved assessments --------------------------------------------------------------------------


def test_assessors_read_saved_assessments_with_the_engines_view(
    world: World, frameworks: dict[str, Framework]
) -> None:
    lead = world.users[Role.OFSTED_LEAD_INSPECTOR]
    assessment = saved(frameworks["cif-2012"], lead)
    qa = client_for(world.users[Role.QUALITY_ASSURANCE])
    (row,) = qa.get(ASSESSMENTS).json()["results"]
    assert row["framework"]["version"] == "2012.1"
    assert row["decisions"][0]["level"] == "good"
    response = qa.get(f"{ASSESSMENTS}{assessment.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{assessment.version}"'
    body = response.json()
    assert {grade["aspect"]: grade["level"] for grade in body["grades"]} == GOOD
    (decision,) = body["decisions"]
    assert decision["most_likely"] == "good"
    assert decision["judgement"]["most_likely"]["slug"] == "good"
    assert decision["decided_by"] == str(lead)
    assert qa.get(f"{ASSESSMENTS}999999/").status_code == 404
    assert qa.get(f"{ASSESSMENTS}{10**30}/").status_code == 404
    assert qa.get(f"{ASSESSMENTS}one/").status_code == 404


@pytest.mark.parametrize("role", [Role.HMIP_INSPECTOR, Role.ESTABLISHMENT_USER])
def test_assessments_are_for_assessors(
    world: World, frameworks: dict[str, Framework], role: str
) -> None:
    assessment = saved(frameworks["cif-2012"], world.users[Role.OFSTED_LEAD_INSPECTOR])
    client = client_for(world.users[role])
    assert client.get(ASSESSMENTS).status_code == 403
    assert client.get(f"{ASSESSMENTS}{assessment.pk}/").status_code == 403
    decision = assessment.decisions.get()
    path = f"{ASSESSMENTS}{assessment.pk}/decisions/{decision.pk}/"
    change = {"level": "requires_improvement", "reason": "X"}
    assert send(client, path, change, 1).status_code == 403
    decision.refresh_from_db()
    assert decision.version == 1


def test_listing_assessments_takes_the_same_queries_for_2_or_20(
    world: World, frameworks: dict[str, Framework]
) -> None:
    lead = world.users[Role.OFSTED_LEAD_INSPECTOR]
    client = client_for(lead)

    def count(rows: int) -> int:
        for _ in range(rows):
            saved(frameworks["cif-2012"], lead)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(ASSESSMENTS)
        assert response.json()["count"] == Assessment.objects.count()
        return len(captured)

    assert count(2) == count(18)


# Changing a decision ------------------------------------------------------------------------


@pytest.mark.rule("JG-3")
def test_a_lead_changes_a_grade_with_a_reason_and_if_match(
    world: World, frameworks: dict[str, Framework]
) -> None:
    assessment = saved(frameworks["cif-2012"], world.users[Role.HMIP_TEAM_LEADER])
    decision = assessment.decisions.get()
    path = f"{ASSESSMENTS}{assessment.pk}/decisions/{decision.pk}/"
    lead = client_for(world.users[Role.HMIP_TEAM_LEADER])
    data = {"level": "requires_improvement", "reason": "Outcomes data were inaccurate."}
    assert send(lead, path, data).status_code == 428
    stale = send(lead, path, data, decision.version + 1)
    assert stale.status_code == 412
    without_reason = send(lead, path, {"level": "requires_improvement"}, decision.version)
    assert without_reason.status_code == 400
    assert fields(without_reason) == {"reason"}
    assert "Give the reason" in without_reason.json()["errors"][0]["message"]
    unknown = send(lead, path, {"level": "superb"}, decision.version)
    assert unknown.status_code == 400
    assert fields(unknown) == {"level"}
    assert fields(send(lead, path, {}, decision.version)) == {"level"}
    decision.refresh_from_db()
    assert (decision.level.slug, decision.version) == ("good", 1)

    changed = send(lead, path, data, decision.version)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"'
    body = changed.json()
    assert (body["level"], body["version"]) == ("requires_improvement", 2)
    assert body["overridden_rules"] == ["JG-5"]
    assert body["override_reason"] == data["reason"]
    decision.refresh_from_db()
    assert decision.level.slug == "requires_improvement"
    assert Assessment.objects.get().version == assessment.version + 1
    assert send(lead, path, data, 1).status_code == 412


@pytest.mark.rule("JG-3")
def test_quality_assurance_cannot_override_a_warning(
    world: World, frameworks: dict[str, Framework]
) -> None:
    assessment = saved(frameworks["cif-2012"], world.users[Role.HMIP_TEAM_LEADER])
    decision = assessment.decisions.get()
    path = f"{ASSESSMENTS}{assessment.pk}/decisions/{decision.pk}/"
    qa = client_for(world.users[Role.QUALITY_ASSURANCE])
    data = {"level": "requires_improvement", "reason": "Because."}
    response = send(qa, path, data, decision.version)
    assert response.status_code == 403
    assert "Only an Ofsted lead inspector" in response.json()["errors"][0]["message"]
    decision.refresh_from_db()
    assert (decision.level.slug, decision.version) == ("good", 1)


def test_a_decision_of_another_assessment_is_not_found(
    world: World, frameworks: dict[str, Framework]
) -> None:
    lead = world.users[Role.HMIP_TEAM_LEADER]
    one, other = saved(frameworks["cif-2012"], lead), saved(frameworks["cif-2012"], lead)
    decision = other.decisions.get()
    response = send(
        client_for(lead), f"{ASSESSMENTS}{one.pk}/decisions/{decision.pk}/", {"level": "good"}, 1
    )
    assert response.status_code == 404
    huge = f"{ASSESSMENTS}{one.pk}/decisions/{10**30}/"
    assert send(client_for(lead), huge, {"level": "good"}, 1).status_code == 404


def test_a_change_racing_another_is_stale_for_the_api(
    world: World, frameworks: dict[str, Framework]
) -> None:
    lead = world.users[Role.HMIP_TEAM_LEADER]
    decision = saved(frameworks["cif-2012"], lead).decisions.get()
    with pytest.raises(ValidationError) as refused:
        grade_decision_change(
            actor=lead, decision=decision, level="good", reason="", expected_version=7
        )
    (problem,) = refused.value.error_dict["choice_OE"]
    assert problem.code == "stale"  # errors.py answers 412
    assert GradeDecision.objects.get().version == 1


# Saving an assessment ---------------------------------------------------------------------


@pytest.mark.rule("JG-3")
def test_a_lead_saves_an_assessment_with_a_reason_for_a_warned_grade(
    world: World, frameworks: dict[str, Framework]
) -> None:
    lead = client_for(world.users[Role.OFSTED_LEAD_INSPECTOR])
    data: dict[str, Any] = {
        "framework": "cif-2009",
        "version": "2009.1",
        "event_kind": "full_inspection",
        "title": "HMP Leeds, 2026",
        "grades": GOOD | {"C3": "inadequate"},
        "choices": {"OE": "good"},
    }
    # Good overall with inadequate safeguarding is warned about: it needs a reason.
    unreasoned = send(lead, ASSESSMENTS, data)
    assert unreasoned.status_code == 400, unreasoned.content
    assert fields(unreasoned) == {"reasons.OE"}
    unknown = send(lead, ASSESSMENTS, data | {"grades": GOOD | {"C3": "splendid"}})
    assert unknown.status_code == 400
    assert "grades.C3" in fields(unknown)
    wrong_event = send(lead, ASSESSMENTS, data | {"event_kind": "no_such_kind"})
    assert fields(wrong_event) == {"event_kind"}
    elsewhere = send(lead, ASSESSMENTS, data | {"establishment": 999999})
    assert fields(elsewhere) == {"establishment"}
    assert not Assessment.objects.exists()

    reasons = {"OE": "Safeguarding was put right during the inspection."}
    created = send(lead, ASSESSMENTS, data | {"reasons": reasons})
    assert created.status_code == 201, created.content
    assert created["ETag"] == '"1"'
    body = created.json()
    assessment = Assessment.objects.get()
    assert body["id"] == assessment.pk
    decision = assessment.decisions.get()
    assert (decision.level.slug, decision.override_reason) == ("good", reasons["OE"])
    assert decision.overridden_rules == ["JG-3", "JG-4"]


def test_only_assessors_save_assessments_and_qa_cannot_override(
    world: World, frameworks: dict[str, Framework]
) -> None:
    data: dict[str, Any] = {
        "framework": "cif-2009",
        "version": "2009.1",
        "event_kind": "full_inspection",
        "grades": GOOD | {"C3": "inadequate"},
        "choices": {"OE": "good"},
        "reasons": {"OE": "Put right."},
    }
    inspector = client_for(world.users[Role.HMIP_INSPECTOR])
    assert send(inspector, ASSESSMENTS, data).status_code == 403
    qa = send(client_for(world.users[Role.QUALITY_ASSURANCE]), ASSESSMENTS, data)
    assert qa.status_code == 403, qa.content  # may save, but not choose a warned grade
    read_token, _ = token_client(world.users[Role.OFSTED_LEAD_INSPECTOR], scope="read")
    assert send(read_token, ASSESSMENTS, data).status_code == 403
    assert not Assessment.objects.exists()
    most_likely = send(
        client_for(world.users[Role.QUALITY_ASSURANCE]),
        ASSESSMENTS,
        data | {"choices": {"OE": "inadequate"}, "reasons": {}},
    )
    assert most_likely.status_code == 201, most_likely.content
    assert Assessment.objects.get().decisions.get().level.slug == "inadequate"
