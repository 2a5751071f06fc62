"""An IRP's follow-up: choosing recommendations (IN-6) and Ofsted themes, narratives, and
the paragraph numbering the report will use."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspectorate.inspections.common import inspection_for
from inspectorate.inspections.constants import FollowUpKind, Stage
from inspectorate.inspections.findings import selectors, services
from inspectorate.inspections.models import FollowUp, Inspection
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def full():
    return h.full_inspection()


@pytest.fixture
def review(full):
    return h.irp(full)


@pytest.fixture
def lead(review):
    return h.team_leader(review)


def _version(event) -> int:
    return inspection_for(event).version


def _select(lead, review, chosen, **values):
    values.setdefault("version", _version(review))
    return services.follow_up_select(actor=lead, event=review, recommendations=chosen, **values)


def _chosen(review) -> list[str]:
    return list(
        FollowUp.objects.filter(event=review, kind=FollowUpKind.RECOMMENDATION)
        .order_by("position")
        .values_list("recommendation__paragraph_reference", flat=True)
    )


# IN-6: how many -------------------------------------------------------------------------


@pytest.mark.rule("IN-6")
def test_an_irp_follows_up_up_to_15_recommendations_without_a_reason(full, review, lead) -> None:
    made = h.recommendations(full, 20)
    items = _select(lead, review, made[:15])
    assert len(items) == 15
    assert _chosen(review)[:2] == ["1.12", "1.13"]
    assert Inspection.objects.get(event=review).follow_up_reason == ""


@pytest.mark.rule("IN-6")
def test_more_than_15_recommendations_needs_a_recorded_reason(full, review, lead) -> None:
    made = h.recommendations(full, 20)
    with pytest.raises(OverrideNeeded) as refusal:
        _select(lead, review, made[:16])
    warning = refusal.value.warnings["reason"]
    assert "IN-6" in warning
    assert "you have chosen 16" in warning
    assert not FollowUp.objects.exists()

    _select(lead, review, made[:16], reason="Safety concerns span sixteen recommendations.")
    assert len(_chosen(review)) == 16
    reason = Inspection.objects.get(event=review).follow_up_reason
    assert "Safety concerns span sixteen recommendations." in reason
    assert "23 November 2026" in reason


@pytest.mark.rule("IN-6")
def test_the_selection_is_free_to_change_until_the_irp_is_announced(full, review, lead) -> None:
    made = h.recommendations(full, 5)
    _select(lead, review, made[:3])
    _select(lead, review, made[1:5])
    assert _chosen(review) == ["1.13", "1.14", "1.15", "1.16"]
    assert Inspection.objects.get(event=review).follow_up_reason == ""


@pytest.mark.rule("IN-6")
def test_once_announced_the_selection_changes_only_with_a_reason(full, lead, review) -> None:
    made = h.recommendations(full, 5)
    _select(lead, review, made[:3])
    review.announced_on = date(2026, 11, 20)
    review.save()

    with pytest.raises(OverrideNeeded) as refusal:
        _select(lead, review, [made[0], made[1], made[3]])
    warning = refusal.value.warnings["reason"]
    assert "announced on 20 November 2026" in warning
    assert "adding 1.15 and removing 1.14" in warning
    assert _chosen(review) == ["1.12", "1.13", "1.14"]

    _select(lead, review, [made[0], made[1], made[3]], reason="1.14 was met before the review.")
    assert _chosen(review) == ["1.12", "1.13", "1.15"]
    reason = Inspection.objects.get(event=review).follow_up_reason
    assert "adding 1.15 and removing 1.14" in reason
    assert "1.14 was met before the review." in reason


@pytest.mark.rule("IN-6")
def test_saving_an_unchanged_selection_after_announcement_needs_no_reason(
    full, lead, review
) -> None:
    made = h.recommendations(full, 3)
    _select(lead, review, made)
    review.announced_on = date(2026, 11, 20)
    review.save()
    assert len(_select(lead, review, made)) == 3


def test_only_recommendations_of_the_followed_up_inspection_are_chosen(full, review, lead) -> None:
    (other,) = h.recommendations(h.full_inspection(starts_on=date(2021, 6, 7)), 1)
    with pytest.raises(ValidationError) as refusal:
        _select(lead, review, [other])
    assert "recommendations" in refusal.value.message_dict
    assert not FollowUp.objects.exists()


def test_an_irp_that_names_no_full_inspection_has_nothing_to_choose() -> None:
    review = h.irp(None)
    lead = h.team_leader(review)
    with pytest.raises(ValidationError) as refusal:
        _select(lead, review, [])
    assert "does not name the full inspection" in refusal.value.message_dict["recommendations"][0]


def test_only_an_irp_has_a_follow_up(full) -> None:
    lead = h.team_leader(full)
    with pytest.raises(ValidationError):
        services.follow_up_theme_add(actor=lead, event=full, theme="Attendance")


def test_the_selection_is_written_by_the_irps_leads_only(full, review) -> None:
    made = h.recommendations(full, 2)
    member = h.team_inspector(review)
    full_lead = h.team_leader(full)
    for actor in (member, full_lead):
        with pytest.raises(PermissionDenied):
            _select(actor, review, made)
    ofsted = h.ofsted_lead(review)
    assert len(_select(ofsted, review, made)) == 2


def test_a_stale_selection_is_refused_and_the_first_kept(full, review, lead) -> None:
    made = h.recommendations(full, 4)
    opened = _version(review)
    _select(lead, review, made[:2], version=opened)
    with pytest.raises(StaleVersion):
        _select(lead, review, made[2:], version=opened)
    assert _chosen(review) == ["1.12", "1.13"]


def test_the_selection_is_fixed_once_the_report_goes_for_checking(full, review, lead) -> None:
    made = h.recommendations(full, 2)
    h.set_stage(review, Stage.FACTUAL_ACCURACY)
    with pytest.raises(PermissionDenied):
        _select(lead, review, made)


# Themes -----------------------------------------------------------------------------------


def test_ofsted_themes_are_added_when_an_education_inspectorate_takes_part(review, lead) -> None:
    first = services.follow_up_theme_add(actor=lead, event=review, theme=" Attendance ")
    second = services.follow_up_theme_add(actor=lead, event=review, theme="Reading")
    assert [(first.theme, first.position), (second.theme, second.position)] == [
        ("Attendance", 0),
        ("Reading", 1),
    ]
    with pytest.raises(ValidationError) as refusal:
        services.follow_up_theme_add(actor=lead, event=review, theme="attendance")
    assert "already follows up that theme" in refusal.value.message_dict["theme"][0]


def test_no_themes_without_an_education_inspectorate(full) -> None:
    review = h.irp(full, education="")
    lead = h.team_leader(review)
    with pytest.raises(ValidationError) as refusal:
        services.follow_up_theme_add(actor=lead, event=review, theme="Attendance")
    assert "No education inspectorate" in refusal.value.message_dict["theme"][0]


@pytest.mark.rule("IN-6")
def test_a_theme_added_after_the_announcement_needs_a_reason(full) -> None:
    review = h.irp(full, announced_on=date(2026, 11, 2))
    lead = h.team_leader(review)
    with pytest.raises(OverrideNeeded):
        services.follow_up_theme_add(actor=lead, event=review, theme="Attendance")
    assert not FollowUp.objects.exists()
    services.follow_up_theme_add(
        actor=lead, event=review, theme="Attendance", reason="Agreed with the establishment."
    )
    assert "Agreed with the establishment." in Inspection.objects.get(event=review).follow_up_reason


@pytest.mark.rule("IN-6")
def test_removing_an_item_after_the_announcement_needs_a_reason(full) -> None:
    (recommendation,) = h.recommendations(full, 1)
    review = h.irp(full, announced_on=date(2026, 11, 2))
    lead = h.team_leader(review)
    item = h.follow_up(review, recommendation)
    with pytest.raises(OverrideNeeded):
        services.follow_up_remove(actor=lead, follow_up=item, version=1)
    services.follow_up_remove(actor=lead, follow_up=item, version=1, reason="Duplicate.")
    assert not FollowUp.objects.exists()
    assert "removing recommendation 1.12: Duplicate." in (
        Inspection.objects.get(event=review).follow_up_reason
    )


# Narratives -------------------------------------------------------------------------------


def test_the_narrative_is_saved_as_paragraphs(full, review, lead) -> None:
    (recommendation,) = h.recommendations(full, 1)
    item = h.follow_up(review, recommendation)
    saved = services.follow_up_edit(
        actor=lead,
        follow_up=item,
        narrative="First paragraph.\r\n\r\nSecond paragraph,\r\nstill second.\r\n\r\n\r\nThird.",
        version=1,
    )
    assert saved.version == 2
    assert saved.paragraphs == ["First paragraph.", "Second paragraph,\nstill second.", "Third."]


def test_a_stale_narrative_save_is_refused_and_the_first_kept(full, review, lead) -> None:
    (recommendation,) = h.recommendations(full, 1)
    item = h.follow_up(review, recommendation)
    services.follow_up_edit(actor=lead, follow_up=item, narrative="Mine.", version=1)
    with pytest.raises(StaleVersion):
        services.follow_up_edit(actor=lead, follow_up=item, narrative="Theirs.", version=1)
    item.refresh_from_db()
    assert item.narrative == "Mine."


def test_a_themes_wording_is_corrected_with_its_narrative(review, lead) -> None:
    item = h.theme(review, "Attendence")
    saved = services.follow_up_edit(
        actor=lead, follow_up=item, narrative="Better.", theme="Attendance", version=1
    )
    assert (saved.theme, saved.narrative) == ("Attendance", "Better.")


def test_narrative_paragraphs_are_numbered_on_across_the_items(full, review, lead) -> None:
    first, second, third = h.recommendations(full, 3)
    h.follow_up(review, first, narrative="One.\n\nTwo.", position=0)
    h.follow_up(review, second, narrative="", position=1)
    h.follow_up(review, third, narrative="Three.\n\nFour.\n\nFive.", position=2)
    h.theme(review, narrative="Theme one.")
    page = selectors.follow_up_page(lead, review)
    assert [(row.number, row.first_paragraph, row.paragraphs) for row in page.recommendations] == [
        (1, 1, ["One.", "Two."]),
        (2, 3, []),
        (3, 3, ["Three.", "Four.", "Five."]),
    ]
    assert [(row.number, row.first_paragraph) for row in page.themes] == [(1, 1)]


def test_moving_an_item_reorders_the_follow_up(full, review, lead) -> None:
    first, second = h.recommendations(full, 2)
    _select(lead, review, [first, second])
    item = FollowUp.objects.get(recommendation=second)
    services.finding_move(actor=lead, record=item, direction="up")
    assert _chosen(review) == ["1.13", "1.12"]


def test_the_follow_up_page_reads_in_a_fixed_number_of_queries(
    full, review, lead, django_assert_num_queries
) -> None:
    made = h.recommendations(full, 12)
    for recommendation in made[:3]:
        h.follow_up(review, recommendation, narrative="One.\n\nTwo.")
    review = type(review).objects.select_related("follows_up").get(pk=review.pk)
    # The inspection record, the items, their judgements, may_see_findings, is_lead.
    with django_assert_num_queries(5):
        short = selectors.follow_up_page(lead, review)
    for recommendation in made[3:]:
        h.follow_up(review, recommendation, narrative="Three.")
    with django_assert_num_queries(5):
        longer = selectors.follow_up_page(lead, review)
    assert (len(short.recommendations), len(longer.recommendations)) == (3, 12)
    assert longer.recommendations[-1].first_paragraph == 3 * 2 + 9
