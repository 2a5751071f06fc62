"""Judgements through the API: recorded citing evidence (IN-7), changed with If-Match,
moderated, and after the factual-accuracy check corrected only by the lead inspector with
a quality-assurance approver (JG-9), all through `judgement_services`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for
from inspectorate.frameworks.models import Aspect
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import JudgementStatus, Stage
from inspectorate.inspections.judgements import services
from inspectorate.inspections.models import Inspection, Judgement, JudgementCorrection
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspections.tests.test_judgement_services import evidence, grade_all_required
from inspectorate.programme.models import Event

pytestmark = pytest.mark.django_db

EDUCATION = "eif-prisons"  # the prison education framework in force


def send(client: Client, method: str, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return getattr(client, method)(path, data, content_type="application/json", headers=headers)


@pytest.fixture
def full() -> Any:
    with h.time_machine.travel(h.NOON, tick=False):
        frameworks_load(actor=None)
        yield h.full_inspection(stage=Stage.FIELDWORK)


@pytest.fixture
def lead(full: Event) -> Any:
    return h.ofsted_lead(full)


def _body(full: Event, code: str, level: str, cited: list[int]) -> dict[str, Any]:
    aspect = Aspect.objects.get(framework__slug=EDUCATION, code=code)
    return {"event": full.pk, "aspect": aspect.pk, "level": level, "evidence": cited}


@pytest.mark.rule("IN-7")
def test_the_lead_records_a_judgement_citing_evidence(full: Event, lead: Any) -> None:
    client = client_for(lead)
    version = Event.objects.get(pk=full.pk).version
    cited = evidence(full, lead, "QE")
    assert (
        send(client, "post", "/api/v1/judgements/", _body(full, "QE", "good", [])).status_code
        == 428
    )
    bare = send(client, "post", "/api/v1/judgements/", _body(full, "QE", "good", []), version)
    assert bare.status_code == 400
    (problem,) = bare.json()["errors"]
    assert problem["field"] == "evidence"
    assert "IN-7" in problem["message"]
    made = send(
        client, "post", "/api/v1/judgements/", _body(full, "QE", "good", [cited.pk]), version
    )
    assert made.status_code == 201, made.content
    judgement = Judgement.objects.get(pk=made.json()["id"])
    assert [c.evidence_id for c in judgement.citations.all()] == [cited.pk]
    assert judgement.status == JudgementStatus.PROVISIONAL


@pytest.mark.rule("IN-7")
def test_only_the_leads_judge(full: Event, lead: Any) -> None:
    cited = evidence(full, lead, "QE")
    member = h.team_inspector(full)
    version = Event.objects.get(pk=full.pk).version
    body = _body(full, "QE", "good", [cited.pk])
    refused = send(client_for(member), "post", "/api/v1/judgements/", body, version)
    assert refused.status_code == 403
    local = send(
        client_for(h.establishment_user(full)), "post", "/api/v1/judgements/", body, version
    )
    assert local.status_code in (400, 403)
    assert not Judgement.objects.exists()


def test_changing_a_judgement_needs_its_current_version(full: Event, lead: Any) -> None:
    cited = evidence(full, lead, "QE")
    judgement = services.judgement_record(
        actor=lead,
        event=full,
        aspect=Aspect.objects.get(framework__slug=EDUCATION, code="QE"),
        level=h.level("good", EDUCATION),
        evidence=[cited],
    )
    client = client_for(lead)
    path = f"/api/v1/judgements/{judgement.pk}/"
    body = {"level": "outstanding", "evidence": [cited.pk]}
    assert send(client, "put", path, body).status_code == 428
    assert send(client, "put", path, body, version=judgement.version + 1).status_code == 412
    changed = send(client, "put", path, body, version=judgement.version)
    assert changed.status_code == 200, changed.content
    assert changed.json()["level"] == "outstanding"


@pytest.mark.rule("JG-9")
def test_moderation_then_a_factual_correction_by_the_lead_with_quality_assurance(
    full: Event, lead: Any
) -> None:
    grade_all_required(full, lead)
    client = client_for(lead)
    member = client_for(h.team_inspector(full))
    stage = client.get(f"/api/v1/judgements/stage/?event={full.pk}")
    assert stage.status_code == 200
    version = stage.json()["version"]
    assert stage["ETag"] == f'"{version}"'
    path = "/api/v1/judgements/moderate/"
    assert send(member, "post", path, {"event": full.pk}, version).status_code == 403
    assert send(client, "post", path, {"event": full.pk}, version + 1).status_code == 412
    moderated = send(client, "post", path, {"event": full.pk}, version)
    assert moderated.status_code == 200, moderated.content
    assert moderated.json()["stage"] == Stage.MODERATED
    services.factual_accuracy_start(actor=lead, event=full)

    judgement = Judgement.objects.get(event=full, aspect__code="QE")
    cited = [c.evidence_id for c in judgement.citations.all()]
    refused = send(
        client,
        "put",
        f"/api/v1/judgements/{judgement.pk}/",
        {"level": "inadequate", "evidence": cited},
        judgement.version,
    )
    assert refused.status_code == 400
    assert "JG-9" in refused.json()["errors"][0]["message"]

    correct = f"/api/v1/judgements/{judgement.pk}/correct/"
    reviewer = h.user(Role.QUALITY_ASSURANCE)
    body = {
        "level": "requires_improvement",
        "factual_error": "The data included last year's cohort.",
        "approved_by": reviewer.pk,
    }
    assert send(client, "post", correct, body).status_code == 428
    assert send(member, "post", correct, body, judgement.version).status_code == 403
    colleague = h.user(Role.OFSTED_INSPECTOR)
    wrong = send(client, "post", correct, {**body, "approved_by": colleague.pk}, judgement.version)
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["field"] == "approved_by"
    made = send(client, "post", correct, body, judgement.version)
    assert made.status_code == 201, made.content
    assert (made.json()["previous_level"], made.json()["new_level"]) == (
        "good",
        "requires_improvement",
    )
    correction = JudgementCorrection.objects.get()
    assert (correction.corrected_by, correction.approved_by) == (lead, reviewer)
    assert Judgement.objects.get(pk=judgement.pk).level.slug == "requires_improvement"
    assert Inspection.objects.get(event=full).stage == Stage.FACTUAL_ACCURACY
