"""The pre-inspection briefing between the Ofsted lead and the team leader (IN-1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspectorate.inspections.fieldwork import services
from inspectorate.inspections.models import Briefing
from inspectorate.inspections.tests.fieldwork_helpers import (
    EDUCATION_WEEK,
    make_team_event,
    on,
)
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with on():
        yield


@pytest.fixture
def team():
    return make_team_event()


def _url(event) -> str:
    return reverse("inspections:briefing", kwargs={"event_pk": event.pk})


@pytest.mark.rule("IN-1")
def test_a_briefing_after_education_fieldwork_starts_is_refused_naming_the_rule(team) -> None:
    with pytest.raises(ValidationError) as refused:
        services.briefing_record(
            actor=team.leader,
            event=team.event,
            held_on=date(2027, 6, 15),
            attendees=[team.leader, team.ofsted_lead],
        )
    message = refused.value.message_dict["held_on"][0]
    assert "(IN-1)" in message
    assert "14 June 2027" in message
    assert not Briefing.objects.exists()


@pytest.mark.rule("IN-1")
def test_the_briefing_may_be_held_up_to_the_day_education_fieldwork_starts(team) -> None:
    briefing = services.briefing_record(
        actor=team.leader,
        event=team.event,
        held_on=EDUCATION_WEEK,
        attendees=[team.leader, team.ofsted_lead],
        notes="Lines of enquiry agreed.",
    )
    assert briefing.held_on == EDUCATION_WEEK
    assert set(briefing.attendees.all()) == {team.leader, team.ofsted_lead}
    assert briefing.recorded_by == team.leader


@pytest.mark.rule("IN-1")
def test_without_both_leads_the_briefing_needs_a_reason_kept_in_its_notes(team) -> None:
    with pytest.raises(OverrideNeeded) as warned:
        services.briefing_record(
            actor=team.leader,
            event=team.event,
            held_on=date(2027, 6, 1),
            attendees=[team.leader],
            notes="Agreed by e-mail.",
        )
    warning = warned.value.warnings["attendees"]
    assert "(IN-1)" in warning
    assert "the Ofsted lead inspector, Inspector" in warning
    assert "not among the attendees" in warning
    assert not Briefing.objects.exists()

    briefing = services.briefing_record(
        actor=team.leader,
        event=team.event,
        held_on=date(2027, 6, 1),
        attendees=[team.leader],
        notes="Agreed by e-mail.",
        override_reason="The Ofsted lead joined by telephone.",
    )
    assert briefing.notes == (
        "Agreed by e-mail.\n\nWhy this went ahead despite IN-1: The Ofsted lead joined by "
        "telephone."
    )


@pytest.mark.rule("IN-1")
def test_a_change_that_leaves_the_attendees_alone_is_not_warned_again(team) -> None:
    briefing = services.briefing_record(
        actor=team.leader,
        event=team.event,
        held_on=date(2027, 6, 1),
        attendees=[team.leader],
        override_reason="By telephone.",
    )
    changed = services.briefing_record(
        actor=team.leader,
        event=team.event,
        held_on=date(2027, 6, 2),
        attendees=[team.leader],
        notes=briefing.notes,
        version=briefing.version,
    )
    assert (changed.held_on, changed.version) == (date(2027, 6, 2), 2)


@pytest.mark.rule("IN-1")
def test_an_event_without_an_education_inspectorate_has_no_briefing(client) -> None:
    team = make_team_event(education="")
    with pytest.raises(ValidationError) as refused:
        services.briefing_record(
            actor=team.leader, event=team.event, held_on=date(2027, 6, 1), attendees=[]
        )
    assert "no pre-inspection briefing" in refused.value.messages[0]
    client.force_login(team.leader)
    page = client.get(_url(team.event)).text
    assert "no pre-inspection briefing requirement (IN-1)" in page
    assert "Save the briefing" not in page


def test_only_the_team_records_the_briefing(team, make_user) -> None:
    quality = make_user("quality_assurance", username="qa")
    with pytest.raises(PermissionDenied):
        services.briefing_record(
            actor=quality, event=team.event, held_on=date(2027, 6, 1), attendees=[]
        )


@pytest.mark.rule("IN-1")
def test_the_briefing_page_records_it_and_asks_for_a_reason_when_a_lead_is_missing(
    client, team
) -> None:
    client.force_login(team.inspector)
    data = {
        "held_on_day": "1",
        "held_on_month": "6",
        "held_on_year": "2027",
        "attendees": [str(team.leader.pk)],
        "notes": "Agreed the lines of enquiry.",
        "version": "",
    }
    asked = client.post(_url(team.event), data)
    assert asked.status_code == 400
    assert "between the Ofsted lead inspector and the HMI Prisons team leader (IN-1)" in asked.text
    assert "Record despite the warning" in asked.text

    data["override_reason"] = "The Ofsted lead was unwell; briefed the next day."
    response = client.post(_url(team.event), data)
    assert response.status_code == 302
    shown = client.get(_url(team.event)).text
    assert "Tuesday 1 June 2027" in shown
    assert "briefed the next day" in shown


def test_a_second_first_recording_of_the_briefing_is_refused_as_stale(client, team) -> None:
    services.briefing_record(
        actor=team.leader,
        event=team.event,
        held_on=date(2027, 6, 1),
        attendees=[team.leader, team.ofsted_lead],
        notes="First.",
    )
    client.force_login(team.ofsted_lead)
    response = client.post(
        _url(team.event),
        {
            "held_on_day": "2",
            "held_on_month": "6",
            "held_on_year": "2027",
            "attendees": [str(team.leader.pk), str(team.ofsted_lead.pk)],
            "notes": "Second, written at the same time.",
            "version": "",
        },
    )
    assert response.status_code == 409
    assert "Second, written at the same time." in response.text
    assert "changed by someone else" in response.text
    assert Briefing.objects.get().notes == "First."


def test_a_change_of_the_briefing_from_a_stale_version_is_refused(team) -> None:
    briefing = services.briefing_record(
        actor=team.leader,
        event=team.event,
        held_on=date(2027, 6, 1),
        attendees=[team.leader, team.ofsted_lead],
    )
    services.briefing_record(
        actor=team.leader,
        event=team.event,
        held_on=date(2027, 6, 2),
        attendees=[team.leader, team.ofsted_lead],
        notes="First change.",
        version=briefing.version,
    )
    with pytest.raises(StaleVersion):
        services.briefing_record(
            actor=team.ofsted_lead,
            event=team.event,
            held_on=date(2027, 6, 3),
            attendees=[team.leader],  # would warn too: the stale version is refused first
            notes="Second change.",
            version=briefing.version,
        )
    kept = Briefing.objects.get()
    assert (kept.held_on, kept.notes, kept.version) == (date(2027, 6, 2), "First change.", 2)
