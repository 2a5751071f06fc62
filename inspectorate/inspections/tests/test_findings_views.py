"""The "Concerns and recommendations" and "Follow-up" pages: who may open them (404 for an
event one may not see, 403 for findings one may not see or change), the IN-5 and IN-6
warnings, and a refused stale save that keeps the user's text."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.inspections.constants import ConcernKind, Stage
from inspectorate.inspections.models import Concern, FollowUp, Inspection, Recommendation
from inspectorate.inspections.tests import findings_helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


def _findings(event) -> str:
    return reverse("inspections:findings", kwargs={"event_pk": event.pk})


def _add(event, kind: str) -> str:
    return reverse("inspections:finding-add", kwargs={"event_pk": event.pk, "kind": kind})


def _edit(event, kind: str, pk: int) -> str:
    return reverse(
        "inspections:finding-edit", kwargs={"event_pk": event.pk, "kind": kind, "pk": pk}
    )


def _follow_ups(event) -> str:
    return reverse("inspections:follow-ups", kwargs={"event_pk": event.pk})


def _select(event) -> str:
    return reverse("inspections:follow-up-select", kwargs={"event_pk": event.pk})


# Concerns and recommendations ----------------------------------------------------------


def test_the_lead_sees_the_findings_with_their_actions(client) -> None:
    event = h.full_inspection(stage=Stage.FIELDWORK)
    lead = h.team_leader(event)
    h.concern(event, "Prisoners were locked up too long.", paragraph_reference="1.2")
    (recommendation,) = h.recommendations(event, 1)
    client.force_login(lead)
    response = client.get(_findings(event))
    assert response.status_code == 200
    page = response.text
    assert '<h1 class="govuk-heading-l">Concerns and recommendations</h1>' in page
    assert "Prisoners were locked up too long." in page
    assert "Recommendation 0: leaders should act." in page
    assert _edit(event, "recommendations", recommendation.pk) in page
    assert _add(event, "concerns") in page
    assert "Ofsted key concerns" in page


def test_a_team_member_reads_but_cannot_change_the_findings(client) -> None:
    event = h.full_inspection(stage=Stage.FIELDWORK)
    member = h.team_inspector(event)
    h.recommendations(event, 1)
    client.force_login(member)
    response = client.get(_findings(event))
    assert response.status_code == 200
    assert "Recommendation 0: leaders should act." in response.text
    assert _add(event, "concerns") not in response.text
    refused = client.post(_add(event, "concerns"), {"kind": "key", "text": "Sneaky."})
    assert refused.status_code == 403
    assert not Concern.objects.exists()


def test_an_inspector_not_on_the_team_gets_404_before_announcement_and_403_after(client) -> None:
    event = h.full_inspection(starts_on=date(2027, 6, 7), stage=Stage.FIELDWORK)
    outsider = h.user(Role.OFSTED_INSPECTOR)
    client.force_login(outsider)
    assert client.get(_findings(event)).status_code == 404
    assert client.get(_add(event, "concerns")).status_code == 404
    event.announced_on = date(2026, 11, 2)
    event.save()
    assert client.get(_findings(event)).status_code == 403
    assert client.get(_add(event, "concerns")).status_code == 403


def test_the_establishment_sees_the_findings_only_once_published(client) -> None:
    event = h.full_inspection(stage=Stage.FACTUAL_ACCURACY)
    h.recommendations(event, 1)
    client.force_login(h.establishment_user(event))
    assert client.get(_findings(event)).status_code == 403
    h.set_stage(event, Stage.PUBLISHED)
    response = client.get(_findings(event))
    assert response.status_code == 200
    assert "Recommendation 0: leaders should act." in response.text
    assert "Edit" not in response.text


@pytest.mark.rule("PG-3")
def test_opening_the_findings_of_an_unannounced_inspection_is_logged(client) -> None:
    event = h.full_inspection(starts_on=date(2027, 6, 7), stage=Stage.FIELDWORK)
    lead = h.team_leader(event)
    client.force_login(lead)
    client.get(_findings(event))
    assert AccessEvent.objects.filter(actor=lead, record_id=str(event.pk)).exists()


def test_adding_a_recommendation_with_a_bad_reference_keeps_the_text(client) -> None:
    event = h.full_inspection(stage=Stage.FIELDWORK)
    client.force_login(h.team_leader(event))
    response = client.post(
        _add(event, "recommendations"),
        {"paragraph_reference": "12", "text": "Leaders should unlock prisoners.", "concern": ""},
    )
    assert response.status_code == 400
    page = response.text
    assert "There is a problem" in page
    assert "for example 1.12" in page
    assert "Leaders should unlock prisoners.</textarea>" in page
    assert not Recommendation.objects.exists()

    created = client.post(
        _add(event, "recommendations"),
        {"paragraph_reference": "1.12", "text": "Leaders should unlock prisoners."},
    )
    assert created.status_code == 302
    assert created["Location"] == _findings(event) + "#recommendations"
    assert Recommendation.objects.get().paragraph_reference == "1.12"


def test_a_stale_edit_is_refused_with_the_users_text_kept(client) -> None:
    """Two people open the same recommendation; the first saves; the second's save is refused
    with their text still in the form, and the first's words stay saved."""
    event = h.full_inspection(stage=Stage.FIELDWORK)
    lead = h.team_leader(event)
    (recommendation,) = h.recommendations(event, 1)
    client.force_login(lead)
    url = _edit(event, "recommendations", recommendation.pk)
    opened = client.get(url)
    assert 'name="version" value="1"' in opened.text
    first = client.post(
        url, {"paragraph_reference": "1.12", "text": "The first editor's words.", "version": "1"}
    )
    assert first.status_code == 302
    second = client.post(
        url, {"paragraph_reference": "1.12", "text": "The second editor's words.", "version": "1"}
    )
    assert second.status_code == 409
    page = second.text
    assert "There is a problem" in page
    assert "changed by someone else" in page
    assert "The second editor&#x27;s words.</textarea>" in page
    assert "The first editor&#x27;s words." in page  # what is saved now, to compare
    assert 'name="version" value="2"' in page
    recommendation.refresh_from_db()
    assert recommendation.text == "The first editor's words."


