"""Observations of the three kinds (IN-8): formal ones graded with feedback, short focused
ones about 15 minutes with neither grade nor feedback, joint ones with the provider's
observer giving the feedback."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pghistory.models import Context

from inspectorate.inspections.constants import ObservationKind
from inspectorate.inspections.fieldwork import selectors, services
from inspectorate.inspections.models import Observation
from inspectorate.inspections.tests.fieldwork_helpers import (
    level,
    load_frameworks,
    make_team_event,
    on,
)
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.programme.constants import EventKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    load_frameworks()
    with on():
        yield


@pytest.fixture
def team():
    return make_team_event()


def _observe(team, **values: Any) -> Observation:
    values.setdefault("observed_on", date(2027, 6, 15))
    values.setdefault("activity", "Level 1 English")
    values.setdefault("duration_minutes", 60)
    return services.observation_create(actor=team.ofsted_lead, event=team.event, **values)


@pytest.mark.rule("IN-8")
def test_a_formal_observation_is_graded_on_the_framework_scale_with_feedback(team) -> None:
    grade = level("requires_improvement")
    observation = _observe(
        team, kind=ObservationKind.FORMAL, grade=grade, feedback="Plan for late arrivals."
    )
    assert (observation.grade, observation.feedback, observation.observer) == (
        grade,
        "Plan for late arrivals.",
        team.ofsted_lead,
    )
    offered = [lvl.slug for lvl in selectors.observation_levels(team.event)]
    assert offered == ["outstanding", "good", "requires_improvement", "inadequate"]


@pytest.mark.rule("IN-8")
def test_a_formal_observation_without_a_grade_or_feedback_is_refused(team) -> None:
    with pytest.raises(ValidationError) as refused:
        _observe(team, kind=ObservationKind.FORMAL)
    errors = refused.value.message_dict
    assert errors["grade"] == ["A formal observation is graded (IN-8): choose the grade"]
    assert "(IN-8)" in errors["feedback"][0]
    assert not Observation.objects.exists()


@pytest.mark.rule("IN-8")
def test_a_grade_from_another_scale_is_refused(team) -> None:
    with pytest.raises(ValidationError) as refused:
        _observe(
            team,
            kind=ObservationKind.FORMAL,
            grade=level("good", framework="cif-2009"),  # the 2009 scale, for probation
            feedback="Feedback.",
        )
    assert refused.value.message_dict["grade"] == ["Choose a grade from the list"]


@pytest.mark.rule("IN-8")
def test_a_short_focused_observation_is_never_graded_and_has_no_feedback(team) -> None:
    with pytest.raises(ValidationError) as refused:
        _observe(
            team,
            kind=ObservationKind.SHORT_FOCUSED,
            duration_minutes=15,
            grade=level("good"),
            feedback="Well done.",
        )
    errors = refused.value.message_dict
    assert errors["grade"] == [
        "A short focused observation is never graded (IN-8): choose no grade"
    ]
    assert errors["feedback"] == [
        "No feedback is given after a short focused observation (IN-8): leave the feedback empty"
    ]
    observation = _observe(team, kind=ObservationKind.SHORT_FOCUSED, duration_minutes=15)
    assert (observation.grade, observation.feedback) == (None, "")


@pytest.mark.rule("IN-8")
def test_a_short_focused_observation_over_20_minutes_needs_a_reason(team) -> None:
    _observe(team, kind=ObservationKind.SHORT_FOCUSED, duration_minutes=20)  # about 15
    with pytest.raises(OverrideNeeded) as warned:
        _observe(team, kind=ObservationKind.SHORT_FOCUSED, duration_minutes=25)
    assert warned.value.warnings == {
        "duration_minutes": (
            "A short focused observation lasts about 15 minutes (IN-8); this one lasted 25"
        )
    }
    assert Observation.objects.count() == 1

    _observe(
        team,
        kind=ObservationKind.SHORT_FOCUSED,
        duration_minutes=25,
        override_reason="The session ran on while a learner finished.",
    )
    assert Observation.objects.count() == 2
    # The reason is in the audit trail of the write (the model has no field for it).
    recorded = Context.objects.filter(metadata__override_rule="IN-8").get()
    assert recorded.metadata["override_reason"] == "The session ran on while a learner finished."


@pytest.mark.rule("IN-8")
def test_a_joint_observation_names_the_providers_observer_who_gives_the_feedback(
    team, client
) -> None:
    with pytest.raises(ValidationError) as refused:
        _observe(team, kind=ObservationKind.JOINT, feedback="Good pace.")
    assert "(IN-8)" in refused.value.message_dict["provider_observer"][0]
    _observe(
        team,
        kind=ObservationKind.JOINT,
        provider_observer="Head of education, Novus",
        feedback="Praised the mentors' patience.",
    )
    client.force_login(team.inspector)
    page = client.get(
        reverse("inspections:observation-list", kwargs={"event_pk": team.event.pk})
    ).text
    assert "Given by Head of education, Novus: Praised the mentors&#x27; patience." in page


@pytest.mark.rule("IN-8")
def test_only_a_joint_observation_has_a_providers_observer(team) -> None:
    with pytest.raises(ValidationError) as refused:
        _observe(
            team,
            kind=ObservationKind.FORMAL,
            grade=level("good"),
            feedback="Feedback.",
            provider_observer="Someone",
        )
    assert "Only a joint observation" in refused.value.message_dict["provider_observer"][0]


@pytest.mark.rule("IN-8")
def test_at_an_irp_observations_are_graded_on_the_prison_education_scale(team) -> None:
    irp = make_team_event(kind=EventKind.IRP, starts_on=date(2027, 5, 10), ends_on=None)
    scale = selectors.observation_scale(irp.event)
    assert scale is not None
    assert (scale.framework.slug, scale.slug) == ("eif-prisons", "grade")


@pytest.mark.rule("IN-8")
def test_the_observation_page_asks_for_a_reason_then_records_it(team, client) -> None:
    client.force_login(team.ofsted_inspector)
    url = reverse("inspections:observation-add", kwargs={"event_pk": team.event.pk})
    data = {
        "kind": "short_focused",
        "activity": "Barbering workshop",
        "location": "Workshop 2",
        "observed_on_day": "15",
        "observed_on_month": "6",
        "observed_on_year": "2027",
        "duration_minutes": "30",
        "grade": "",
        "provider_observer": "",
        "feedback": "",
        "version": "",
    }
    asked = client.post(url, data)
    assert asked.status_code == 400
    assert "lasts about 15 minutes (IN-8); this one lasted 30" in asked.text
    data["override_reason"] = "Two short sessions back to back."
    assert client.post(url, data).status_code == 302
    observation = Observation.objects.get()
    assert (observation.observer, observation.duration_minutes) == (team.ofsted_inspector, 30)

    edit = reverse(
        "inspections:observation-edit", kwargs={"event_pk": team.event.pk, "pk": observation.pk}
    )
    data.update(location="Workshop 3", override_reason="", version="1")
    assert client.post(edit, data).status_code == 302  # same kind and length: no new warning
    assert Observation.objects.get().location == "Workshop 3"


def test_a_misspelt_field_is_refused_not_dropped(team) -> None:
    with pytest.raises(TypeError, match="feedbak"):
        _observe(team, kind=ObservationKind.FORMAL, grade=level("good"), feedbak="Typo")
    assert not Observation.objects.exists()
