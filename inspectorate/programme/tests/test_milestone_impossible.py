"""A deadline already past when its milestone is made (the event was added too late for it)
is "Impossible when created", not "Missed": shown so on the event page at once, with a form
to record why; the reason is recorded (who, when), audited and shown after, and the deadline
then leaves everyone's overdue list and reminders. One made in time and then not met is
still missed."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.programme.constants import MilestoneStatus
from inspectorate.programme.milestones.deadlines import OPEN, deadlines_for
from inspectorate.programme.milestones.services import (
    milestone_explain_impossible,
    milestone_mark_met,
    milestone_reminders_send,
    milestones_update_statuses,
)
from inspectorate.programme.models import Event, Milestone
from inspectorate.programme.tests.test_milestone_helpers import (
    NOON,
    TODAY,
    make_establishment,
    make_event,
    make_programme,
    move_event,
)
from inspectorate.programme.tests.test_programme_helpers import date_post

IMPOSSIBLE, MISSED, DUE = (
    MilestoneStatus.IMPOSSIBLE,
    MilestoneStatus.MISSED,
    MilestoneStatus.DUE,
)


@pytest.fixture(autouse=True)
def _on_23_november_2026():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


def pg5(event: Event) -> Milestone:
    return Milestone.objects.get(event=event, rule_code="pg5_ofsted_notified")


@pytest.mark.rule("PG-5")
def test_an_event_added_too_late_for_its_notice_is_impossible_not_missed(coordinator) -> None:
    # Added on 23 November 2026 for 11 January 2027: Ofsted should have been told six months
    # ahead, by 10 July 2026 (PG-5). Nobody could have done it.
    event = make_event(starts_on=date(2027, 1, 11))
    milestone = pg5(event)
    assert (milestone.due_on, milestone.opened_on) == (date(2026, 7, 10), TODAY)
    assert milestone.status == IMPOSSIBLE
    assert milestone.get_status_display() == "Impossible when created"
    # The daily run does not turn it into a miss.
    milestones_update_statuses(on=date(2026, 11, 24))
    assert pg5(event).status == IMPOSSIBLE
    # Until its reason is recorded it is on the coordinator's list, as something to act on.
    assert milestone in deadlines_for(coordinator, on=TODAY)
    # Moved far enough ahead, the deadline can be met after all; moved back, not again.
    move_event(event, date(2027, 6, 7), date(2027, 6, 18))
    assert (pg5(event).due_on, pg5(event).status) == (date(2026, 12, 7), DUE)
    move_event(event, date(2027, 1, 11), date(2027, 1, 22))
    assert pg5(event).status == IMPOSSIBLE


@pytest.mark.rule("PG-5")
def test_a_move_that_takes_a_deadline_still_ahead_into_the_past_makes_it_impossible(db) -> None:
    # In the programme since May for 7 June 2027: Ofsted is to be told by 7 December 2026.
    # On 23 November the event is brought forward to 11 January 2027: told by 10 July 2026.
    with time_machine.travel(date(2026, 5, 1), tick=False):
        event = make_event(starts_on=date(2027, 6, 7))
        late = make_event(starts_on=date(2027, 4, 19))  # Ofsted to be told by 19 October
    assert pg5(event).status == DUE
    move_event(event, date(2027, 1, 11), date(2027, 1, 22))
    assert (pg5(event).due_on, pg5(event).opened_on) == (date(2026, 7, 10), TODAY)
    assert pg5(event).status == IMPOSSIBLE  # the move did it: not held against anyone

    # One already missed before the move stays missed: the move did not cause it.
    milestones_update_statuses(on=TODAY)
    assert pg5(late).status == MISSED
    move_event(late, date(2027, 3, 8), date(2027, 3, 19))
    assert (pg5(late).status, pg5(late).opened_on) == (MISSED, date(2026, 5, 1))


@pytest.mark.rule("PG-5")
def test_a_milestone_made_in_time_and_not_met_is_still_missed(db) -> None:
    with time_machine.travel(date(2026, 6, 1), tick=False):
        event = make_event(starts_on=date(2027, 1, 11))
        assert (pg5(event).status, pg5(event).opened_on) == (DUE, date(2026, 6, 1))
    milestones_update_statuses(on=TODAY)
    assert pg5(event).status == MISSED


@pytest.mark.rule("PG-5")
def test_the_reason_is_recorded_audited_shown_and_takes_it_off_every_list(
    coordinator, make_user, django_capture_on_commit_callbacks
) -> None:
    event = make_event(starts_on=date(2027, 1, 11))
    milestone = pg5(event)
    inspector = make_user(Role.HMIP_INSPECTOR, username="inspector")
    with pytest.raises(PermissionDenied):
        milestone_explain_impossible(actor=inspector, milestone=milestone, reason="No")
    with pytest.raises(ValidationError) as blank:
        milestone_explain_impossible(actor=coordinator, milestone=milestone, reason="  ")
    assert blank.value.message_dict == {"reason": ["Enter why this deadline could not be met"]}
    with pytest.raises(ValidationError, match="changed by someone else"):
        milestone_explain_impossible(
            actor=coordinator, milestone=milestone, reason="Late", version=milestone.version + 1
        )

    reason = "The establishment was added to the programme after a change of governor."
    explained = milestone_explain_impossible(
        actor=coordinator, milestone=milestone, reason=reason, version=milestone.version
    )
    assert explained.status == IMPOSSIBLE  # still what it was: impossible, now explained
    assert (explained.impossible_reason, explained.impossible_recorded_by) == (
        reason,
        coordinator,
    )
    assert explained.impossible_recorded_at is not None
    with pytest.raises(ValidationError, match="already recorded"):
        milestone_explain_impossible(actor=coordinator, milestone=explained, reason="Again")
    # Audited: the milestone's history holds the reason and who recorded it.
    history = apps.get_model("programme", "MilestoneEvent").objects.filter(pgh_obj_id=milestone.pk)
    assert history.filter(
        impossible_reason=reason, impossible_recorded_by=coordinator, pgh_label="update"
    ).exists()

    # Off the lists: the coordinator's deadlines, and the reminders.
    assert not Milestone.objects.filter(OPEN, pk=milestone.pk).exists()
    assert milestone not in deadlines_for(coordinator, on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        milestone_reminders_send(on=TODAY)
    assert pg5(event).reminded_on is None
    # Done late after all, it can still be marked met.
    assert milestone_mark_met(actor=coordinator, milestone=pg5(event)).status == "met"


@pytest.mark.rule("PG-5")
def test_a_deadline_made_in_time_cannot_be_explained_as_impossible(coordinator) -> None:
    with time_machine.travel(date(2026, 6, 1), tick=False):
        event = make_event(starts_on=date(2027, 1, 11))
    milestones_update_statuses(on=TODAY)
    with pytest.raises(ValidationError, match="was not impossible when it was created"):
        milestone_explain_impossible(actor=coordinator, milestone=pg5(event), reason="Late")


@pytest.mark.rule("PG-5")
def test_adding_an_event_too_late_shows_it_at_once_with_a_form_for_the_reason(
    coordinator,
) -> None:
    make_establishment()
    make_programme(2026)
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        reverse("programme:event-schedule", kwargs={"year": 2026}),
        {
            "kind": "full_inspection",
            "establishment": "LE",
            "education_week_reason": "",
            "follows_up": "",
            "previous_education_judgement": "",
            "notes": "",
            **date_post("starts_on", date(2027, 1, 11)),
            **date_post("ends_on", None),
            **date_post("education_week_starts_on", None),
        },
        follow=True,
    )
    event = Event.objects.get()
    milestone = pg5(event)
    page = response.text
    assert response.redirect_chain[-1][0] == f"/programme/events/{event.pk}/"
    assert "1 deadline had already passed: record why under Milestones" in page
    assert "1 deadline had already passed when it was made" in page
    assert '<strong class="govuk-tag govuk-tag--orange">Impossible when created</strong>' in page
    assert "Missed" not in page
    explain = reverse("programme:milestone-explain-impossible", args=[milestone.pk])
    assert f'action="{explain}"' in page

    blank = client.post(explain, {"version": milestone.version, "reason": ""})
    assert blank.status_code == 400
    assert "Enter why this deadline could not be met" in blank.text

    reason = "Added after the programme was confirmed: a new establishment."
    done = client.post(
        explain,
        {"version": milestone.version, "reason": reason, "next": f"/programme/events/{event.pk}/"},
        follow=True,
    )
    page = done.text
    assert done.redirect_chain[-1][0] == f"/programme/events/{event.pk}/"
    assert "Reason recorded: HMI Prisons notifies Ofsted" in page
    assert f"Could not be met, recorded by {coordinator} on 23 November 2026: {reason}" in page
    assert '<strong class="govuk-tag govuk-tag--grey">Impossible when created</strong>' in page
    assert f'action="{explain}"' not in page  # nothing more to record


@pytest.mark.rule("PG-5")
def test_moving_an_event_says_which_deadlines_it_took_into_the_past(coordinator) -> None:
    with time_machine.travel(date(2026, 5, 1), tick=False):
        event = make_event(starts_on=date(2027, 6, 7))
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        reverse("programme:event-move", args=[event.pk]),
        {
            "version": Event.objects.get(pk=event.pk).version,
            "education_week_reason": "",
            "reason": "Brought forward",
            "override_reason": "The establishment asked for January",
            **date_post("starts_on", date(2027, 4, 19)),
            **date_post("ends_on", None),
            **date_post("education_week_starts_on", None),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/programme/events/{event.pk}/"
    assert "Event moved. 1 deadline had already passed: record why under Milestones" in (
        response.text
    )
    assert pg5(event).status == IMPOSSIBLE
