"""Improvement cases through the API where the screens had more: who the letters go to
(`case_details_update`, SC-4, SC-5), the request to bring the re-inspection forward
(`reinspection_bring_forward`, SC-7) and a visit's letter's first draft (`letter_text`),
each for the case's improvement HMI only, with If-Match on the writes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement import services
from inspectorate.improvement.models import ImprovementCase
from inspectorate.improvement.tests.test_improvement_services import open_case
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.models import Notification

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, path: str, data: Any, version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return getattr(client, method)(path, data, content_type="application/json", headers=headers)


def fields(response: Any) -> set[str | None]:
    return {problem["field"] for problem in response.json()["errors"]}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    yield from h.frozen_today()


@pytest.fixture
def case_and_hmi() -> tuple[ImprovementCase, Any]:
    frameworks_load(actor=None)
    full = h.full_inspection(stage=Stage.FIELDWORK)
    case = open_case(full, h.ofsted_lead(full))
    hmi = h.user(Role.IMPROVEMENT_HMI)
    case = services.case_assign_hmi(
        actor=h.user(Role.OFSTED_SCHEDULER), case=case, hmi=hmi, version=case.version
    )
    return case, hmi


def _saved(case: ImprovementCase) -> ImprovementCase:
    return ImprovementCase.objects.get(pk=case.pk)


@pytest.mark.rule("SC-4")
def test_the_improvement_hmi_reads_and_changes_who_the_letters_go_to(case_and_hmi: Any) -> None:
    case, hmi = case_and_hmi
    client = client_for(hmi)
    path = f"/api/v1/improvement-cases/{case.pk}/details/"
    read = client.get(path)
    assert read.status_code == 200, read.content
    assert read.json()["addressee"] == ""
    assert read["ETag"] == f'"{case.version}"'
    change = {"addressee": "Governor Smith", "funding_body": "ESFA"}
    assert send(client, "patch", path, change).status_code == 428
    assert send(client, "patch", path, change, case.version - 1).status_code == 412
    changed = send(client, "patch", path, change, case.version)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == f'"{case.version + 1}"'
    saved = _saved(case)
    assert (saved.addressee, saved.funding_body) == ("Governor Smith", "ESFA")
    # Fields left out keep their value.
    more = send(client, "patch", path, {"learning_provider": "Novus"}, saved.version)
    assert more.status_code == 200, more.content
    assert more.json()["addressee"] == "Governor Smith"
    assert services.letter_recipients(_saved(case)) == ("Governor Smith", "Novus; ESFA")


@pytest.mark.rule("SC-5")
def test_bad_details_are_refused_naming_the_field(case_and_hmi: Any) -> None:
    case, hmi = case_and_hmi
    client = client_for(hmi)
    path = f"/api/v1/improvement-cases/{case.pk}/details/"
    bad = send(client, "patch", path, {"funding_body_email": "not an address"}, case.version)
    assert bad.status_code == 400
    assert fields(bad) == {"funding_body_email"}
    long = send(client, "patch", path, {"addressee": "x" * 201}, case.version)
    assert long.status_code == 400
    assert fields(long) == {"addressee"}
    empty = send(client, "patch", path, {}, case.version)
    assert empty.status_code == 400
    assert _saved(case).version == case.version


def test_only_the_cases_improvement_hmi_sees_and_changes_the_details(case_and_hmi: Any) -> None:
    case, _hmi = case_and_hmi
    path = f"/api/v1/improvement-cases/{case.pk}/details/"
    scheduler = client_for(h.user(Role.OFSTED_SCHEDULER))  # sees the case, is not its HMI
    assert scheduler.get(f"/api/v1/improvement-cases/{case.pk}/").status_code == 200
    assert scheduler.get(path).status_code == 403
    refused = send(scheduler, "patch", path, {"addressee": "Someone"}, case.version)
    assert refused.status_code == 403
    other_hmi = client_for(h.user(Role.IMPROVEMENT_HMI))
    assert send(other_hmi, "patch", path, {"addressee": "X"}, case.version).status_code in (
        403,
        404,
    )
    outsider = client_for(h.user(Role.HMIP_INSPECTOR))
    assert outsider.get(path).status_code == 404
    assert _saved(case).addressee == ""
    assert _saved(case).version == case.version


@pytest.mark.rule("SC-7")
def test_the_improvement_hmi_asks_to_bring_the_reinspection_forward(case_and_hmi: Any) -> None:
    case, hmi = case_and_hmi
    coordinator = h.user(Role.HMIP_COORDINATOR)
    client = client_for(hmi)
    path = f"/api/v1/improvement-cases/{case.pk}/bring-forward/"
    reason = {"reason": "Leaders have turned education round."}
    assert send(client, "post", path, reason).status_code == 428
    assert send(client, "post", path, reason, case.version + 1).status_code == 412
    blank = send(client, "post", path, {"reason": "  "}, case.version)
    assert blank.status_code == 400
    assert fields(blank) == {"reason"}
    scheduler = client_for(h.user(Role.OFSTED_SCHEDULER))
    assert send(scheduler, "post", path, reason, case.version).status_code == 403
    assert _saved(case).bring_forward_requested_on is None
    asked = send(client, "post", path, reason, case.version)
    assert asked.status_code == 200, asked.content
    assert asked.json()["bring_forward_requested_on"] == "2026-11-23"
    assert asked.json()["bring_forward_reason"] == reason["reason"]
    assert asked["ETag"] == f'"{case.version + 1}"'
    assert Notification.objects.filter(recipient=coordinator).exists()


@pytest.mark.rule("SC-4")
def test_the_improvement_hmi_reads_a_visits_first_draft_letter(case_and_hmi: Any) -> None:
    case, hmi = case_and_hmi
    contact = services.contact_record(
        actor=hmi,
        case=case,
        kind="visit",
        held_on=date(2026, 11, 16),
        actions=[services.ActionInput("Raise attendance to 85%", "Head", date(2027, 3, 31))],
    )
    client = client_for(hmi)
    path = f"/api/v1/improvement-cases/{case.pk}/letter-text/"
    draft = client.get(f"{path}?contact={contact.pk}")
    assert draft.status_code == 200, draft.content
    assert draft.json()["contact"] == contact.pk
    assert draft.json()["body"] == services.letter_text(contact)
    assert "Raise attendance to 85%" in draft.json()["body"]
    missing = client.get(path)
    assert missing.status_code == 400
    assert fields(missing) == {"contact"}
    elsewhere = client.get(f"{path}?contact={contact.pk + 1000}")
    assert elsewhere.status_code == 400
    assert fields(elsewhere) == {"contact"}
    scheduler = client_for(h.user(Role.OFSTED_SCHEDULER))
    assert scheduler.get(f"{path}?contact={contact.pk}").status_code == 403
