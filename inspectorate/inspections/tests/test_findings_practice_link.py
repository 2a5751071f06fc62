"""Notable positive practice of a review links to the paragraph it is about (RP-7): the
service checks the link, the form offers every numbered paragraph of the review's follow-ups
and saves the link, and the report prints that paragraph's current number."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspectorate.inspections.constants import Stage
from inspectorate.inspections.findings import services
from inspectorate.inspections.models import PositivePractice
from inspectorate.inspections.tests import findings_helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def review():
    full = h.full_inspection()
    (first, second) = h.recommendations(full, 2)
    first.area = "Safety"
    first.save()
    event = h.irp(full, stage=Stage.FIELDWORK)
    one = h.follow_up(event, first, position=0, narrative="Its finding.\n\nAnother.")
    two = h.follow_up(event, second, position=1, narrative="A finding.")
    return event, h.team_leader(event), one, two


@pytest.mark.rule("RP-7")
def test_the_service_links_practice_to_a_paragraph_of_the_review(review) -> None:
    event, lead, one, two = review
    practice = services.positive_practice_add(
        actor=lead, event=event, text="Mentors.", follow_up=one, paragraph=3
    )
    assert (practice.follow_up, practice.paragraph) == (one, 3)  # 3: the closing judgement
    changed = services.positive_practice_edit(
        actor=lead,
        practice=practice,
        text="Mentors.",
        paragraph_reference="",
        version=1,
        follow_up=two,
        paragraph=1,
    )
    assert (changed.follow_up, changed.paragraph, changed.version) == (two, 1, 2)
    with pytest.raises(ValidationError) as error:
        services.positive_practice_add(
            actor=lead, event=event, text="Mentors.", follow_up=two, paragraph=3
        )
    assert error.value.message_dict == {
        "paragraph": ["Paragraph must be a number from 1 to 2, the item's paragraphs"]
    }
    with pytest.raises(ValidationError) as error:
        services.positive_practice_add(actor=lead, event=event, text="Mentors.", paragraph=1)
    assert "paragraph" in error.value.message_dict
    other = h.irp(h.full_inspection(), stage=Stage.FIELDWORK)
    with pytest.raises(ValidationError) as error:
        services.positive_practice_add(
            actor=h.team_leader(other), event=other, text="Mentors.", follow_up=one, paragraph=1
        )
    assert "follow_up" in error.value.message_dict
    assert PositivePractice.objects.count() == 1


@pytest.mark.rule("RP-7")
def test_the_form_offers_each_paragraph_and_saves_the_link(client, review) -> None:
    event, lead, one, _ = review
    client.force_login(lead)
    url = reverse(
        "inspections:finding-add", kwargs={"event_pk": event.pk, "kind": "positive-practice"}
    )
    page = client.get(url).text
    assert "The paragraph it refers to (optional)" in page
    assert f'value="{one.pk}-2"' in page
    assert "Recommendation 1 (Safety), paragraph 2: Another." in page
    assert "Recommendation 1 (Safety), paragraph 3: The closing judgement" in page
    assert "Recommendation 2, paragraph 1: A finding." in page
    response = client.post(
        url, {"text": "Peer mentors.", "paragraph_link": f"{one.pk}-2", "paragraph_reference": ""}
    )
    assert response.status_code == 302
    practice = PositivePractice.objects.get()
    assert (practice.follow_up, practice.paragraph) == (one, 2)
    edit = reverse(
        "inspections:finding-edit",
        kwargs={"event_pk": event.pk, "kind": "positive-practice", "pk": practice.pk},
    )
    assert f'value="{one.pk}-2" selected' in client.get(edit).text
    findings = client.get(reverse("inspections:findings", kwargs={"event_pk": event.pk})).text
    assert "Paragraph 2 of Recommendation: Recommendation 0: leaders should act." in findings


def test_a_full_inspection_has_no_paragraphs_to_link(client) -> None:
    event = h.full_inspection(stage=Stage.FIELDWORK)
    client.force_login(h.team_leader(event))
    url = reverse(
        "inspections:finding-add", kwargs={"event_pk": event.pk, "kind": "positive-practice"}
    )
    page = client.get(url).text
    assert "Paragraph reference (optional)" in page
    assert "The paragraph it refers to" not in page


@pytest.mark.rule("RP-7")
def test_the_api_links_practice_to_a_follow_up_of_the_same_review(review) -> None:
    from inspectorate.api.tests.helpers import client_for
    from inspectorate.api.tests.test_fieldwork_api import event_version, send

    event, lead, one, _ = review
    client = client_for(lead)
    body = {"event": event.pk, "text": "Mentors.", "follow_up": one.pk, "paragraph": 2}
    made = send(client, "post", "/api/v1/positive-practice/", body, event_version(event))
    assert made.status_code == 201, made.content
    assert (made.json()["follow_up"], made.json()["paragraph"]) == (one.pk, 2)
    stranger = h.follow_up(
        h.irp(h.full_inspection(), stage=Stage.FIELDWORK),
        h.recommendations(h.full_inspection(), 1)[0],
    )
    refused = send(
        client,
        "post",
        "/api/v1/positive-practice/",
        {**body, "follow_up": stranger.pk},
        event_version(event),
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "follow_up", "message": "Choose a follow-up of this review", "code": "invalid"}
    ]
