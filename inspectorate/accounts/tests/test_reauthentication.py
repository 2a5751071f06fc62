"""Re-authentication before sensitive actions (publishing a report, changing anyone's roles,
exporting the whole programme): a session whose last proof of identity is older than
REAUTHENTICATION_WINDOW is sent to "Confirm it's you" (password, and a current code when the
account needs the second factor); API calls made with a token are not sessions and are not
asked. Under the production settings unless a test says otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import TEST_PASSWORD, apply_production
from inspectorate.accounts.roles import Role
from inspectorate.accounts.tests.production import (
    browser,
    code,
    device_for,
    sign_in_fully,
)
from inspectorate.api.services import api_token_issue
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.tests.test_milestone_helpers import make_event
from inspectorate.reports.constants import ReportStage
from inspectorate.reports.tests import report_helpers as r

pytestmark = pytest.mark.django_db

CONFIRM = "/account/confirm/"
LATER = h.NOON + dt.timedelta(minutes=16)  # past the 15-minute window


@pytest.fixture(autouse=True)
def _production(settings) -> None:
    apply_production(settings)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(h.NOON, tick=False) as traveller:
        yield traveller


def _confirm(client: Client, next_url: str, device: Any = None, password: str = TEST_PASSWORD):
    data = {"password": password, "next": next_url}
    if device is not None:
        data["token"] = code(device)
    return client.post(CONFIRM, data)


# Publishing -------------------------------------------------------------------------------


def test_publishing_needs_a_recent_confirmation(clock, monkeypatch) -> None:
    r.fake_documents(monkeypatch)
    people = r.cast()
    report = r.final(people)
    device = device_for(people.leader)
    client = browser()
    sign_in_fully(client, people.leader, device)
    page = f"/reports/{report.pk}/"
    publish = f"/reports/{report.pk}/publish/"

    clock.move_to(LATER)
    refused = client.post(
        publish, {"version": report.version}, headers={"Referer": f"https://testserver{page}"}
    )
    assert refused.status_code == 302
    assert refused["Location"].startswith(CONFIRM)
    report.refresh_from_db()
    assert report.stage == ReportStage.FINAL

    asked = client.get(refused["Location"])
    assert "Confirm it's you" in asked.text
    assert 'name="token"' in asked.text  # the second factor is asked for too
    wrong = client.post(CONFIRM, {"password": "not-my-password", "token": code(device)})
    assert "The password is wrong" in wrong.text
    confirmed = _confirm(client, page, device)
    assert confirmed["Location"] == page

    done = client.post(publish, {"version": report.version})
    assert done["Location"] == page
    report.refresh_from_db()
    assert report.stage == ReportStage.PUBLISHED


def test_publishing_through_the_api_with_a_session_needs_a_recent_confirmation(
    clock, monkeypatch
) -> None:
    r.fake_documents(monkeypatch)
    people = r.cast()
    report = r.final(people)
    device = device_for(people.leader)
    client = browser()
    sign_in_fully(client, people.leader, device)
    path = f"/api/v1/reports/{report.pk}/publish/"
    clock.move_to(LATER)
    refused = client.post(path, headers={"If-Match": f'"{report.version}"'})
    assert refused.status_code == 403
    assert "Confirm it's you" in refused.json()["errors"][0]["message"]
    report.refresh_from_db()
    assert report.stage == ReportStage.FINAL
    _confirm(client, "/", device)
    done = client.post(path, headers={"If-Match": f'"{report.version}"'})
    assert done.status_code == 200, done.content
    report.refresh_from_db()
    assert report.stage == ReportStage.PUBLISHED


# Exporting the whole programme ----------------------------------------------------------------


@pytest.fixture
def coordinator() -> Any:
    make_event(h.leeds())
    return h.user(Role.HMIP_COORDINATOR)


@pytest.mark.parametrize("path", ["/programme/2026/events.csv", "/programme/2026/events.xlsx"])
def test_exporting_the_programme_needs_a_recent_confirmation(clock, coordinator, path) -> None:
    device = device_for(coordinator)
    client = browser()
    sign_in_fully(client, coordinator, device)
    assert client.get(path).status_code == 200  # just signed in: recent enough

    clock.move_to(LATER)
    refused = client.get(path)
    assert refused.status_code == 302
    assert refused["Location"].startswith(CONFIRM)
    assert "Content-Disposition" not in refused
    confirmed = _confirm(client, path, device)
    assert confirmed["Location"] == path
    assert "attachment" in client.get(path)["Content-Disposition"]


def test_exporting_through_the_api_asks_sessions_not_tokens(clock, coordinator) -> None:
    path = "/api/v1/programmes/2026/export/"
    device = device_for(coordinator)
    session = browser()
    sign_in_fully(session, coordinator, device)
    issued = api_token_issue(actor=coordinator, name="Planning system")
    token = Client(
        headers={"Authorization": f"Bearer {issued.secret}", "X-Forwarded-Proto": "https"}
    )

    clock.move_to(LATER)
    refused = session.get(path)
    assert refused.status_code == 403
    assert "Confirm it's you" in refused.json()["errors"][0]["message"]
    assert token.get(path).status_code == 200  # governed by the token's scope, not sessions
    _confirm(session, "/", device)
    assert session.get(path).status_code == 200


def test_in_the_demo_confirming_asks_only_the_password(clock, coordinator, settings) -> None:
    settings.REQUIRE_TWO_FACTOR = False
    client = browser()
    sign_in_fully(client, coordinator, None)
    path = "/programme/2026/events.csv"
    clock.move_to(LATER)
    asked = client.get(client.get(path)["Location"])
    assert 'name="password"' in asked.text
    assert 'name="token"' not in asked.text
    assert _confirm(client, path)["Location"] == path
    assert client.get(path).status_code == 200


# Changing roles --------------------------------------------------------------------------------


def _change_form(person: Any, roles: str) -> dict[str, str]:
    return {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "is_active": "on",
        "roles": roles,
        "establishment": "",
        "date_joined_0": "2026-11-01",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-11-01",
        "initial-date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }


def test_changing_roles_in_the_admin_needs_a_recent_confirmation(clock) -> None:
    root = h.user(Role.SYSTEM_ADMINISTRATOR)
    root.is_superuser = root.is_staff = True
    root.save()
    device = device_for(root)
    person = h.user(Role.HMIP_INSPECTOR)
    client = browser()
    sign_in_fully(client, root, device)
    change = f"/admin/accounts/user/{person.pk}/change/"

    clock.move_to(LATER)
    assert client.get(change)["Location"].startswith(CONFIRM)
    refused = client.post(change, _change_form(person, "hmip_coordinator"))
    assert refused["Location"].startswith(CONFIRM)
    person.refresh_from_db()
    assert person.roles == [Role.HMIP_INSPECTOR]

    _confirm(client, change, device)
    assert client.get(change).status_code == 200
    saved = client.post(change, _change_form(person, "hmip_coordinator"))
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.roles == [Role.HMIP_COORDINATOR]
