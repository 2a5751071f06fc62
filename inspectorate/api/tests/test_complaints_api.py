"""Concerns and complaints through the API (CP-1): the screens' services, with If-Match."""

from __future__ import annotations

from typing import Any

import pytest

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import World, client_for, person
from inspectorate.complaints.constants import Stage, Status
from inspectorate.complaints.models import Complaint
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.tests.test_milestone_helpers import make_establishment, put_on_team


def post(client: Any, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return client.post(path, data, content_type="application/json", headers=headers)


@pytest.fixture
def lead(world: World) -> User:
    user = person("api-lead", Role.HMIP_TEAM_LEADER)
    put_on_team(world.published, user, TeamRole.TEAM_LEADER)
    return user


@pytest.mark.django_db
@pytest.mark.rule("CP-1")
def test_a_concern_goes_from_the_lead_to_a_reviewed_complaint(world: World, lead: User) -> None:
    governor = client_for(world.users[Role.ESTABLISHMENT_USER])
    raised = post(
        governor,
        "/api/v1/complaints/",
        {"event": world.published.pk, "complainant": "Governor", "concern": "Too rushed."},
    )
    assert raised.status_code == 201, raised.content
    path = f"/api/v1/complaints/{raised.json()['id']}/"
    leader = client_for(lead)
    assert leader.get(path).json()["actions"] == ["reply"]
    replied = post(leader, f"{path}reply/", {"reply": "We listened."}, version=1)
    assert replied.status_code == 200, replied.content
    formal = post(governor, f"{path}formal/", {"reason": "Not resolved."}, version=2)
    assert formal.status_code == 200, formal.content
    assert formal.json()["stage"] == "formal"
    assert formal.json()["response_due_on"] is not None
    coordinator = client_for(world.users[Role.HMIP_COORDINATOR])
    answer = {"response": "We apologise.", "review_route": "Write to the Chief Inspector."}
    responded = post(coordinator, f"{path}respond/", answer, version=3)
    assert responded.status_code == 200, responded.content
    review = post(governor, f"{path}review/", {"reason": "Still unfair."}, version=4)
    assert review.status_code == 200, review.content
    final = {"response": "Upheld.", "review_route": "The Ombudsman."}
    done = post(coordinator, f"{path}review-respond/", final, version=5)
    assert done.status_code == 200, done.content
    complaint = Complaint.objects.get(pk=raised.json()["id"])
    assert (complaint.stage, complaint.status) == (Stage.REVIEW, Status.ANSWERED)
    assert complaint.independent_review_route == "The Ombudsman."


@pytest.mark.django_db
@pytest.mark.rule("CP-1")
def test_each_step_is_for_its_own_side(world: World, lead: User) -> None:
    complaint = Complaint.objects.get()
    path = f"/api/v1/complaints/{complaint.pk}/"
    governor = client_for(world.users[Role.ESTABLISHMENT_USER])
    assert post(governor, f"{path}reply/", {"reply": "Mine."}, version=1).status_code == 403
    inspector = client_for(world.users[Role.HMIP_INSPECTOR])
    assert inspector.get(path).status_code == 404
    assert post(inspector, f"{path}reply/", {"reply": "x"}, version=1).status_code == 404
    other = make_other_establishment_user()
    assert client_for(other).get(path).status_code == 404
    raised = post(
        inspector,
        "/api/v1/complaints/",
        {"event": world.published.pk, "complainant": "Me", "concern": "Hm."},
    )
    assert raised.status_code in (400, 403)
    assert Complaint.objects.count() == 1


def make_other_establishment_user() -> User:
    elsewhere = make_establishment("AR", "HMP Armley Elsewhere")
    return person("api-elsewhere", Role.ESTABLISHMENT_USER, establishment=elsewhere)


@pytest.mark.django_db
def test_a_step_needs_the_complaints_current_version(world: World, lead: User) -> None:
    complaint = Complaint.objects.get()
    path = f"/api/v1/complaints/{complaint.pk}/reply/"
    leader = client_for(lead)
    assert post(leader, path, {"reply": "Heard."}).status_code == 428
    assert post(leader, path, {"reply": "Heard."}, version=7).status_code == 412
    empty = post(leader, path, {"reply": " "}, version=1)
    assert empty.status_code == 400
    assert empty.json()["errors"][0]["field"] == "reply"
    assert Complaint.objects.get().lead_reply == ""
