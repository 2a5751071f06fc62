"""The chain of recommendations across an establishment's inspections: inspection → concern →
recommendation → IRP judgement → next inspection; who sees which links; query count."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import ConcernKind, Stage
from inspectorate.inspections.findings.selectors import (
    recommendation_chain,
    recommendation_chain_context,
)
from inspectorate.inspections.models import Recommendation
from inspectorate.inspections.tests import findings_helpers as h

pytestmark = pytest.mark.django_db

FIRST = date(2023, 5, 8)
IRP_ON = date(2024, 2, 5)
SECOND = date(2025, 11, 3)


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def frameworks(db):
    frameworks_load(actor=None)


@pytest.fixture
def chain(frameworks):
    """Full inspection (2023) → its IRP (2024) judging 1.12 and 1.13 → full inspection (2025)
    repeating 1.12 as 1.5; everything published."""
    first = h.full_inspection(starts_on=FIRST)
    leader = h.team_leader(first)
    regime = h.concern(first, "The regime was unpredictable.", paragraph_reference="1.2")
    unlock, drugs = h.recommendations(first, 2)
    unlock.concern = regime
    unlock.save()
    review = h.irp(first, starts_on=IRP_ON, announced_on=date(2023, 11, 6), stage=Stage.PUBLISHED)
    h.progress_judgement(h.follow_up(review, unlock, position=0), "insufficient_progress", leader)
    h.progress_judgement(h.follow_up(review, drugs, position=1), "good_progress", leader)
    second = h.full_inspection(starts_on=SECOND)
    again = Recommendation.objects.create(
        event=second, text="Unlock prisoners.", paragraph_reference="1.5", previous=unlock
    )
    return {
        "first": first,
        "review": review,
        "second": second,
        "unlock": unlock,
        "drugs": drugs,
        "again": again,
        "regime": regime,
    }


def test_the_chain_links_each_recommendation_from_concern_to_its_repeat(chain) -> None:
    coordinator = h.user(Role.HMIP_COORDINATOR)
    links = recommendation_chain(coordinator, h.leeds())
    assert [link.recommendation for link in links] == [
        chain["unlock"],
        chain["drugs"],
        chain["again"],
    ]
    unlock = links[0]
    assert unlock.event == chain["first"]
    assert unlock.concern == chain["regime"]
    assert [(j.event, j.judgement and j.judgement.level.slug) for j in unlock.follow_ups] == [
        (chain["review"], "insufficient_progress")
    ]
    assert unlock.follow_ups[0].tag_class == "govuk-tag govuk-tag--orange"
    assert unlock.repeated_by == [chain["again"]]
    assert links[1].repeated_by == []
    assert links[2].previous == chain["unlock"]


def test_the_chain_takes_three_queries_however_long(chain, django_assert_num_queries) -> None:
    coordinator = h.user(Role.HMIP_COORDINATOR)
    leeds = h.leeds()
    with django_assert_num_queries(3):
        short = recommendation_chain(coordinator, leeds)
    more = h.recommendations(chain["second"], 6, first=20)
    for recommendation in more:
        h.follow_up(
            h.irp(chain["second"], starts_on=date(2026, 6, 1 + recommendation.position)),
            recommendation,
        )
    with django_assert_num_queries(3):
        longer = recommendation_chain(coordinator, leeds)
    assert len(longer) == len(short) + 6
    assert all(len(link.follow_ups) == 1 for link in longer[-6:])


def test_the_chain_is_one_establishments(chain) -> None:
    elsewhere = h.full_inspection(h.make_establishment("WD", "HMP Wakefield"), starts_on=FIRST)
    h.recommendations(elsewhere, 3)
    coordinator = h.user(Role.HMIP_COORDINATOR)
    assert len(recommendation_chain(coordinator, h.leeds())) == 3


def test_the_establishment_sees_published_recommendations_and_published_judgements(
    chain,
) -> None:
    h.set_stage(chain["review"], Stage.FACTUAL_ACCURACY)
    h.set_stage(chain["second"], Stage.MODERATED)
    local = h.establishment_user(chain["first"])
    links = recommendation_chain(local, h.leeds())
    assert [link.recommendation for link in links] == [chain["unlock"], chain["drugs"]]
    # The IRP was announced, so the establishment knows it follows 1.12 up: but the
    # judgement is not published yet.
    assert [(j.event, j.judgement) for j in links[0].follow_ups] == [(chain["review"], None)]
    assert links[0].repeated_by == []

    other = h.user(
        Role.ESTABLISHMENT_USER, establishment=h.make_establishment("WD", "HMP Wakefield")
    )
    assert recommendation_chain(other, h.leeds()) == []


def test_an_inspector_sees_only_the_inspections_they_were_on(chain) -> None:
    inspector = h.team_inspector(chain["second"])
    h.set_stage(chain["second"], Stage.MODERATED)
    links = recommendation_chain(inspector, h.leeds())
    assert [link.recommendation for link in links] == [chain["again"]]
    assert links[0].previous is None  # the 2023 inspection is not theirs to see


def test_the_chain_template_shows_each_link(chain) -> None:
    coordinator = h.user(Role.HMIP_COORDINATOR)
    context = recommendation_chain_context(h.leeds(), coordinator)
    assert [group.event for group in context["recommendation_chain_inspections"]] == [
        chain["first"],
        chain["second"],
    ]
    html = render_to_string("inspections/includes/recommendation_chain.html", context)
    assert "Full inspection from 8 May 2023" in html
    assert "The regime was unpredictable." in html
    assert '<strong class="govuk-tag govuk-tag--orange">Insufficient progress</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--green">Good progress</strong>' in html
    assert "1.5 of full inspection from 3 November 2025" in html
    assert "Repeats 1.12 of 8 May 2023" in html
    assert html.count('<tr class="govuk-table__row" id="chain-recommendation-') == 3


def test_the_chain_template_says_when_there_is_nothing(frameworks) -> None:
    html = render_to_string(
        "inspections/includes/recommendation_chain.html",
        recommendation_chain_context(h.leeds(), h.user(Role.HMIP_COORDINATOR)),
    )
    assert "No recommendations to show." in html


def test_a_key_concern_kind_is_named_in_the_chain(chain) -> None:
    chain["regime"].kind = ConcernKind.KEY
    chain["regime"].save()
    html = render_to_string(
        "inspections/includes/recommendation_chain.html",
        recommendation_chain_context(h.leeds(), h.user(Role.HMIP_COORDINATOR)),
    )
    assert "Key concern (1.2): The regime was unpredictable." in html


def test_the_chain_takes_three_queries_for_the_establishment_too(
    chain, django_assert_num_queries
) -> None:
    local = h.establishment_user(chain["first"])
    leeds = h.leeds()
    with django_assert_num_queries(3):
        links = recommendation_chain(local, leeds)
    assert len(links) == 3
