"""The team pages: who may open them, adding (with an override), removing, queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.inspectors.constants import Grade, Organisation, UnavailabilityKind
from inspectorate.inspectors.models import InspectorBooking
from inspectorate.inspectors.services import unavailability_add
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import TeamMember
from inspectorate.programme.teams.services import team_member_add
from inspectorate.programme.tests.test_team_helpers import (
    make_establishment,
    make_event,
    make_inspector,
    make_leader,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def event(db):
    return make_event()


def _team(event) -> str:
    return reverse("programme:team", args=[event.pk])


def _add_url(event) -> str:
    return reverse("programme:team-add", args=[event.pk])


def test_the_team_page_lists_the_team_with_remove_links(client, coordinator, event) -> None:
    member = team_member_add(
        actor=coordinator, event=event, inspector=make_leader("Martin Lomax"), role="team_leader"
    )
    client.force_login(coordinator)
    response = client.get(_team(event))
    assert response.status_code == 200
    page = response.text
    assert '<h1 class="govuk-heading-l">Team for HMP Leeds</h1>' in page
    assert "Martin Lomax" in page
    assert reverse("programme:team-remove", args=[event.pk, member.pk]) in page
    assert "the team has no Ofsted lead inspector yet" in page
    assert reverse("programme:event-detail", args=[event.pk]) in page
    assert _add_url(event) in page


@pytest.mark.rule("PG-3")
def test_opening_an_unannounced_events_team_is_logged(client, coordinator, event) -> None:
    client.force_login(coordinator)
    client.get(_team(event))
    access = AccessEvent.objects.get()
    assert (access.actor, access.record_id, access.path) == (
        coordinator,
        str(event.pk),
        _team(event),
    )


def test_establishment_users_and_those_who_cannot_see_the_event_get_404(
    client, make_user, event
) -> None:
    announced = make_event(make_establishment("WD", "HMP Wakefield"), announced_on=date(2026, 1, 5))
    member = team_member_add(
        actor=make_user(Role.HMIP_COORDINATOR),
        event=announced,
        inspector=make_inspector(),
        role="inspector",
    )
    # The establishment's own user, even once the event is announced.
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=announced.establishment))
    for url in (
        _team(announced),
        _add_url(announced),
        reverse("programme:team-remove", args=[announced.pk, member.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(_add_url(announced)).status_code == 404
    # A system administrator manages HMI Prisons places but cannot see an unannounced event.
    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR))
    assert client.get(_team(event)).status_code == 404
    assert client.get(_team(announced)).status_code == 200
    # Nor can an inspector who is not on its team; staff who see it but manage no place: 403.
    client.force_login(make_user(Role.HMIP_INSPECTOR))
    assert client.get(_team(event)).status_code == 404
    assert client.get(_team(announced)).status_code == 403
    assert (
        client.post(_add_url(announced), {"inspector": 1, "role": "inspector"}).status_code == 403
    )
    assert TeamMember.objects.count() == 1


def test_adding_a_member(client, coordinator, event) -> None:
    leader = make_leader("Martin Lomax")
    client.force_login(coordinator)
    page = client.get(_add_url(event)).text
    assert f'<option value="{leader.pk}">Martin Lomax, HMI Prisons team leader</option>' in page
    assert "14 June to 18 June 2027" in page  # Ofsted's week is explained (PG-9)
    response = client.post(_add_url(event), {"inspector": leader.pk, "role": "team_leader"})
    assert response.status_code == 302
    assert response.url == _team(event)
    member = TeamMember.objects.get()
    assert (member.inspector, member.role) == (leader, TeamRole.TEAM_LEADER)
    assert (
        "Martin Lomax added to the team as HMI Prisons team leader."
        in client.get(response.url).text
    )


def test_bad_input_names_the_field_and_changes_nothing(client, coordinator, event) -> None:
    client.force_login(coordinator)
    response = client.post(_add_url(event), {"inspector": "", "role": ""})
    assert response.status_code == 400
    page = response.text
    assert "There is a problem" in page
    assert "Select an inspector" in page
    assert "Select the role on the team" in page
    response = client.post(_add_url(event), {"inspector": "999999", "role": "captain"})
    assert "Select an inspector from the list" in response.text
    assert "Select a role from the list" in response.text
    assert not TeamMember.objects.exists()


@pytest.mark.rule("TM-5")
def test_an_unavailable_inspector_is_listed_with_the_reason_and_refused(
    client, coordinator, event
) -> None:
    away = make_inspector("Ada Away")
    unavailability_add(
        actor=coordinator,
        inspector=away,
        kind=UnavailabilityKind.ANNUAL_LEAVE,
        starts_on=date(2027, 6, 17),
        ends_on=date(2027, 6, 25),
    )
    client.force_login(coordinator)
    page = client.get(_add_url(event)).text
    assert f'<option value="{away.pk}"' not in page
    assert "Inspectors who cannot join this team" in page
    assert "Ada Away is already booked from 17 June 2027 to 25 June 2027 (annual leave)." in page
    # Posted anyway (an old page): refused, naming the rule and the clash.
    response = client.post(_add_url(event), {"inspector": away.pk, "role": "inspector"})
    assert response.status_code == 400
    assert "TM-5 (double booking and leave): Ada Away is already booked" in response.text
    assert not TeamMember.objects.exists()


@pytest.mark.rule("PG-11")
def test_a_warning_asks_for_a_reason_before_going_ahead(client, coordinator) -> None:
    event = make_event(make_establishment("AY", "HMP Aylesbury", max_inspectors_on_site=1))
    team_member_add(actor=coordinator, event=event, inspector=make_leader(), role="team_leader")
    extra = make_inspector("Eve Extra")
    client.force_login(coordinator)
    first = client.post(_add_url(event), {"inspector": extra.pk, "role": "inspector"})
    assert first.status_code == 400
    page = first.text
    assert "PG-11 (inspectors on site): 2 inspectors on site at HMP Aylesbury" in page
    assert 'name="override_reason"' in page
    assert "Enter why the team should go ahead despite the warning" in page
    assert "Add despite the warning" in page
    assert TeamMember.objects.count() == 1
    second = client.post(
        _add_url(event),
        {"inspector": extra.pk, "role": "inspector", "override_reason": "Agreed with governor."},
    )
    assert second.status_code == 302
    assert TeamMember.objects.get(inspector=extra).override_reason == "Agreed with governor."
    event_page = client.get(reverse("programme:event-detail", args=[event.pk])).text
    assert "Eve Extra: Agreed with governor." in event_page


def test_the_override_box_is_not_shown_until_a_warning_applies(client, coordinator, event):
    client.force_login(coordinator)
    assert 'name="override_reason"' not in client.get(_add_url(event)).text


def test_the_roles_offered_follow_the_user_and_the_team(client, make_user, event) -> None:
    scheduler = make_user(Role.OFSTED_SCHEDULER)
    client.force_login(scheduler)
    page = client.get(_add_url(event)).text
    assert 'value="ofsted_lead"' in page
    assert 'value="team_leader"' not in page
    team_member_add(
        actor=scheduler,
        event=event,
        inspector=make_inspector(organisation=Organisation.OFSTED),
        role="ofsted_lead",
    )
    assert 'value="ofsted_lead"' not in client.get(_add_url(event)).text  # filled (TM-3)
    make_inspector("Hal Prisons")
    assert "Hal Prisons" not in client.get(_add_url(event)).text  # not theirs to place


def test_the_organisation_filter_is_a_get_form(client, coordinator, event) -> None:
    make_inspector("Hal Prisons")
    make_inspector("Olga Ofsted", Organisation.OFSTED)
    client.force_login(coordinator)
    page = client.get(_add_url(event), {"organisation": "ofsted"}).text
    assert "Olga Ofsted" in page
    assert "Hal Prisons" not in page
    assert '<form method="get"' in page


def test_the_add_page_makes_a_fixed_number_of_queries(
    client, coordinator, django_assert_num_queries
) -> None:
    client.force_login(coordinator)
    for size, establishment in ((3, make_establishment()), (30, make_establishment("WD"))):
        event = make_event(establishment, announced_on=date(2026, 1, 5))
        for n in range(size):
            inspector = make_inspector(f"Person {size}-{n:02d}", grade=Grade.HMIP_TEAM_LEADER)
            if n % 2:
                team_member_add(
                    actor=coordinator, event=event, inspector=inspector, role="inspector"
                )
        # session, user, unread count, event, team, inspectors, conflicts (TM-2), bookings
        # (TM-5), and the session saved again (a savepoint, the update, its release)
        with django_assert_num_queries(11):
            response = client.get(_add_url(event))
        assert response.status_code == 200
        assert response.text.count(f'">Person {size}-') == size // 2 + size % 2


def test_removing_a_member_asks_then_releases_the_booking(client, coordinator, event) -> None:
    member = team_member_add(
        actor=coordinator, event=event, inspector=make_inspector("Rob Removed"), role="inspector"
    )
    url = reverse("programme:team-remove", args=[event.pk, member.pk])
    client.force_login(coordinator)
    page = client.get(url).text
    assert "Remove Rob Removed from the team?" in page
    assert TeamMember.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not TeamMember.objects.exists()
    assert not InspectorBooking.objects.exists()
    assert "Rob Removed removed from the team." in client.get(response.url).text
    assert client.post(url).status_code == 404  # already gone


def test_a_scheduler_cannot_remove_an_hmi_prisons_member(client, coordinator, make_user, event):
    member = team_member_add(
        actor=coordinator, event=event, inspector=make_inspector(), role="inspector"
    )
    client.force_login(make_user(Role.OFSTED_SCHEDULER))
    url = reverse("programme:team-remove", args=[event.pk, member.pk])
    assert client.post(url).status_code == 403
    assert url not in client.get(_team(event)).text
    assert TeamMember.objects.exists()