@pytest.mark.rule("IN-5")
def test_a_fifth_ofsted_key_concern_asks_for_a_reason_then_shows_a_warning(client) -> None:
    event = h.full_inspection(stage=Stage.FIELDWORK)
    for number in range(4):
        h.concern(event, f"Ofsted concern {number}", kind=ConcernKind.OFSTED_KEY, position=number)
    client.force_login(h.team_leader(event))
    data = {"kind": "ofsted_key", "text": "Careers advice was weak.", "paragraph_reference": ""}
    asked = client.post(_add(event, "concerns"), data)
    assert asked.status_code == 400
    assert "IN-5: Ofsted usually identifies no more than 4 key concerns" in asked.text
    assert "Why Ofsted names more than four key concerns" in asked.text
    assert "Careers advice was weak.</textarea>" in asked.text
    assert Concern.objects.count() == 4

    saved = client.post(
        _add(event, "concerns"), {**data, "override_reason": "Five separate weaknesses."}
    )
    assert saved.status_code == 302
    assert Inspection.objects.get(event=event).ofsted_key_concerns_reason == (
        "Five separate weaknesses."
    )
    page = client.get(_findings(event)).text
    assert 'id="ofsted-key-concerns-warning"' in page
    assert "this inspection has 5" in page
    assert "Reason recorded: Five separate weaknesses." in page


def test_deleting_is_offered_only_before_the_report_goes_for_checking(client) -> None:
    event = h.full_inspection(stage=Stage.MODERATED)
    item = h.concern(event)
    client.force_login(h.team_leader(event))
    delete = reverse(
        "inspections:finding-delete",
        kwargs={"event_pk": event.pk, "kind": "concerns", "pk": item.pk},
    )
    assert delete in client.get(_findings(event)).text
    h.set_stage(event, Stage.FACTUAL_ACCURACY)
    assert delete not in client.get(_findings(event)).text
    assert client.post(delete, {"version": "1"}).status_code == 403
    h.set_stage(event, Stage.MODERATED)
    assert client.post(delete, {"version": "1"}).status_code == 302
    assert not Concern.objects.exists()


def test_an_unknown_kind_of_finding_is_404(client) -> None:
    event = h.full_inspection(stage=Stage.FIELDWORK)
    client.force_login(h.team_leader(event))
    assert client.get(_add(event, "opinions")).status_code == 404


# The IRP's follow-up --------------------------------------------------------------------


@pytest.fixture
def irp_setup():
    full = h.full_inspection()
    made = h.recommendations(full, 3)
    review = h.irp(full)
    h.follow_up(review, made[0], narrative="The regime was still unpredictable.", position=0)
    h.follow_up(review, made[1], position=1)
    h.theme(review, "Attendance", narrative="Attendance had improved.")
    return full, review, made


def test_the_establishment_sees_the_follow_up_list_only_once_announced(client, irp_setup) -> None:
    _, review, _ = irp_setup
    client.force_login(h.establishment_user(review))
    assert client.get(_follow_ups(review)).status_code == 404
    review.announced_on = date(2026, 11, 20)
    review.save()
    response = client.get(_follow_ups(review))
    assert response.status_code == 200
    page = response.text
    assert "Recommendation 0: leaders should act." in page
    assert "Attendance" in page
    assert "The regime was still unpredictable." not in page
    assert "Attendance had improved." not in page
    assert "Narrative" not in page
    assert "published with the report" in page
    assert _select(review) not in page


