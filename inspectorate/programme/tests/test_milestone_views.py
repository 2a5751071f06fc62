"""Milestone screens: the event page's panel, marking met, overriding with a reason, and the
per-user deadline dashboard (a fixed number of queries, confidential reads logged)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.programme.constants import MilestoneStatus, TeamRole
from inspectorate.programme.milestones.deadlines import dashboard_context, milestone_panel_context
from inspectorate.programme.models import Event, Milestone
from inspectorate.programme.tests.test_milestone_helpers import (
    NOON,
    made_in_time,
    make_establishment,
    make_event,
    put_on_team,
)

DASHBOARD = "programme:milestone-dashboard"


@pytest.fixture(autouse=True)
def _on_23_november_2026():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def inspection(db):
    """HMP Leeds, Mon 16 to Fri 27 Nov 2026, unannounced; Ofsted's week is this one. Added
    in March, in time for all its deadlines."""
    return made_in_time(date(2026, 3, 2), starts_on=date(2026, 11, 16), ends_on=date(2026, 11, 27))


def milestone(event: Event, code: str) -> Milestone:
    return Milestone.objects.get(event=event, rule_code=code)


def signed_in(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def panel(event: Event, user: Any) -> str:
    request = RequestFactory().get(f"/programme/events/{event.pk}/")
    request.user = user
    context = {**milestone_panel_context(event, user), "request": request}
    return render_to_string("programme/includes/milestones_panel.html", context, request=request)


# The panel -------------------------------------------------------------------------------------


@pytest.mark.rule("IN-2")
@pytest.mark.rule("PG-5")
def test_the_panel_is_a_table_with_actions_for_programme_staff(inspection, coordinator) -> None:
    html = panel(inspection, coordinator)
    assert '<table class="govuk-table">' in html
    assert "<caption" in html
    assert "12:00 on 26 November 2026" in html  # IN-2: Thursday of Ofsted's week
    assert html.count(">Mark met<") == 5  # all but PG-6, which follows the team
    assert "Met when an Ofsted lead inspector is named on the team." in html
    # Only PG-5 applies "normally": the only one offered an override.
    assert html.count("Let go with a reason") == 1
    override = reverse(
        "programme:milestone-override", args=[milestone(inspection, "pg5_ofsted_notified").pk]
    )
    assert override in html
    assert '<strong class="govuk-tag govuk-tag--red">Missed</strong>' in html


def test_the_panel_offers_the_ofsted_lead_their_own_milestones_only(inspection, make_user) -> None:
    lead = make_user(Role.OFSTED_LEAD_INSPECTOR, username="lead")
    put_on_team(inspection, lead, TeamRole.OFSTED_LEAD)
    html = panel(inspection, lead)
    assert html.count(">Mark met<") == 4  # IN-2, IN-3, IN-4, RP-1; not PG-5 (the programme's)
    assert "Let go with a reason" not in html
    # PG-6, due Mon 2 Nov, met today when the lead was named: late.
    assert '<strong class="govuk-tag govuk-tag--yellow">Met late</strong>' in html


def test_the_event_page_shows_the_panel(client, inspection, coordinator) -> None:
    response = signed_in(client, coordinator).get(
        reverse("programme:event-detail", args=[inspection.pk])
    )
    assert response.status_code == 200
    assert (
        "Ofsted debrief and full report to the HMI Prisons coordinator" in response.content.decode()
    )


# Marking met and overriding ------------------------------------------------------------------


def test_marking_met_from_the_panel(client, inspection, coordinator) -> None:
    target = milestone(inspection, "in3_deliberation_meeting")
    back = reverse("programme:event-detail", args=[inspection.pk])
    response = signed_in(client, coordinator).post(
        reverse("programme:milestone-mark-met", args=[target.pk]),
        {"version": target.version, "next": back},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == back
    assert "Marked as met: Ofsted lead attends the deliberation meeting (IN-3)." in (
        response.content.decode()
    )
    target.refresh_from_db()
    assert (target.status, target.met_by) == (MilestoneStatus.MET, coordinator)


def test_a_stale_mark_met_changes_nothing_and_says_why(client, inspection, coordinator) -> None:
    target = milestone(inspection, "in3_deliberation_meeting")
    response = signed_in(client, coordinator).post(
        reverse("programme:milestone-mark-met", args=[target.pk]),
        {"version": target.version + 1, "next": "https://evil.example/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("programme:event-detail", args=[inspection.pk])
    assert "changed by someone else" in response.content.decode()
    assert milestone(inspection, "in3_deliberation_meeting").status == MilestoneStatus.DUE


@pytest.mark.rule("PG-3")
def test_a_hidden_event_is_not_found_and_a_visible_one_needs_permission(
    client, inspection, make_user
) -> None:
    target = milestone(inspection, "in3_deliberation_meeting")
    url = reverse("programme:milestone-mark-met", args=[target.pk])
    governor = make_user(
        Role.ESTABLISHMENT_USER, username="governor", establishment=inspection.establishment
    )
    inspector = make_user(Role.HMIP_INSPECTOR, username="inspector")
    # Unannounced, but started on Mon 16 Nov: everyone may know of it now. Move it on.
    Event.objects.filter(pk=inspection.pk).update(
        starts_on=date(2027, 1, 11), ends_on=date(2027, 1, 22)
    )
    for user in (governor, inspector):
        client.logout()
        assert signed_in(client, user).post(url, {"version": 1}).status_code == 404
        override = reverse("programme:milestone-override", args=[target.pk])
        assert client.get(override).status_code == 404
    # Announced: the governor sees the event, but may not mark its milestones.
    Event.objects.filter(pk=inspection.pk).update(announced_on=date(2026, 11, 20))
    assert client.post(url, {"version": 1}).status_code == 403  # the inspector
    client.logout()
    assert signed_in(client, governor).post(url, {"version": 1}).status_code == 403
    assert milestone(inspection, "in3_deliberation_meeting").status == MilestoneStatus.DUE


@pytest.mark.rule("PG-5")
def test_overriding_needs_a_reason(client, inspection, coordinator) -> None:
    target = milestone(inspection, "pg5_ofsted_notified")
    url = reverse("programme:milestone-override", args=[target.pk])
    client = signed_in(client, coordinator)
    page = client.get(url)
    assert page.status_code == 200
    assert "6 calendar months before the first day of the event" in page.content.decode()
    response = client.post(url, {"reason": "  ", "version": target.version})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count("Enter why this deadline is being set aside") == 2  # summary and field
    assert milestone(inspection, "pg5_ofsted_notified").status == MilestoneStatus.MISSED

    response = client.post(url, {"reason": "Added in November.", "version": target.version})
    assert response.status_code == 302
    done = milestone(inspection, "pg5_ofsted_notified")
    assert (done.status, done.override_reason) == (
        MilestoneStatus.NOT_APPLICABLE,
        "Added in November.",
    )
    html = panel(inspection, coordinator)
    assert "Set aside by Coordinator Tester on 23 November 2026: Added in November." in html


@pytest.mark.rule("RP-1")
def test_a_hard_deadline_cannot_be_overridden_on_screen(client, inspection, coordinator) -> None:
    target = milestone(inspection, "rp1_report_full_inspection")
    response = signed_in(client, coordinator).post(
        reverse("programme:milestone-override", args=[target.pk]),
        {"reason": "Busy", "version": target.version},
    )
    assert response.status_code == 400
    assert "is a hard deadline (must): it cannot be overridden" in response.content.decode()


# The dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_shows_what_each_person_answers_for(
    client, inspection, coordinator, make_user
) -> None:
    lead = make_user(Role.OFSTED_LEAD_INSPECTOR, username="lead")
    put_on_team(inspection, lead, TeamRole.OFSTED_LEAD)
    other = make_event(make_establishment("DU", "HMP Durham"), starts_on=date(2026, 11, 16))

    mine = dashboard_context(lead)
    assert [r.milestone.rule_code for r in mine["deadline_overdue"]] == []
    assert [(r.milestone.rule_code, r.milestone.event_id) for r in mine["deadline_this_week"]] == [
        ("in2_bullet_points", inspection.pk),
        ("in3_deliberation_meeting", inspection.pk),
        ("in4_feedback_session", inspection.pk),
    ]
    # The coordinator answers for PG-5 of both; with "all", sees every deadline of both.
    theirs = dashboard_context(coordinator)
    assert [r.milestone.rule_code for r in theirs["deadline_overdue"]] == [
        "pg5_ofsted_notified"
    ] * 2
    assert theirs["deadline_this_week"] == []
    everything = dashboard_context(coordinator, everyone=True)
    assert {r.milestone.event_id for r in everything["deadline_this_week"]} == {
        inspection.pk,
        other.pk,
    }
    # Durham has no Ofsted lead: its PG-6 is overdue, for the Ofsted scheduling team.
    scheduler = make_user(Role.OFSTED_SCHEDULER, username="scheduler")
    assert [
        (r.milestone.rule_code, r.milestone.event_id)
        for r in dashboard_context(scheduler)["deadline_overdue"]
    ] == [("pg6_ofsted_lead_named", other.pk)]

    page = signed_in(client, lead).get(reverse(DASHBOARD))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 class="govuk-heading-l">What is due</h1>' in html
    assert "12:00 on Thursday 26 November 2026" in html
    assert "Nothing is overdue." in html
    assert reverse("programme:event-detail", args=[inspection.pk]) in html


@pytest.mark.rule("PG-3")
def test_people_without_deadlines_see_nothing_or_are_refused(client, make_user) -> None:
    unannounced = make_event(starts_on=date(2027, 1, 11))  # PG-5 overdue, confidential
    inspector = make_user(Role.HMIP_INSPECTOR, username="inspector")
    assert dashboard_context(inspector, everyone=True)["deadline_overdue"] == []
    html = signed_in(client, inspector).get(reverse(DASHBOARD) + "?show=all").content.decode()
    assert "HMP Leeds" not in html
    assert "Nothing is overdue." in html
    governor = make_user(
        Role.ESTABLISHMENT_USER, username="governor", establishment=unannounced.establishment
    )
    client.logout()
    assert signed_in(client, governor).get(reverse(DASHBOARD)).status_code == 403
    assert dashboard_context(governor, everyone=True)["deadline_this_week"] == []


@pytest.mark.rule("PG-3")
def test_the_dashboard_logs_each_confidential_event_shown(client, coordinator) -> None:
    unannounced = make_event(starts_on=date(2027, 1, 11))
    announced = make_event(
        make_establishment("DU", "HMP Durham"),
        starts_on=date(2027, 1, 11),
        announced_on=date(2026, 10, 1),
    )
    rows = dashboard_context(coordinator, path="/programme/deadlines/")["deadline_overdue"]
    assert {r.milestone.event_id for r in rows} == {unannounced.pk, announced.pk}
    logged = AccessEvent.objects.filter(record_type="programme.event")
    assert list(logged.values_list("record_id", "actor", "path")) == [
        (str(unannounced.pk), coordinator.pk, "/programme/deadlines/")
    ]


def _events(count: int) -> None:
    establishment = make_establishment()
    for offset in range(count):
        start = date(2026, 11, 16) + timedelta(weeks=offset % 3)
        make_event(establishment, starts_on=start)


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_makes_a_fixed_number_of_queries(
    count, client, coordinator, django_assert_num_queries
) -> None:
    _events(count)
    with django_assert_num_queries(2):  # the deadlines, and the confidential reads logged
        context = dashboard_context(coordinator, everyone=True)
    assert len(context["deadline_overdue"]) + len(context["deadline_this_week"]) >= count
    client = signed_in(client, coordinator)
    # The session, the user, the unread count, the deadlines, the confidential reads logged, the
    # letters (SC-4) and complaint responses (CP-1) due, and the session saved (in a savepoint).
    with django_assert_num_queries(10):
        response = client.get(reverse(DASHBOARD) + "?show=all")
    assert response.status_code == 200


def test_the_dashboard_include_renders_for_the_shell(inspection, coordinator) -> None:
    html = render_to_string(
        "programme/includes/milestones_dashboard.html", dashboard_context(coordinator)
    )
    assert '<h2 class="govuk-heading-m">What is due</h2>' in html
    assert "Overdue (1)" in html
    assert "Nothing you are responsible for is due this week." in html
    assert reverse(DASHBOARD) in html
