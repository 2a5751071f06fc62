"""Who sees an event's fieldwork: its team and quality assurance. Anyone else who can see the
event gets 403; anyone who cannot gets a 404 identical to a missing event's (PG-3). Reading
the fieldwork of an unannounced inspection is logged."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.inspections.tests.fieldwork_helpers import (
    load_frameworks,
    make_team_event,
    on,
    other_establishment,
    person,
    write_evidence,
)
from inspectorate.programme.models import Event

pytestmark = pytest.mark.django_db

PAGES = ("briefing", "evidence-list", "observation-list", "meeting-list")
FORMS = ("evidence-add", "observation-add", "meeting-add")


@pytest.fixture(autouse=True)
def _today():
    with on():
        yield


@pytest.fixture
def team():
    return make_team_event()


def _url(name: str, event_pk: int) -> str:
    return reverse(f"inspections:{name}", kwargs={"event_pk": event_pk})


def _statuses(client, user, event_pk: int, names=PAGES) -> set[int]:
    client.force_login(user)
    return {client.get(_url(name, event_pk)).status_code for name in names}


def _without_token(html: str) -> str:
    return re.sub(r'name="(csrfmiddlewaretoken|idempotency_token)" value="[^"]+"', "", html)


@pytest.mark.rule("PG-3")
def test_the_team_and_quality_assurance_see_the_fieldwork(client, team) -> None:
    quality = person("quality", Role.QUALITY_ASSURANCE)
    for user in (team.inspector, team.ofsted_inspector, team.leader, quality):
        assert _statuses(client, user, team.event.pk) == {200}, user
    client.force_login(quality)
    page = client.get(_url("evidence-list", team.event.pk)).text
    assert 'aria-current="page">Evidence</a>' in page  # the tab bar, this tab current
    assert "Record evidence" not in page  # quality assurance reads, does not record
    assert _statuses(client, quality, team.event.pk, FORMS) == {403}
    assert _statuses(client, team.inspector, team.event.pk, FORMS) == {200}


@pytest.mark.rule("PG-3")
def test_others_who_see_the_event_are_refused_with_403(client, team) -> None:
    coordinator = person("coordinator", Role.HMIP_COORDINATOR)
    establishment_user = person(
        "governor", Role.ESTABLISHMENT_USER, establishment=team.event.establishment
    )
    outsider = person("outsider", Role.HMIP_INSPECTOR)  # on no team; the event has started
    for user in (coordinator, establishment_user, outsider):
        assert _statuses(client, user, team.event.pk) == {403}, user
        assert _statuses(client, user, team.event.pk, FORMS) == {403}, user


@pytest.mark.rule("PG-3")
def test_those_who_cannot_see_the_event_get_the_404_of_a_missing_one(client) -> None:
    load_frameworks()
    # Unannounced and not yet started: only the programme staff and the team know of it.
    future = make_team_event(starts_on=date(2027, 9, 6), ends_on=date(2027, 9, 17))
    form = write_evidence(future, text="Unannounced.", day=date(2027, 9, 8))
    outsider = person("outsider", Role.HMIP_INSPECTOR)
    elsewhere = person("elsewhere", Role.ESTABLISHMENT_USER, establishment=other_establishment())
    missing = Event.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    for user in (outsider, elsewhere):
        assert _statuses(client, user, future.event.pk) == {404}, user
        edit = reverse(
            "inspections:evidence-edit", kwargs={"event_pk": future.event.pk, "pk": form.pk}
        )
        assert client.get(edit).status_code == 404
        hidden = client.get(_url("evidence-list", future.event.pk))
        absent = client.get(_url("evidence-list", missing))
        assert _without_token(hidden.text) == _without_token(absent.text)
    assert not AccessEvent.objects.exists()  # a refusal reads nothing


@pytest.mark.rule("PG-3")
def test_reading_fieldwork_of_an_unannounced_inspection_is_logged(client, team) -> None:
    load_frameworks()
    form = write_evidence(team)
    client.force_login(team.inspector)
    client.get(_url("evidence-list", team.event.pk))
    edit = reverse("inspections:evidence-edit", kwargs={"event_pk": team.event.pk, "pk": form.pk})
    client.get(edit)
    logged = list(
        AccessEvent.objects.order_by("pk").values_list("record_type", "record_id", "path")
    )
    assert logged == [
        ("programme.event", str(team.event.pk), _url("evidence-list", team.event.pk)),
        ("inspections.evidenceform", str(form.pk), edit),
    ]


@pytest.mark.rule("PG-3")
def test_reading_fieldwork_of_an_announced_event_is_not_logged(client) -> None:
    announced = make_team_event(announced_on=date(2027, 5, 1))
    assert announced.event.is_announced
    client.force_login(announced.inspector)
    assert client.get(_url("meeting-list", announced.event.pk)).status_code == 200
    assert not AccessEvent.objects.exists()
