"""Concerns, recommendations and notable positive practice: who writes them, IN-5, paragraph
references, the stages that allow deleting, and refused stale saves."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspectorate.inspections.constants import ConcernKind, Stage
from inspectorate.inspections.findings import services
from inspectorate.inspections.models import Concern, Inspection, PositivePractice, Recommendation
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def event():
    return h.full_inspection(stage=Stage.FIELDWORK)


@pytest.fixture
def lead(event):
    return h.team_leader(event)


def _ofsted_key(lead, event, number: int, **values):
    return services.concern_add(
        actor=lead,
        event=event,
        kind=ConcernKind.OFSTED_KEY,
        text=f"Ofsted key concern {number}",
        **values,
    )


# Who writes -------------------------------------------------------------------------------


def test_the_leads_add_concerns_in_order_within_their_kind(event, lead) -> None:
    ofsted = h.ofsted_lead(event)
    first = services.concern_add(
        actor=lead,
        event=event,
        kind=ConcernKind.PRIORITY,
        text="  Drugs.  ",
        paragraph_reference="1.3",
    )
    second = services.concern_add(
        actor=ofsted, event=event, kind=ConcernKind.PRIORITY, text="Regime."
    )
    key = services.concern_add(actor=lead, event=event, kind=ConcernKind.KEY, text="Reading.")
    assert [(c.text, c.position) for c in (first, second, key)] == [
        ("Drugs.", 0),
        ("Regime.", 1),
        ("Reading.", 0),
    ]
    assert first.paragraph_reference == "1.3"


def test_a_team_member_who_is_not_a_lead_cannot_write_findings(event) -> None:
    member = h.team_inspector(event)
    with pytest.raises(PermissionDenied):
        services.concern_add(actor=member, event=event, kind=ConcernKind.KEY, text="Reading.")
    with pytest.raises(PermissionDenied):
        services.recommendation_add(
            actor=member, event=event, text="Do better.", paragraph_reference="1.12"
        )
    with pytest.raises(PermissionDenied):
        services.positive_practice_add(actor=member, event=event, text="Barbering.")
    assert not Concern.objects.exists()
    assert not Recommendation.objects.exists()
    assert not PositivePractice.objects.exists()


def test_a_programme_team_leader_not_on_this_team_cannot_write_its_findings(event) -> None:
    other = h.team_leader(h.full_inspection(starts_on=h.IRP_STARTS_ON))
    with pytest.raises(PermissionDenied):
        services.concern_add(actor=other, event=event, kind=ConcernKind.KEY, text="Reading.")


# IN-5 ---------------------------------------------------------------------------------------


@pytest.mark.rule("IN-5")
def test_a_fifth_ofsted_key_concern_needs_a_recorded_reason(event, lead) -> None:
    for number in range(1, 5):
        _ofsted_key(lead, event, number)
    with pytest.raises(OverrideNeeded) as refusal:
        _ofsted_key(lead, event, 5)
    assert "IN-5" in refusal.value.warnings["override_reason"]
    assert "this makes 5" in refusal.value.warnings["override_reason"]
    assert Concern.objects.filter(kind=ConcernKind.OFSTED_KEY).count() == 4

    fifth = _ofsted_key(lead, event, 5, override_reason="Five distinct weaknesses in provision.")
    assert fifth.position == 4
    inspection = Inspection.objects.get(event=event)
    assert inspection.ofsted_key_concerns_reason == "Five distinct weaknesses in provision."


@pytest.mark.rule("IN-5")
def test_four_ofsted_key_concerns_and_any_number_of_hmip_ones_need_no_reason(event, lead) -> None:
    for number in range(1, 5):
        _ofsted_key(lead, event, number)
    for number in range(6):
        services.concern_add(actor=lead, event=event, kind=ConcernKind.KEY, text=f"Key {number}")
    assert Concern.objects.count() == 10
    assert Inspection.objects.get(event=event).ofsted_key_concerns_reason == ""


@pytest.mark.rule("IN-5")
def test_turning_a_concern_into_the_fifth_ofsted_key_concern_needs_a_reason(event, lead) -> None:
    for number in range(1, 5):
        _ofsted_key(lead, event, number)
    key = services.concern_add(actor=lead, event=event, kind=ConcernKind.KEY, text="Reading.")
    with pytest.raises(OverrideNeeded):
        services.concern_edit(
            actor=lead,
            concern=key,
            kind=ConcernKind.OFSTED_KEY,
            text="Reading.",
            paragraph_reference="",
            version=key.version,
        )
    key.refresh_from_db()
    assert key.kind == ConcernKind.KEY
    changed = services.concern_edit(
        actor=lead,
        concern=key,
        kind=ConcernKind.OFSTED_KEY,
        text="Reading.",
        paragraph_reference="",
        version=key.version,
        override_reason="Reading is a distinct weakness.",
    )
    assert (changed.kind, changed.position, changed.version) == (ConcernKind.OFSTED_KEY, 4, 2)


def test_an_ofsted_key_concern_needs_an_education_inspectorate() -> None:
    event = h.full_inspection(stage=Stage.FIELDWORK, education="")
    lead = h.team_leader(event)
    with pytest.raises(ValidationError) as refusal:
        _ofsted_key(lead, event, 1)
    assert "kind" in refusal.value.message_dict


# Recommendations ------------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["12", "1.", ".12", "1.12.3", "one.two", "1,12"])
def test_a_paragraph_reference_is_section_dot_paragraph(event, lead, reference) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.recommendation_add(
            actor=lead, event=event, text="Do better.", paragraph_reference=reference
        )
    assert "for example 1.12" in refusal.value.message_dict["paragraph_reference"][0]
    assert not Recommendation.objects.exists()


def test_a_recommendation_needs_a_paragraph_reference(event, lead) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.recommendation_add(
            actor=lead, event=event, text="Do better.", paragraph_reference=" "
        )
    assert "paragraph_reference" in refusal.value.message_dict


def test_a_paragraph_reference_is_unique_within_the_inspection(event, lead) -> None:
    services.recommendation_add(actor=lead, event=event, text="First.", paragraph_reference="1.12")
    with pytest.raises(ValidationError) as refusal:
        services.recommendation_add(
            actor=lead, event=event, text="Second.", paragraph_reference=" 1.12 "
        )
    assert (
        "already has paragraph reference 1.12"
        in refusal.value.message_dict["paragraph_reference"][0]
    )
    later = h.full_inspection(starts_on=h.IRP_STARTS_ON, stage=Stage.FIELDWORK)
    elsewhere = services.recommendation_add(
        actor=h.team_leader(later), event=later, text="Again.", paragraph_reference="1.12"
    )
    assert elsewhere.paragraph_reference == "1.12"
    assert Recommendation.objects.filter(event=event).count() == 1


def test_editing_a_recommendation_keeps_its_own_reference_free(event, lead) -> None:
    first = services.recommendation_add(
        actor=lead, event=event, text="First.", paragraph_reference="1.12"
    )
    services.recommendation_add(actor=lead, event=event, text="Second.", paragraph_reference="1.13")
    edited = services.recommendation_edit(
        actor=lead,
        recommendation=first,
        text="First, reworded.",
        paragraph_reference="1.12",
        concern=None,
        previous=None,
        version=1,
    )
    assert (edited.text, edited.version) == ("First, reworded.", 2)
    with pytest.raises(ValidationError):
        services.recommendation_edit(
            actor=lead,
            recommendation=first,
            text="First.",
            paragraph_reference="1.13",
            concern=None,
            previous=None,
            version=2,
        )


def test_a_recommendation_answers_a_concern_of_its_own_inspection(event, lead) -> None:
    own = h.concern(event)
    other = h.concern(h.full_inspection(starts_on=h.IRP_STARTS_ON))
    linked = services.recommendation_add(
        actor=lead, event=event, text="Unlock.", paragraph_reference="1.12", concern=own
    )
    assert linked.concern == own
    with pytest.raises(ValidationError) as refusal:
        services.recommendation_add(
            actor=lead, event=event, text="Unlock.", paragraph_reference="1.13", concern=other
        )
    assert "concern" in refusal.value.message_dict


def test_a_repeated_recommendation_links_one_of_an_earlier_inspection_there(event, lead) -> None:
    earlier = h.full_inspection(starts_on=event.starts_on.replace(year=2021))
    (old,) = h.recommendations(earlier, 1)
    repeated = services.recommendation_add(
        actor=lead, event=event, text="Again.", paragraph_reference="1.12", previous=old
    )
    assert repeated.previous == old
    assert list(old.repeated_by.all()) == [repeated]

    elsewhere = h.full_inspection(
        h.make_establishment("WD", "HMP Wakefield"), starts_on=event.starts_on.replace(year=2021)
    )
    (foreign,) = h.recommendations(elsewhere, 1)
    (later,) = h.recommendations(h.full_inspection(starts_on=h.IRP_STARTS_ON), 1)
    for wrong in (foreign, later):
        with pytest.raises(ValidationError) as refusal:
            services.recommendation_add(
                actor=lead, event=event, text="Again.", paragraph_reference="1.13", previous=wrong
            )
        assert "earlier inspection of HMP Leeds" in refusal.value.message_dict["previous"][0]


# Concurrency ------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_the_first_save_kept(event, lead) -> None:
    recommendation = services.recommendation_add(
        actor=lead, event=event, text="Original.", paragraph_reference="1.12"
    )
    services.recommendation_edit(
        actor=lead,
        recommendation=recommendation,
        text="First editor's words.",
        paragraph_reference="1.12",
        concern=None,
        previous=None,
        version=1,
    )
    with pytest.raises(StaleVersion) as refusal:
        services.recommendation_edit(
            actor=lead,
            recommendation=recommendation,
            text="Second editor's words.",
            paragraph_reference="1.12",
            concern=None,
            previous=None,
            version=1,
        )
    assert "changed by someone else" in str(refusal.value)
    recommendation.refresh_from_db()
    assert (recommendation.text, recommendation.version) == ("First editor's words.", 2)


def test_a_stale_concern_or_practice_edit_is_refused(event, lead) -> None:
    item = services.concern_add(actor=lead, event=event, kind=ConcernKind.KEY, text="Old.")
    practice = services.positive_practice_add(actor=lead, event=event, text="Old.")
    with pytest.raises(StaleVersion):
        services.concern_edit(
            actor=lead,
            concern=item,
            kind=ConcernKind.KEY,
            text="New.",
            paragraph_reference="",
            version=7,
        )
    with pytest.raises(StaleVersion):
        services.positive_practice_edit(
            actor=lead, practice=practice, text="New.", paragraph_reference="", version=7
        )
    with pytest.raises(StaleVersion):
        services.concern_delete(actor=lead, concern=item, version=7)
    assert Concern.objects.get().text == "Old."
    assert PositivePractice.objects.get().text == "Old."


# Stages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", [Stage.FIELDWORK, Stage.MODERATED])
def test_findings_are_deleted_during_fieldwork_and_moderation(event, lead, stage) -> None:
    item = h.concern(event)
    (recommendation,) = h.recommendations(event, 1)
    practice = PositivePractice.objects.create(event=event, text="Barbering.")
    h.set_stage(event, stage)
    services.concern_delete(actor=lead, concern=item, version=1)
    services.recommendation_delete(actor=lead, recommendation=recommendation, version=1)
    services.positive_practice_delete(actor=lead, practice=practice, version=1)
    assert not Concern.objects.exists()
    assert not Recommendation.objects.exists()
    assert not PositivePractice.objects.exists()


@pytest.mark.parametrize("stage", [Stage.FACTUAL_ACCURACY, Stage.PUBLISHED])
def test_findings_are_not_deleted_once_the_report_goes_for_checking(event, lead, stage) -> None:
    item = h.concern(event)
    (recommendation,) = h.recommendations(event, 1)
    h.set_stage(event, stage)
    with pytest.raises(PermissionDenied):
        services.concern_delete(actor=lead, concern=item, version=1)
    with pytest.raises(PermissionDenied):
        services.recommendation_delete(actor=lead, recommendation=recommendation, version=1)
    assert Concern.objects.exists()
    assert Recommendation.objects.exists()


def test_a_factual_accuracy_correction_is_allowed_but_nothing_changes_once_published(
    event, lead
) -> None:
    item = h.concern(event, kind=ConcernKind.KEY)
    h.set_stage(event, Stage.FACTUAL_ACCURACY)
    corrected = services.concern_edit(
        actor=lead,
        concern=item,
        kind=ConcernKind.KEY,
        text="Corrected.",
        paragraph_reference="",
        version=1,
    )
    assert corrected.text == "Corrected."
    h.set_stage(event, Stage.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.concern_edit(
            actor=lead,
            concern=item,
            kind=ConcernKind.KEY,
            text="Again.",
            paragraph_reference="",
            version=2,
        )
    with pytest.raises(PermissionDenied):
        services.positive_practice_add(actor=lead, event=event, text="Late.")


def test_a_followed_up_recommendation_cannot_be_deleted(event, lead) -> None:
    (recommendation,) = h.recommendations(event, 1)
    h.follow_up(h.irp(event), recommendation)
    with pytest.raises(ValidationError) as refusal:
        services.recommendation_delete(actor=lead, recommendation=recommendation, version=1)
    assert "follows up this recommendation" in refusal.value.messages[0]
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


# Order ------------------------------------------------------------------------------------


def test_moving_a_recommendation_reorders_without_touching_versions(event, lead) -> None:
    first, second, third = h.recommendations(event, 3)
    services.finding_move(actor=lead, record=third, direction="up")
    services.finding_move(actor=lead, record=first, direction="up")  # already first: no change
    order = list(Recommendation.objects.order_by("position").values_list("pk", "version"))
    assert order == [(first.pk, 1), (third.pk, 1), (second.pk, 1)]
