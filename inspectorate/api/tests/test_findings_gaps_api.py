"""Findings through the API where the screens had more: moving a concern, recommendation,
notable positive practice or follow-up item up or down (`finding_move`), judging a follow-up
item's progress on its own scale (`follow_up_judge`, JG-6, JG-7) and no longer following one
up (`follow_up_remove`, IN-6); each with If-Match, refused as the screens refuse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for
from inspectorate.frameworks.models import Aspect
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import ConcernKind, EvidenceSource, Stage
from inspectorate.inspections.models import (
    Concern,
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
    PositivePractice,
    Recommendation,
)
from inspectorate.inspections.tests import findings_helpers as fh
from inspectorate.programme.models import Event

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, path: str, data: Any = None, version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    call = getattr(client, method)
    return call(path, data or {}, content_type="application/json", headers=headers)


def fields(response: Any) -> set[str | None]:
    return {problem["field"] for problem in response.json()["errors"]}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    yield from fh.frozen_today()


# Moving findings ---------------------------------------------------------------------------


@pytest.fixture
def findings() -> tuple[Event, Any]:
    event = fh.full_inspection(stage=Stage.FIELDWORK)
    return event, fh.ofsted_lead(event)


def _order(model: type[Any], event: Event, **match: Any) -> list[int]:
    return list(
        model.objects.filter(event=event, **match).order_by("position").values_list("pk", flat=True)
    )


def test_the_lead_moves_a_recommendation_up_and_its_version_stays(findings: Any) -> None:
    event, lead = findings
    first, second, third = fh.recommendations(event, 3)
    client = client_for(lead)
    path = f"/api/v1/recommendations/{third.pk}/move/"
    moved = send(client, "post", path, {"direction": "up"}, third.version)
    assert moved.status_code == 200, moved.content
    assert moved.json()["position"] == 1
    assert moved["ETag"] == f'"{third.version}"'  # the order has no version: the text's stays
    assert _order(Recommendation, event) == [first.pk, third.pk, second.pk]
    again = send(client, "post", path, {"direction": "up"}, third.version)
    assert again.status_code == 200, again.content
    assert _order(Recommendation, event) == [third.pk, first.pk, second.pk]
    top = send(client, "post", path, {"direction": "up"}, third.version)
    assert top.status_code == 200  # already first: nothing moves
    assert _order(Recommendation, event) == [third.pk, first.pk, second.pk]


def test_moving_needs_the_current_version_and_a_direction(findings: Any) -> None:
    event, lead = findings
    first, _second = fh.recommendations(event, 2)
    client = client_for(lead)
    path = f"/api/v1/recommendations/{first.pk}/move/"
    before = _order(Recommendation, event)
    assert send(client, "post", path, {"direction": "down"}).status_code == 428
    stale = send(client, "post", path, {"direction": "down"}, first.version + 1)
    assert stale.status_code == 412
    sideways = send(client, "post", path, {"direction": "sideways"}, first.version)
    assert sideways.status_code == 400
    assert fields(sideways) == {"direction"}
    assert _order(Recommendation, event) == before


def test_only_the_leads_move_findings_and_not_once_published(findings: Any) -> None:
    event, lead = findings
    first, second = fh.recommendations(event, 2)
    member = client_for(fh.team_inspector(event))
    path = f"/api/v1/recommendations/{second.pk}/move/"
    refused = send(member, "post", path, {"direction": "up"}, second.version)
    assert refused.status_code == 403
    outsider = client_for(fh.user(Role.HMIP_INSPECTOR))
    assert send(outsider, "post", path, {"direction": "up"}, second.version).status_code in (
        403,
        404,
    )
    fh.set_stage(event, Stage.PUBLISHED)
    published = send(client_for(lead), "post", path, {"direction": "up"}, second.version)
    assert published.status_code == 403
    assert _order(Recommendation, event) == [first.pk, second.pk]


@pytest.mark.rule("IN-5")
def test_a_concern_moves_among_its_own_kind(findings: Any) -> None:
    event, lead = findings
    key_one = fh.concern(event, "Key one", kind=ConcernKind.KEY, position=0)
    priority = fh.concern(event, "Priority", kind=ConcernKind.PRIORITY, position=0)
    key_two = fh.concern(event, "Key two", kind=ConcernKind.KEY, position=1)
    client = client_for(lead)
    moved = send(
        client, "post", f"/api/v1/concerns/{key_two.pk}/move/", {"direction": "up"}, key_two.version
    )
    assert moved.status_code == 200, moved.content
    assert _order(Concern, event, kind=ConcernKind.KEY) == [key_two.pk, key_one.pk]
    assert Concern.objects.get(pk=priority.pk).position == 0


def test_notable_positive_practice_moves_down(findings: Any) -> None:
    event, lead = findings
    first, second = (
        PositivePractice.objects.create(event=event, text=f"Practice {n}", position=n)
        for n in range(2)
    )
    path = f"/api/v1/positive-practice/{first.pk}/move/"
    moved = send(client_for(lead), "post", path, {"direction": "down"}, first.version)
    assert moved.status_code == 200, moved.content
    assert moved.json()["position"] == 1
    assert _order(PositivePractice, event) == [second.pk, first.pk]


# An IRP's follow-up items ------------------------------------------------------------------


@pytest.fixture
def review() -> tuple[Event, Any, list[FollowUp]]:
    frameworks_load(actor=None)
    published = fh.full_inspection(stage=Stage.PUBLISHED)
    irp = fh.irp(published, stage=Stage.FIELDWORK)
    items = [
        fh.follow_up(irp, recommendation, position=n)
        for n, recommendation in enumerate(fh.recommendations(published, 2))
    ]
    return irp, fh.team_leader(irp), items


def _evidence(event: Event, author: Any, code: str = "REC") -> EvidenceForm:
    return EvidenceForm.objects.create(
        event=event,
        author=author,
        evidence_on=date(2027, 3, 8),
        source=EvidenceSource.DATA,
        aspect=Aspect.objects.get(code=code),
        text=f"Evidence for {code}.",
    )


def test_the_irp_lead_reorders_its_follow_up_items(review: Any) -> None:
    irp, lead, (first, second) = review
    path = f"/api/v1/follow-ups/{second.pk}/move/"
    moved = send(client_for(lead), "post", path, {"direction": "up"}, second.version)
    assert moved.status_code == 200, moved.content
    assert moved.json()["position"] == 0
    assert _order(FollowUp, irp) == [second.pk, first.pk]


@pytest.mark.rule("JG-6")
@pytest.mark.rule("IN-7")
def test_the_lead_judges_a_recommendations_progress_then_changes_it(review: Any) -> None:
    irp, lead, (item, _other) = review
    client = client_for(lead)
    path = f"/api/v1/follow-ups/{item.pk}/judge/"
    cited = _evidence(irp, lead)
    body = {"level": "reasonable_progress", "evidence": [cited.pk], "rationale": "Better."}
    assert send(client, "post", path, body).status_code == 428
    assert send(client, "post", path, body, version=1).status_code == 412  # none exists yet
    made = send(client, "post", path, body, version=0)
    assert made.status_code == 201, made.content
    judgement = made.json()
    assert (judgement["aspect"], judgement["level"]) == ("REC", "reasonable_progress")
    assert judgement["follow_up"] == item.pk
    assert made["ETag"] == '"1"'
    changed = send(client, "post", path, {**body, "level": "good_progress"}, version=1)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"'
    stale = send(client, "post", path, {**body, "level": "insufficient_progress"}, version=1)
    assert stale.status_code == 412
    assert Judgement.objects.get(follow_up=item).level.slug == "good_progress"
    # The item shows its judgement and the version judge/ needs next; the list shows it too.
    shown = client.get(f"/api/v1/follow-ups/{item.pk}/").json()["progress_judgement"]
    assert shown == {
        "id": Judgement.objects.get(follow_up=item).pk,
        "level": "good_progress",
        "version": 2,
    }
    listed = client.get(f"/api/v1/follow-ups/?event={irp.pk}").json()["results"]
    by_item = {row["id"]: row["progress_judgement"] for row in listed}
    assert by_item[item.pk] == shown
    assert by_item[_other.pk] is None


@pytest.mark.rule("JG-7")
def test_a_theme_is_judged_only_on_ofsteds_scale(review: Any) -> None:
    irp, lead, _items = review
    theme = fh.theme(irp)
    client = client_for(lead)
    path = f"/api/v1/follow-ups/{theme.pk}/judge/"
    cited = _evidence(irp, lead, "THEME")
    wrong = send(client, "post", path, {"level": "good_progress", "evidence": [cited.pk]}, 0)
    assert wrong.status_code == 400
    assert fields(wrong) == {"level"}
    foreign = _evidence(fh.full_inspection(starts_on=date(2024, 1, 8)), lead, "THEME")
    uncited = send(
        client, "post", path, {"level": "significant_progress", "evidence": [foreign.pk]}, 0
    )
    assert uncited.status_code == 400
    assert fields(uncited) == {"evidence"}
    assert not Judgement.objects.exists()
    made = send(client, "post", path, {"level": "significant_progress", "evidence": [cited.pk]}, 0)
    assert made.status_code == 201, made.content
    assert made.json()["aspect"] == "THEME"


def test_only_the_irp_leads_judge_progress(review: Any) -> None:
    irp, lead, (item, _other) = review
    member = fh.team_inspector(irp)
    cited = _evidence(irp, lead)
    body = {"level": "good_progress", "evidence": [cited.pk]}
    refused = send(client_for(member), "post", f"/api/v1/follow-ups/{item.pk}/judge/", body, 0)
    assert refused.status_code == 403
    local = client_for(fh.establishment_user(irp))
    hidden = send(local, "post", f"/api/v1/follow-ups/{item.pk}/judge/", body, 0)
    assert hidden.status_code in (403, 404)
    assert not Judgement.objects.exists()


@pytest.mark.rule("IN-6")
def test_the_lead_stops_following_up_an_item(review: Any) -> None:
    irp, lead, (item, other) = review
    client = client_for(lead)
    path = f"/api/v1/follow-ups/{item.pk}/"
    assert send(client, "delete", path).status_code == 428
    assert send(client, "delete", path, version=item.version + 1).status_code == 412
    member = client_for(fh.team_inspector(irp))
    assert send(member, "delete", path, version=item.version).status_code == 403
    assert FollowUp.objects.filter(pk=item.pk).exists()
    removed = send(client, "delete", path, version=item.version)
    assert removed.status_code == 204, removed.content
    assert list(FollowUp.objects.filter(event=irp)) == [other]
    assert client.get(path).status_code == 404


@pytest.mark.rule("IN-6")
def test_once_announced_removing_an_item_needs_a_reason(review: Any) -> None:
    irp, lead, (item, _other) = review
    Event.objects.filter(pk=irp.pk).update(announced_on=date(2026, 11, 2))
    client = client_for(lead)
    path = f"/api/v1/follow-ups/{item.pk}/"
    warned = send(client, "delete", path, version=item.version)
    assert warned.status_code == 400, warned.content
    (problem,) = warned.json()["errors"]
    assert (problem["field"], problem["code"]) == ("reason", "override_needed")
    assert FollowUp.objects.filter(pk=item.pk).exists()
    removed = send(client, "delete", f"{path}?reason=The+governor+closed+the+unit.", None, 1)
    assert removed.status_code == 204, removed.content
    kept = Inspection.objects.get(event=irp).follow_up_reason
    assert "The governor closed the unit." in kept


@pytest.mark.rule("IN-6")
def test_a_judged_item_stays_followed_up(review: Any) -> None:
    _irp, lead, (item, _other) = review
    fh.progress_judgement(item, "good_progress", lead)
    refused = send(client_for(lead), "delete", f"/api/v1/follow-ups/{item.pk}/", version=1)
    assert refused.status_code == 400
    assert "judged" in refused.json()["errors"][0]["message"]
    assert FollowUp.objects.filter(pk=item.pk).exists()
