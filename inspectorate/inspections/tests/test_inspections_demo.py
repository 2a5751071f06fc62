"""The demo's inspection record: a finished, published full inspection at HMP/YOI
Pentonville and a finished IRP following up seven of its recommendations and four Ofsted
themes, written through the services; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from inspectorate.accounts.models import User
from inspectorate.complaints.constants import Status as ComplaintStatus
from inspectorate.complaints.models import Complaint
from inspectorate.improvement.constants import CaseStatus, ContactKind, LetterStatus
from inspectorate.improvement.models import ImprovementCase
from inspectorate.inspections import demo_content as content
from inspectorate.inspections.constants import FollowUpKind, JudgementStatus, Stage
from inspectorate.inspections.demo import demo_inspections_load
from inspectorate.inspections.models import (
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
    Recommendation,
)
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Event
from inspectorate.safeguarding.constants import AlertStatus
from inspectorate.safeguarding.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("load_demo")
    capsys.readouterr()


def _event(kind: str) -> Event:
    return Event.objects.get(establishment__code=content.ESTABLISHMENT_CODE, kind=kind)


def test_the_full_inspection_is_published_with_its_record(demo) -> None:
    full = Event.objects.get(establishment__code="PV", starts_on=content.FULL_INSPECTION_STARTS_ON)
    inspection = Inspection.objects.get(event=full)
    assert (inspection.stage, inspection.published_on) == (
        Stage.PUBLISHED,
        content.FULL_INSPECTION_PUBLISHED_ON,
    )
    references = list(full.recommendations.values_list("paragraph_reference", flat=True))
    assert references == [f"1.{n}" for n in range(12, 22)]
    assert EvidenceForm.objects.filter(event=full).count() == len(content.EVIDENCE)
    overall = Judgement.objects.get(event=full, aspect__code="OE")
    assert overall.level.slug == content.EDUCATION_OVERALL
    assert overall.status == JudgementStatus.MODERATED
    assert overall.framework.slug == "eif-prisons"  # the prison framework in force (JG-1)
    cited = Judgement.objects.filter(event=full).exclude(aspect__code="OE")
    assert all(judgement.citations.exists() for judgement in cited)  # IN-7
    assert set(
        cited.filter(framework__slug="healthy-prison-tests").values_list("aspect__code", flat=True)
    ) == set(content.HEALTHY_PRISON_TESTS)


def test_the_irp_follows_up_seven_recommendations_and_four_themes(demo) -> None:
    review = Event.objects.get(
        establishment__code="PV", kind=EventKind.IRP, starts_on=content.IRP_STARTS_ON
    )
    # The demo publishes the IRP's report (the reports app), which publishes the record.
    assert Inspection.objects.get(event=review).stage == Stage.PUBLISHED
    leader = review.team.get(role="team_leader").inspector.user
    assert leader is not None
    assert leader.username == "teamleader"  # the demo's own team leader can sign in and see it
    items = FollowUp.objects.filter(event=review)
    assert items.filter(kind=FollowUpKind.RECOMMENDATION).count() == 7
    assert items.filter(kind=FollowUpKind.THEME).count() == 4
    levels = {}
    for judgement in Judgement.objects.filter(event=review).select_related(
        "follow_up__recommendation", "level"
    ):
        item = judgement.follow_up
        assert item is not None
        key = item.recommendation.paragraph_reference if item.recommendation else item.theme
        levels[key] = judgement.level.slug
    expected = {key: slug for key, slug, _ in (*content.IRP_RECOMMENDATIONS, *content.IRP_THEMES)}
    assert levels == expected
    assert all(item.paragraphs for item in items)


def test_the_establishment_page_shows_the_chain(demo, client) -> None:
    client.force_login(User.objects.get(username="coordinator"))
    page = client.get(reverse("estate:establishment-detail", kwargs={"code": "PV"}))
    assert page.status_code == 200
    assert "Recommendations and progress" in page.text
    recommendation = Recommendation.objects.get(
        event__starts_on=content.FULL_INSPECTION_STARTS_ON,
        event__establishment__code="PV",
        paragraph_reference="1.16",
    )
    assert recommendation.text in page.text
    assert "Good progress" in page.text


def test_loading_again_adds_nothing(demo) -> None:
    before = (Judgement.objects.count(), FollowUp.objects.count(), EvidenceForm.objects.count())
    counts = demo_inspections_load()
    assert counts["followed up"] == 11
    after = (Judgement.objects.count(), FollowUp.objects.count(), EvidenceForm.objects.count())
    assert after == before


def test_the_judgement_opened_an_improvement_case_with_a_visit_and_its_letter(demo) -> None:
    case = ImprovementCase.objects.get(establishment__code="PV", status=CaseStatus.OPEN)
    assert case.opened_by.level.slug == "requires_improvement"  # SC-1
    assert case.improvement_hmi is not None
    assert case.improvement_hmi.username == "improvement"
    visit = case.contacts.get(kind=ContactKind.VISIT)
    assert visit.actions.count() == 3
    assert visit.letter.status == LetterStatus.SENT
    due, sent = visit.letter_due_on(), visit.letter.sent_on
    assert due is not None
    assert sent is not None
    assert sent <= due  # SC-4


def test_the_irp_has_one_acknowledged_safeguarding_alert(demo) -> None:
    alert = Alert.objects.get(event__establishment__code="PV")
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by is not None
    assert alert.acknowledged_by.username == "teamleader"
    assert alert.entries.count() == 4  # raised, told, acknowledged, the action


def test_the_full_inspection_has_one_answered_complaint(demo) -> None:
    complaint = Complaint.objects.get(event__establishment__code="PV")
    assert complaint.status == ComplaintStatus.ANSWERED
    assert complaint.responded_on is not None
    assert complaint.response_due_on is not None
    assert complaint.responded_on <= complaint.response_due_on  # CP-1