def test_the_establishment_never_sees_judgements_before_publication(client, irp_setup) -> None:
    from inspectorate.frameworks.services import frameworks_load

    frameworks_load(actor=None)
    _, review, _ = irp_setup
    review.announced_on = date(2026, 11, 20)
    review.save()
    leader = h.team_leader(review)
    for item in FollowUp.objects.filter(event=review):
        h.progress_judgement(
            item,
            "reasonable_progress",
            leader,
        )
    client.force_login(h.establishment_user(review))
    for stage in (Stage.FIELDWORK, Stage.MODERATED, Stage.FACTUAL_ACCURACY):
        h.set_stage(review, stage)
        page = client.get(_follow_ups(review)).text
        assert "Reasonable progress" not in page
        assert "The regime was still unpredictable." not in page
    h.set_stage(review, Stage.PUBLISHED)
    page = client.get(_follow_ups(review)).text
    assert "Reasonable progress" in page
    assert "The regime was still unpredictable." in page


def test_another_establishment_and_staff_off_the_team_cannot_see_the_follow_up(
    client, irp_setup
) -> None:
    _, review, _ = irp_setup
    review.announced_on = date(2026, 11, 20)
    review.save()
    wakefield = h.make_establishment("WD", "HMP Wakefield")
    client.force_login(h.user(Role.ESTABLISHMENT_USER, establishment=wakefield))
    assert client.get(_follow_ups(review)).status_code == 404
    client.force_login(h.user(Role.OFSTED_INSPECTOR))
    assert client.get(_follow_ups(review)).status_code == 403


def test_the_lead_sees_numbered_narratives_and_the_selection_link(client, irp_setup) -> None:
    _, review, _ = irp_setup
    client.force_login(h.team_leader(review))
    response = client.get(_follow_ups(review))
    assert response.status_code == 200
    page = response.text
    assert '<ol class="govuk-list govuk-list--number" start="1">' in page
    assert "The regime was still unpredictable." in page
    assert _select(review) in page
    assert "Recommendations followed up (2)" in page
    assert "Ofsted themes (1)" in page


def test_a_full_inspection_has_no_follow_up_page(client) -> None:
    event = h.full_inspection()
    client.force_login(h.team_leader(event))
    assert client.get(_follow_ups(event)).status_code == 404


@pytest.mark.rule("IN-6")
def test_choosing_more_than_15_asks_for_a_reason_and_warns(client) -> None:
    full = h.full_inspection()
    made = h.recommendations(full, 17)
    review = h.irp(full)
    client.force_login(h.team_leader(review))
    form = client.get(_select(review))
    assert form.status_code == 200
    chosen = [str(r.pk) for r in made[:16]]
    asked = client.post(_select(review), {"recommendations": chosen})
    assert asked.status_code == 400
    assert "IN-6: an IRP usually follows up no more than 15 recommendations" in asked.text
    assert asked.text.count(" checked") == 16  # the choices are kept
    assert not FollowUp.objects.exists()

    saved = client.post(
        _select(review), {"recommendations": chosen, "reason": "Sixteen are linked to safety."}
    )
    assert saved.status_code == 302
    assert FollowUp.objects.filter(event=review).count() == 16
    page = client.get(_follow_ups(review)).text
    assert 'id="follow-up-limit-warning"' in page
    assert "Sixteen are linked to safety." in page


@pytest.mark.rule("IN-6")
def test_after_announcement_the_selection_page_warns_before_a_change(client) -> None:
    full = h.full_inspection()
    made = h.recommendations(full, 3)
    review = h.irp(full, announced_on=date(2026, 11, 20))
    h.follow_up(review, made[0])
    client.force_login(h.team_leader(review))
    form = client.get(_select(review)).text
    assert "announced on 20 November 2026" in form
    asked = client.post(_select(review), {"recommendations": [str(made[0].pk), str(made[1].pk)]})
    assert asked.status_code == 400
    assert "Enter why you are adding 1.13" in asked.text
    assert FollowUp.objects.count() == 1


def test_a_stale_narrative_keeps_the_users_text(client, irp_setup) -> None:
    _, review, _ = irp_setup
    item = FollowUp.objects.get(event=review, position=0, recommendation__isnull=False)
    client.force_login(h.team_leader(review))
    url = reverse("inspections:follow-up-narrative", kwargs={"event_pk": review.pk, "pk": item.pk})
    assert client.post(url, {"narrative": "First.", "version": "1"}).status_code == 302
    refused = client.post(url, {"narrative": "Second, longer text.", "version": "1"})
    assert refused.status_code == 409
    assert "Second, longer text.</textarea>" in refused.text
    assert "changed by someone else" in refused.text
    item.refresh_from_db()
    assert item.narrative == "First."


def test_a_theme_is_added_from_its_page(client, irp_setup) -> None:
    _, review, _ = irp_setup
    client.force_login(h.team_leader(review))
    url = reverse("inspections:follow-up-theme-add", kwargs={"event_pk": review.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"theme": "Reading"})
    assert response.status_code == 302
    assert FollowUp.objects.filter(event=review, theme="Reading").exists()
