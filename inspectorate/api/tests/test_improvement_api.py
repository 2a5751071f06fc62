"""Improvement cases through the API, through `improvement.services` as the screens: the
improvement HMI named with TM-4's reason, visits with actions and support (SC-2, SC-3),
the letter drafted and sent (SC-4), insufficient progress (SC-5); If-Match on each."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement import services
from inspectorate.improvement.constants import LetterStatus
from inspectorate.improvement.models import Contact, ImprovementCase, Letter
from inspectorate.improvement.tests.test_improvement_services import open_case
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return getattr(client, method)(path, data, content_type="application/json", headers=headers)


@pytest.fixture(autouse=True)
def _today() -> Any:
    yield from h.frozen_today()


@pytest.fixture
def case_and_lead() -> Any:
    frameworks_load(actor=None)
    full = h.full_inspection(stage=Stage.FIELDWORK)
    lead = h.ofsted_lead(full)
    case = open_case(full, lead)
    return case, lead


def _version(case: ImprovementCase) -> int:
    return ImprovementCase.objects.get(pk=case.pk).version


@pytest.mark.rule("TM-4")
def test_naming_an_inspector_of_the_last_inspection_needs_a_reason(case_and_lead: Any) -> None:
    case, lead = case_and_lead
    lead.roles = [*lead.roles, Role.IMPROVEMENT_HMI]
    lead.save()
    scheduler = client_for(h.user(Role.OFSTED_SCHEDULER))
    path = f"/api/v1/improvement-cases/{case.pk}/assign-hmi/"
    assert send(scheduler, "post", path, {"hmi": lead.pk}).status_code == 428
    assert send(scheduler, "post", path, {"hmi": lead.pk}, case.version + 1).status_code == 412
    warned = send(scheduler, "post", path, {"hmi": lead.pk}, case.version)
    assert warned.status_code == 400, warned.content
    (problem,) = warned.json()["errors"]
    assert (problem["field"], problem["code"]) == ("hmi", "override_needed")
    assert "TM-4" in problem["message"]
    assert ImprovementCase.objects.get().improvement_hmi is None
    body = {"hmi": lead.pk, "reason": "The only expert in the region."}
    named = send(scheduler, "post", path, body, case.version)
    assert named.status_code == 200, named.content
    assert named["ETag"] == f'"{case.version + 1}"'
    saved = ImprovementCase.objects.get()
    assert (saved.improvement_hmi, saved.improvement_hmi_reason) == (lead, body["reason"])
    inspector = client_for(h.user(Role.OFSTED_INSPECTOR))
    refused = send(inspector, "post", path, {"hmi": lead.pk}, saved.version)
    assert refused.status_code in (403, 404)


@pytest.mark.rule("SC-2")
@pytest.mark.rule("SC-3")
@pytest.mark.rule("SC-4")
@pytest.mark.rule("SC-5")
def test_a_visit_with_its_actions_and_support_then_its_letter_and_insufficient_progress(
    case_and_lead: Any,
) -> None:
    case, _lead = case_and_lead
    hmi = h.user(Role.IMPROVEMENT_HMI)
    scheduler = h.user(Role.OFSTED_SCHEDULER)
    case = services.case_assign_hmi(actor=scheduler, case=case, hmi=hmi, version=case.version)
    client = client_for(hmi)
    contacts = f"/api/v1/improvement-cases/{case.pk}/contacts/"
    visit: dict[str, Any] = {"kind": "visit", "held_on": "2026-11-16", "support": ["seminar"]}
    bare = send(client, "post", contacts, visit, case.version)
    assert bare.status_code == 400, bare.content
    assert "actions" in {e["field"] for e in bare.json()["errors"]}
    action = {"action": "Raise attendance to 85%", "owner": "Head of learning"}
    visit["actions"] = [{**action, "due_on": "2027-03-31"}]
    other = client_for(h.user(Role.IMPROVEMENT_HMI))
    assert send(other, "post", contacts, visit, case.version).status_code in (403, 404)
    assert send(client, "post", contacts, visit).status_code == 428
    made = send(client, "post", contacts, visit, case.version)
    assert made.status_code == 201, made.content
    assert made.json()["actions"][0]["owner"] == "Head of learning"
    assert len(made.json()["support"]) == 1
    contact = Contact.objects.get()

    drafted = send(
        client, "post", "/api/v1/improvement-letters/", {"contact": contact.pk}, case.version
    )
    assert drafted.status_code == 201, drafted.content
    letter = drafted.json()
    assert letter["status"] == LetterStatus.DRAFT
    assert "Raise attendance" in letter["body"]
    local = client_for(h.establishment_user(case.event))
    assert local.get("/api/v1/improvement-letters/").json()["count"] == 0
    path = f"/api/v1/improvement-letters/{letter['id']}/"
    rewritten = send(client, "put", path, {"body": "Dear Governor, ..."}, letter["version"])
    assert rewritten.status_code == 200, rewritten.content
    assert send(client, "post", f"{path}send/", {}, letter["version"]).status_code == 412
    sent = send(client, "post", f"{path}send/", {}, rewritten.json()["version"])
    assert sent.status_code == 200, sent.content
    assert Letter.objects.get().status == LetterStatus.SENT
    assert [row["id"] for row in local.get("/api/v1/improvement-letters/").json()["results"]] == [
        letter["id"]
    ]

    progress = f"/api/v1/improvement-cases/{case.pk}/insufficient-progress/"
    note = {"note": "Attendance has fallen again."}
    assert send(other, "post", progress, note, _version(case)).status_code in (403, 404)
    recorded = send(client, "post", progress, note, _version(case))
    assert recorded.status_code == 200, recorded.content
    assert ImprovementCase.objects.get().insufficient_progress_note == note["note"]


@pytest.mark.rule("SC-4")
def test_only_an_fe_providers_letter_is_checked_for_factual_accuracy(case_and_lead: Any) -> None:
    case, _lead = case_and_lead
    hmi = h.user(Role.IMPROVEMENT_HMI)
    case = services.case_assign_hmi(
        actor=h.user(Role.OFSTED_SCHEDULER), case=case, hmi=hmi, version=case.version
    )
    contact = services.contact_record(
        actor=hmi,
        case=case,
        kind="visit",
        held_on=date(2026, 11, 16),
        actions=[services.ActionInput("Act", "Owner", date(2027, 3, 31))],
    )
    letter = services.letter_draft(actor=hmi, contact=contact)
    path = f"/api/v1/improvement-letters/{letter.pk}/factual-check/"
    refused = send(client_for(hmi), "post", path, {"on": "2026-11-20"}, letter.version)
    assert refused.status_code == 400
    assert "FE" in refused.json()["errors"][0]["message"]
