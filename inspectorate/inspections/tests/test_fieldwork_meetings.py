"""Meetings: the Thursday deliberation the Ofsted lead attends (IN-3) and the feedback to
prison staff on the final day (IN-4), each meeting its milestone in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspectorate.inspections.constants import MeetingKind
from inspectorate.inspections.fieldwork import services
from inspectorate.inspections.models import Meeting
from inspectorate.inspections.tests.fieldwork_helpers import (
    END,
    THURSDAY,
    make_team_event,
    on,
)
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.programme.constants import MilestoneStatus
from inspectorate.programme.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with on():
        yield


@pytest.fixture
def team():
    return make_team_event()


def _milestone(team, code: str) -> Milestone:
    return Milestone.objects.get(event=team.event, rule_code=code)


def _meet(team, actor=None, **values: Any) -> Meeting:
    values.setdefault("attendees", [team.leader, team.ofsted_lead, team.inspector])
    return services.meeting_create(actor=actor or team.leader, event=team.event, **values)


@pytest.mark.rule("IN-3")
def test_the_deliberation_the_ofsted_lead_attends_meets_the_in3_milestone(team) -> None:
    assert _milestone(team, "in3_deliberation_meeting").status != MilestoneStatus.MET
    meeting = _meet(team, team.ofsted_lead, kind=MeetingKind.DELIBERATION, held_on=THURSDAY)
    assert set(meeting.attendees.all()) == {team.leader, team.ofsted_lead, team.inspector}
    milestone = _milestone(team, "in3_deliberation_meeting")
    assert (milestone.status, milestone.met_by) == (MilestoneStatus.MET, team.ofsted_lead)


@pytest.mark.rule("IN-3")
def test_an_inspector_recording_the_deliberation_meets_in3_on_the_systems_authority(team) -> None:
    # An inspector may not mark IN-3 met by hand (it is the Ofsted lead's); the record of
    # the meeting the lead attended is the evidence that it was met.
    assert not team.inspector.has_perm(
        "programme.milestone_mark_met", _milestone(team, "in3_deliberation_meeting")
    )
    _meet(team, team.inspector, kind=MeetingKind.DELIBERATION, held_on=THURSDAY)
    milestone = _milestone(team, "in3_deliberation_meeting")
    assert (milestone.status, milestone.met_by) == (MilestoneStatus.MET, team.inspector)


@pytest.mark.rule("IN-3")
def test_a_deliberation_without_the_ofsted_lead_warns_and_does_not_meet_in3(team) -> None:
    with pytest.raises(OverrideNeeded) as warned:
        _meet(team, kind=MeetingKind.DELIBERATION, held_on=THURSDAY, attendees=[team.leader])
    assert "attends the deliberation meeting (IN-3)" in warned.value.warnings["attendees"]
    _meet(
        team,
        kind=MeetingKind.DELIBERATION,
        held_on=THURSDAY,
        attendees=[team.leader],
        override_reason="The Ofsted lead was called away; their bullet points were read out.",
    )
    assert _milestone(team, "in3_deliberation_meeting").status != MilestoneStatus.MET


@pytest.mark.rule("IN-3")
def test_a_deliberation_away_from_the_thursday_needs_a_reason_kept_in_the_notes(team) -> None:
    with pytest.raises(OverrideNeeded) as warned:
        _meet(team, kind=MeetingKind.DELIBERATION, held_on=date(2027, 6, 16), notes="Agreed.")
    assert warned.value.warnings == {
        "held_on": (
            "The deliberation meeting is held on the Thursday of the inspection week (IN-3), "
            "17 June 2027, not on Wednesday 16 June 2027"
        )
    }
    assert not Meeting.objects.exists()
    assert _milestone(team, "in3_deliberation_meeting").status != MilestoneStatus.MET
    meeting = _meet(
        team,
        kind=MeetingKind.DELIBERATION,
        held_on=date(2027, 6, 16),
        notes="Agreed.",
        override_reason="Thursday was a prison lockdown.",
    )
    assert (
        meeting.notes
        == "Agreed.\n\nWhy this went ahead despite IN-3: Thursday was a prison lockdown."
    )
    assert _milestone(team, "in3_deliberation_meeting").status == MilestoneStatus.MET


@pytest.mark.rule("IN-4")
def test_the_feedback_to_prison_staff_on_the_final_day_meets_the_in4_milestone(team) -> None:
    assert _milestone(team, "in4_feedback_session").status != MilestoneStatus.MET
    _meet(
        team,
        team.ofsted_lead,
        kind=MeetingKind.FINAL_FEEDBACK,
        held_on=END,
        attendees=[team.ofsted_lead],
        others_present="The head of learning and skills; the governor.",
    )
    milestone = _milestone(team, "in4_feedback_session")
    assert (milestone.status, milestone.met_by) == (MilestoneStatus.MET, team.ofsted_lead)


@pytest.mark.rule("HI-1")
@pytest.mark.parametrize("recorder", ["ofsted_lead", "inspector"])
def test_a_meeting_of_an_event_recorded_as_history_meets_its_milestone_on_its_day(
    recorder: str,
) -> None:
    # Recorded on 21 June 2027, after the event, from what happened at it: met on the day
    # held, by the lead's own mark or on the system's authority, never today.
    past = make_team_event(historical=True, history_source="The published report")
    actor = getattr(past, recorder)
    _meet(past, actor, kind=MeetingKind.DELIBERATION, held_on=THURSDAY)
    milestone = _milestone(past, "in3_deliberation_meeting")
    assert milestone.status == MilestoneStatus.MET
    assert (milestone.met_by, timezone.localdate(milestone.met_on)) == (actor, THURSDAY)


@pytest.mark.rule("IN-4")
def test_feedback_to_prison_staff_away_from_the_final_day_warns(team) -> None:
    with pytest.raises(OverrideNeeded) as warned:
        _meet(team, kind=MeetingKind.FINAL_FEEDBACK, held_on=THURSDAY)
    assert warned.value.warnings["held_on"] == (
        "The feedback session to prison staff is held on the final day of the inspection "
        "(IN-4), Friday 18 June 2027, not on 17 June 2027"
    )
    assert _milestone(team, "in4_feedback_session").status != MilestoneStatus.MET


@pytest.mark.rule("IN-4")
def test_the_meeting_and_its_milestone_are_written_together_or_not_at_all(team) -> None:
    with (
        mock.patch.object(
            services, "milestone_mark_met", side_effect=ValidationError("Milestone refused.")
        ),
        pytest.raises(ValidationError),
    ):
        _meet(team, team.ofsted_lead, kind=MeetingKind.FINAL_FEEDBACK, held_on=END)
    assert not Meeting.objects.exists()
    assert _milestone(team, "in4_feedback_session").status != MilestoneStatus.MET


def test_a_meeting_is_recorded_once_it_has_been_held(team) -> None:
    with pytest.raises(ValidationError) as refused:
        _meet(team, kind=MeetingKind.TEAM, held_on=date(2027, 6, 22))
    assert "cannot be in the future" in refused.value.message_dict["held_on"][0]


def test_attendees_are_on_the_team(team, make_user) -> None:
    stranger = make_user("hmip_inspector", username="stranger")
    with pytest.raises(ValidationError) as refused:
        _meet(team, kind=MeetingKind.TEAM, held_on=THURSDAY, attendees=[stranger])
    assert "not on it" in refused.value.message_dict["attendees"][0]


@pytest.mark.rule("IN-3")
def test_the_meeting_pages_record_and_change_a_deliberation(team, client) -> None:
    client.force_login(team.ofsted_lead)
    add = reverse("inspections:meeting-add", kwargs={"event_pk": team.event.pk})
    form = client.get(add).text
    assert "The deliberation meeting is on Thursday 17 June 2027 (IN-3)" in form
    data = {
        "kind": "deliberation",
        "held_on_day": "17",
        "held_on_month": "6",
        "held_on_year": "2027",
        "attendees": [str(team.leader.pk), str(team.ofsted_lead.pk)],
        "others_present": "",
        "notes": "Grades agreed.",
        "version": "",
    }
    assert client.post(add, data).status_code == 302
    meeting = Meeting.objects.get()
    assert _milestone(team, "in3_deliberation_meeting").status == MilestoneStatus.MET
    edit = reverse("inspections:meeting-edit", kwargs={"event_pk": team.event.pk, "pk": meeting.pk})
    data.update(notes="Grades agreed; key concerns drafted.", version="1")
    assert client.post(edit, data).status_code == 302
    listing = client.get(reverse("inspections:meeting-list", kwargs={"event_pk": team.event.pk}))
    assert "Grades agreed; key concerns drafted." in listing.text
    assert Meeting.objects.get().version == 2


def test_a_misspelt_field_is_refused_not_dropped(team) -> None:
    """The services take their fields as a TypedDict's keywords: one it does not name is a
    TypeError, as it would be for a plain keyword parameter, and nothing is written."""
    with pytest.raises(TypeError, match="note"):
        _meet(team, kind=MeetingKind.TEAM, held_on=THURSDAY, note="Typo for notes")
    assert not Meeting.objects.exists()
