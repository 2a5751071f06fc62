"""What is due looks ahead (a full week from today, then four weeks), filters by event and
kind, lets a "normally" deadline go with a reason, and takes back a mistaken "met"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.programme.constants import MilestoneStatus
from inspectorate.programme.milestones.deadlines import dashboard_context
from inspectorate.programme.models import Milestone
from inspectorate.programme.tests.test_milestone_helpers import make_establishment, make_event

DASHBOARD = "programme:milestone-dashboard"
SUNDAY = datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def _on_a_sunday():
    with time_machine.travel(SUNDAY, tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def leeds(db):
    """HMP Leeds, Mon 7 to Fri 18 Dec 2026."""
    return make_event(starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 18))


def test_this_week_is_a_full_week_even_on_a_sunday(coordinator, leeds) -> None:
    context = dashboard_context(coordinator, everyone=True, weeks_ahead=4)
    assert context["deadline_week_ends_on"] == date(2026, 11, 28)
    assert context["deadline_later_ends_on"] == date(2026, 12, 26)
    this_week = {row.milestone.due_on for row in context["deadline_this_week"]}
    later = {row.milestone.due_on for row in context["deadline_later"]}
    assert this_week
    assert all(date(2026, 11, 22) <= day <= date(2026, 11, 28) for day in this_week)
    assert later
    assert all(date(2026, 11, 29) <= day <= date(2026, 12, 26) for day in later)
    # The shell's dashboard does not look past the week.
    assert dashboard_context(coordinator, everyone=True)["deadline_later"] == []


@pytest.mark.rule("WD-1")
def test_the_look_ahead_filters_by_event_and_kind(client, coordinator, leeds) -> None:
    other = make_event(
        make_establishment("DU", "HMP Durham"),
        starts_on=date(2026, 12, 14),
        ends_on=date(2026, 12, 25),
    )
    client.force_login(coordinator)

    everything = client.get(reverse(DASHBOARD), {"show": "all"}).context
    events = {row.milestone.event_id for key in ("deadline_this_week", "deadline_later")
              for row in everything[key]}  # fmt: skip
    assert events == {leeds.pk, other.pk}
    assert "IN-2" in everything["filter_rule_ids"]

    only_durham = client.get(reverse(DASHBOARD), {"show": "all", "event": other.pk}).context
    rows = only_durham["deadline_this_week"] + only_durham["deadline_later"]
    assert rows
    assert {row.milestone.event_id for row in rows} == {other.pk}

    only_in2 = client.get(reverse(DASHBOARD), {"show": "all", "rule": "IN-2"}).context
    rows = only_in2["deadline_this_week"] + only_in2["deadline_later"]
    assert {row.milestone.rule_id for row in rows} == {"IN-2"}
    assert len(rows) == 2
    # No due date of the look-ahead is a Saturday or Sunday unless the work is on site.
    for row in everything["deadline_this_week"] + everything["deadline_later"]:
        if row.rule and row.rule.if_not_working_day == "previous_working_day":
            assert row.milestone.due_on.weekday() < 5, row.milestone


def test_a_normally_deadline_is_let_go_from_the_list(client, coordinator, leeds) -> None:
    client.force_login(coordinator)
    pg5 = Milestone.objects.get(event=leeds, rule_id="PG-5")
    page = client.get(reverse(DASHBOARD)).content.decode()
    assert reverse("programme:milestone-override", args=[pg5.pk]) in page
    assert "Let go with a reason" in page

    response = client.post(
        reverse("programme:milestone-override", args=[pg5.pk]),
        {"reason": "Ofsted agreed a shorter notice", "version": pg5.version},
    )
    assert response.status_code == 302
    pg5.refresh_from_db()
    assert (pg5.status, pg5.override_reason) == (
        MilestoneStatus.NOT_APPLICABLE,
        "Ofsted agreed a shorter notice",
    )
    page = client.get(reverse(DASHBOARD)).content.decode()
    assert reverse("programme:milestone-override", args=[pg5.pk]) not in page
    event_page = client.get(reverse("programme:event-detail", args=[leeds.pk])).content.decode()
    assert "Let go" in event_page
    assert "Ofsted agreed a shorter notice" in event_page


def mark_met(client: Any, milestone: Milestone) -> None:
    response = client.post(
        reverse("programme:milestone-mark-met", args=[milestone.pk]),
        {"version": milestone.version},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.MET


def test_mark_met_is_undone_at_once_without_a_reason(client, coordinator, leeds) -> None:
    client.force_login(coordinator)
    in4 = Milestone.objects.get(event=leeds, rule_id="IN-4")
    mark_met(client, in4)
    event_page = client.get(reverse("programme:event-detail", args=[leeds.pk])).content.decode()
    assert "Undo" in event_page

    response = client.post(
        reverse("programme:milestone-reopen", args=[in4.pk]),
        {"version": in4.version, "undo": "1"},
    )
    assert response.status_code == 302
    in4.refresh_from_db()
    assert (in4.status, in4.met_by, in4.met_on) == (MilestoneStatus.DUE, None, None)
    assert in4.reopen_reason == "Undone straight after it was marked met."


def test_a_later_reopen_needs_a_reason(client, coordinator, leeds, make_user) -> None:
    client.force_login(coordinator)
    in4 = Milestone.objects.get(event=leeds, rule_id="IN-4")
    mark_met(client, in4)
    other = make_user(Role.HMIP_COORDINATOR, username="other")
    client.force_login(other)  # another session: no undo, a reason is needed
    response = client.post(
        reverse("programme:milestone-reopen", args=[in4.pk]),
        {"version": in4.version, "undo": "1"},
    )
    assert response.status_code == 400
    assert "Enter why this deadline is reopened" in response.content.decode()
    in4.refresh_from_db()
    assert in4.status == MilestoneStatus.MET  # nothing changed

    response = client.post(
        reverse("programme:milestone-reopen", args=[in4.pk]),
        {"version": in4.version, "reason": "Marked on the wrong event"},
    )
    assert response.status_code == 302
    in4.refresh_from_db()
    assert (in4.status, in4.reopen_reason) == (MilestoneStatus.DUE, "Marked on the wrong event")
    assert in4.due_on > date(2026, 11, 22) + timedelta(days=7)
