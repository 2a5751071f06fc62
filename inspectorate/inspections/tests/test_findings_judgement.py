"""Progress judgements of an IRP's follow-up items, written through judgement_record: a
recommendation on HMI Prisons' four-level scale (JG-6), an Ofsted theme on Ofsted's
three-level scale (JG-7)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from inspectorate.frameworks.models import Aspect
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import EvidenceSource, Stage
from inspectorate.inspections.findings import selectors, services
from inspectorate.inspections.judgements.services import judgement_record
from inspectorate.inspections.models import EvidenceForm, FollowUp, Judgement
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.versions import StaleVersion

pytestmark = pytest.mark.django_db

HMIP_LEVELS = [
    "good_progress",
    "reasonable_progress",
    "insufficient_progress",
    "no_meaningful_progress",
]
OFSTED_LEVELS = ["significant_progress", "reasonable_progress", "insufficient_progress"]


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _frameworks(db):
    frameworks_load(actor=None)


@pytest.fixture
def review():
    full = h.full_inspection()
    return h.irp(full, announced_on=date(2026, 11, 2))


@pytest.fixture
def lead(review):
    return h.team_leader(review)


@pytest.fixture
def recommendation_item(review):
    (recommendation,) = h.recommendations(review.follows_up, 1)
    return h.follow_up(review, recommendation)


@pytest.fixture
def theme_item(review):
    return h.theme(review)


def _evidence(review, lead, code: str) -> EvidenceForm:
    return EvidenceForm.objects.create(
        event=review,
        author=lead,
        evidence_on=date(2027, 3, 8),
        source=EvidenceSource.DATA,
        aspect=Aspect.objects.get(code=code),
        text=f"Evidence for {code}.",
    )


def _judge(lead, item, slug: str, framework: str, **values):
    code = "REC" if item.recommendation_id else "THEME"
    values.setdefault("evidence", [_evidence(item.event, lead, code)])
    return services.follow_up_judge(
        actor=lead, follow_up=item, level=h.level(slug, framework), **values
    )


@pytest.mark.rule("JG-6")
@pytest.mark.parametrize("slug", HMIP_LEVELS)
def test_a_recommendation_is_judged_on_the_hmip_progress_scale(
    lead, recommendation_item, slug
) -> None:
    judgement = _judge(lead, recommendation_item, slug, "hmip-irp-progress")
    assert judgement.follow_up == recommendation_item
    assert (judgement.aspect.code, judgement.framework.slug) == ("REC", "hmip-irp-progress")
    assert judgement.level.slug == slug


@pytest.mark.rule("JG-6")
@pytest.mark.parametrize("slug", OFSTED_LEVELS)
def test_a_recommendation_refuses_the_ofsted_scale(lead, recommendation_item, slug) -> None:
    with pytest.raises(ValidationError):
        _judge(lead, recommendation_item, slug, "ofsted-irp-themes")
    rec = Aspect.objects.get(code="REC")
    with pytest.raises(ValidationError):
        judgement_record(
            actor=lead,
            event=recommendation_item.event,
            aspect=rec,
            level=h.theme_level(slug),
            evidence=[_evidence(recommendation_item.event, lead, "REC")],
            follow_up=recommendation_item,
        )
    assert not Judgement.objects.exists()


@pytest.mark.rule("JG-7")
@pytest.mark.parametrize("slug", OFSTED_LEVELS)
def test_a_theme_is_judged_on_the_ofsted_scale(lead, theme_item, slug) -> None:
    judgement = _judge(lead, theme_item, slug, "ofsted-irp-themes")
    assert (judgement.aspect.code, judgement.framework.slug) == ("THEME", "ofsted-irp-themes")
    assert judgement.level.slug == slug


@pytest.mark.rule("JG-7")
@pytest.mark.parametrize("slug", HMIP_LEVELS)
def test_a_theme_refuses_the_hmip_scale(lead, theme_item, slug) -> None:
    with pytest.raises(ValidationError):
        _judge(lead, theme_item, slug, "hmip-irp-progress")
    theme_aspect = Aspect.objects.get(code="THEME")
    with pytest.raises(ValidationError):
        judgement_record(
            actor=lead,
            event=theme_item.event,
            aspect=theme_aspect,
            level=h.rec_level(slug),
            evidence=[_evidence(theme_item.event, lead, "THEME")],
            follow_up=theme_item,
        )
    assert not Judgement.objects.exists()


@pytest.mark.rule("JG-6")
def test_a_recommendation_follow_up_is_not_judged_as_a_theme(lead, recommendation_item) -> None:
    with pytest.raises(ValidationError):
        judgement_record(
            actor=lead,
            event=recommendation_item.event,
            aspect=Aspect.objects.get(code="THEME"),
            level=h.theme_level("significant_progress"),
            evidence=[_evidence(recommendation_item.event, lead, "THEME")],
            follow_up=recommendation_item,
        )
    assert not Judgement.objects.exists()


def test_a_changed_judgement_carries_its_version(lead, recommendation_item) -> None:
    first = _judge(lead, recommendation_item, "insufficient_progress", "hmip-irp-progress")
    second = _judge(
        lead,
        recommendation_item,
        "reasonable_progress",
        "hmip-irp-progress",
        version=first.version,
    )
    assert second.pk == first.pk
    assert second.level.slug == "reasonable_progress"
    with pytest.raises(StaleVersion):
        _judge(
            lead, recommendation_item, "good_progress", "hmip-irp-progress", version=first.version
        )
    assert Judgement.objects.get().level.slug == "reasonable_progress"


def test_a_judged_item_stays_followed_up(lead, review, recommendation_item) -> None:
    _judge(lead, recommendation_item, "good_progress", "hmip-irp-progress")
    with pytest.raises(ValidationError) as refusal:
        services.follow_up_remove(actor=lead, follow_up=recommendation_item, version=1, reason="x")
    assert "already been judged" in refusal.value.messages[0]
    with pytest.raises(ValidationError):
        services.follow_up_select(
            actor=lead, event=review, recommendations=[], version=None, reason="Changed."
        )
    assert FollowUp.objects.filter(pk=recommendation_item.pk).exists()


def test_the_establishment_sees_the_judgement_only_once_published(
    lead, review, recommendation_item
) -> None:
    _judge(lead, recommendation_item, "good_progress", "hmip-irp-progress")
    local = h.establishment_user(review)
    page = selectors.follow_up_page(local, review)
    assert [row.item for row in page.recommendations] == [recommendation_item]
    assert page.recommendations[0].judgement is None
    assert not page.details_visible
    h.set_stage(review, Stage.PUBLISHED)
    page = selectors.follow_up_page(local, review)
    judgement = page.recommendations[0].judgement
    assert judgement is not None
    assert judgement.level.slug == "good_progress"
