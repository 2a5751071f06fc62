"""Who reads what through the API, role by role, and PG-3 for an establishment user: an
unannounced event of their own establishment appears in no response, count or error."""

from __future__ import annotations

import json

import pytest

from inspectorate.accounts.roles import DUTIES, Duty, Role
from inspectorate.api.tests.helpers import World, client_for
from inspectorate.audit.models import AccessEvent

LISTS = [
    "establishments",
    "inspectors",
    "programmes",
    "events",
    "team-members",
    "milestones",
    "judgements",
    "recommendations",
    "follow-ups",
    "improvement-cases",
    "complaints",
    "evidence",
    "observations",
    "meetings",
    "briefings",
    "concerns",
    "positive-practice",
    "improvement-letters",
    "reports",
    "report-comments",
    "alerts",
    "providers",
    "contracts",
    "unavailability",
    "conflicts",
    "programme-amendments",
    "notifications",
    "letter-templates",
]

SEES_SECRET = {role.value for role in DUTIES[Duty.SEES_WHOLE_PROGRAMME]}
STAFF = {role.value for role in Role} - {Role.ESTABLISHMENT_USER.value}
# Readers of the findings of any inspection (programme staff and quality assurance).
FINDINGS = SEES_SECRET | {Role.QUALITY_ASSURANCE.value}
# Complaints: coordinators, QA, administrators, and the complainant's establishment.
COMPLAINTS = {
    Role.HMIP_COORDINATOR.value,
    Role.QUALITY_ASSURANCE.value,
    Role.SYSTEM_ADMINISTRATOR.value,
    Role.ESTABLISHMENT_USER.value,
}


def _ids(body: dict) -> set[int]:
    return {row["id"] for row in body["results"]}


@pytest.mark.django_db
@pytest.mark.rule("PG-3")
@pytest.mark.parametrize("role", [role.value for role in Role])
def test_every_role_reads_every_list_as_its_visible_to_allows(world: World, role: str) -> None:
    client = client_for(world.users[role])
    for name in LISTS:
        response = client.get(f"/api/v1/{name}/")
        assert response.status_code == 200, (name, response.content)
    events = _ids(client.get("/api/v1/events/").json())
    assert (world.secret.pk in events) == (role in SEES_SECRET)
    assert world.published.pk in events
    assert world.irp.pk in events
    inspectors = client.get("/api/v1/inspectors/").json()
    assert (inspectors["count"] > 0) == (role in STAFF)
    milestones = client.get("/api/v1/milestones/").json()["results"]
    assert {m["event"] for m in milestones} >= ({world.secret.pk} if role in SEES_SECRET else set())
    if role not in SEES_SECRET:
        assert world.secret.pk not in {m["event"] for m in milestones}
    recommendations = client.get("/api/v1/recommendations/").json()
    published_reader = role in FINDINGS | {
        Role.ESTABLISHMENT_USER.value,
        Role.IMPROVEMENT_HMI.value,
    }
    assert (recommendations["count"] == 2) == published_reader
    complaints = client.get("/api/v1/complaints/").json()
    assert (complaints["count"] == 1) == (role in COMPLAINTS)
    secret = client.get(f"/api/v1/events/{world.secret.pk}/")
    assert secret.status_code == (200 if role in SEES_SECRET else 404)
    templates = client.get("/api/v1/letter-templates/").json()
    assert (templates["count"] > 0) == (role == Role.SYSTEM_ADMINISTRATOR.value)
    # As on the screens: calendar feeds and frameworks are for inspectorate staff.
    for name in ("calendar-feeds", "frameworks"):
        answer = client.get(f"/api/v1/{name}/")
        assert answer.status_code == (403 if role == Role.ESTABLISHMENT_USER.value else 200)


@pytest.mark.django_db
@pytest.mark.rule("PG-3")
def test_a_team_member_sees_their_unannounced_event_and_the_read_is_logged(world: World) -> None:
    assert world.on_team is not None
    client = client_for(world.on_team)
    response = client.get(f"/api/v1/events/{world.secret.pk}/")
    assert response.status_code == 200
    assert response.json()["confidential"] is True
    logged = AccessEvent.objects.filter(record_id=str(world.secret.pk), actor=world.on_team)
    assert logged.count() == 1
    client.get("/api/v1/events/")
    client.get(f"/api/v1/team-members/?event={world.secret.pk}")
    assert logged.count() == 3
    # An announced event is not confidential: its reads are not logged.
    client.get(f"/api/v1/events/{world.irp.pk}/")
    assert not AccessEvent.objects.filter(record_id=str(world.irp.pk)).exists()


@pytest.mark.django_db
@pytest.mark.rule("PG-3")
def test_an_establishment_user_never_learns_of_an_unannounced_event(world: World) -> None:
    user = world.users[Role.ESTABLISHMENT_USER]
    client = client_for(user)
    secret = world.secret.pk
    bodies = []
    for name in LISTS:
        response = client.get(f"/api/v1/{name}/?page_size=200")
        bodies.append(response.json())
        for row in response.json()["results"]:
            assert row.get("event") != secret
            if name == "events":
                assert row["id"] != secret
    events = client.get("/api/v1/events/").json()
    assert events["count"] == 2  # the published inspection and the announced IRP
    assert _ids(events) == {world.published.pk, world.irp.pk}
    day = world.secret.starts_on
    filtered = client.get(f"/api/v1/events/?starts_from={day}&starts_to={day}").json()
    assert filtered["count"] == 0
    # Reading, acting on or filtering by it answers exactly as for an event that never was.
    missing = 999_999
    assert (
        client.get(f"/api/v1/events/{secret}/").json()
        == client.get(f"/api/v1/events/{missing}/").json()
    )
    for path in ("move", "cancel", "announce", "team"):
        for pk in (secret, missing):
            response = client.post(
                f"/api/v1/events/{pk}/{path}/",
                {},
                content_type="application/json",
                headers={"If-Match": '"1"'},
            )
            assert response.status_code == 404
            assert response.json() == {
                "errors": [{"field": None, "message": "Not found.", "code": "not_found"}]
            }
    team = client.get(f"/api/v1/team-members/?event={secret}").json()
    assert team["count"] == 0
    milestones = client.get(f"/api/v1/milestones/?event={secret}").json()
    assert milestones["count"] == 0
    text = json.dumps(bodies)
    assert "2027-01-11" not in text
    assert not AccessEvent.objects.filter(actor=user).exists()


@pytest.mark.django_db
def test_inspectors_are_for_staff_only(world: World) -> None:
    inspector = world.secret.team.get().inspector
    staff = client_for(world.users[Role.HMIP_INSPECTOR])
    assert staff.get(f"/api/v1/inspectors/{inspector.pk}/").status_code == 200
    outsider = client_for(world.users[Role.ESTABLISHMENT_USER])
    assert outsider.get(f"/api/v1/inspectors/{inspector.pk}/").status_code == 404


@pytest.mark.django_db
def test_without_credentials_every_endpoint_answers_401(world: World, client) -> None:
    for name in [*LISTS, "tokens"]:
        response = client.get(f"/api/v1/{name}/")
        assert response.status_code == 401, name
        assert response.json()["errors"][0]["code"] == "not_authenticated"
    assert client.get("/api/v1/schema/").status_code == 401


WRITERS = {  # who may move the unannounced full inspection, if they can see it
    Role.HMIP_COORDINATOR.value: 200,
    Role.HMIP_TEAM_LEADER.value: 200,
    Role.OFSTED_SCHEDULER.value: 403,  # sees it, but records only Ofsted's own kinds (PG-7)
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role.value for role in Role])
def test_moving_an_event_role_by_role(world: World, role: str) -> None:
    client = client_for(world.users[role])
    response = client.post(
        f"/api/v1/events/{world.secret.pk}/move/",
        {"starts_on": "2027-01-18"},
        content_type="application/json",
        headers={"If-Match": f'"{world.secret.version}"'},
    )
    expected = WRITERS.get(role, 404)  # the others may not even know of it (PG-3)
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["starts_on"] == "2027-01-18"
        assert response["ETag"] == f'"{world.secret.version + 1}"'
    else:
        assert response.json()["errors"][0]["message"]


# Reports (RP-3) and safeguarding alerts (SG-1) ---------------------------------------------

DRAFT_READERS = SEES_SECRET | {Role.QUALITY_ASSURANCE.value}


@pytest.mark.django_db
@pytest.mark.rule("RP-3")
@pytest.mark.rule("SG-1")
@pytest.mark.parametrize("role", [role.value for role in Role])
def test_drafts_and_alerts_role_by_role(world: World, role: str) -> None:
    from inspectorate.reports.models import Report
    from inspectorate.safeguarding.models import Alert

    assert world.on_team is not None
    draft = Report.objects.create(event=world.irp, kind="irp_report", created_by=world.on_team)
    checking = Report.objects.create(
        event=world.published,
        kind="ofsted_findings",
        stage="factual_accuracy",
        created_by=world.on_team,
    )
    alert = Alert.objects.create(
        event=world.secret, kind="sanctions", summary="Punished.", raised_by=world.on_team
    )
    client = client_for(world.users[role])
    reports = _ids(client.get("/api/v1/reports/").json())
    assert (draft.pk in reports) == (role in DRAFT_READERS)
    own_check = DRAFT_READERS | {Role.ESTABLISHMENT_USER.value}
    assert (checking.pk in reports) == (role in own_check)
    alerts = client.get("/api/v1/alerts/").json()
    assert (alerts["count"] == 1) == (role == Role.HMIP_COORDINATOR.value)
    status = client.get(f"/api/v1/alerts/{alert.pk}/").status_code
    assert status == (200 if role == Role.HMIP_COORDINATOR.value else 404)


@pytest.mark.django_db
@pytest.mark.rule("PG-3")
@pytest.mark.rule("PG-4")
def test_the_amendments_log_names_only_events_the_reader_may_see(world: World) -> None:
    """Found by the URL walk: a superuser passes every permission, the amendments log's
    included, but sees events only as their roles allow; the log named the unannounced
    inspection's dates to a system administrator."""
    from inspectorate.programme.models import Amendment

    amendment = Amendment.objects.create(
        programme=world.secret.programme,
        event=world.secret,
        summary="Moved: the unannounced inspection of HMP Leeds to 18 January 2027.",
        made_by=world.users[Role.HMIP_COORDINATOR],
    )
    administrator = world.users[Role.SYSTEM_ADMINISTRATOR]
    administrator.is_superuser = True
    administrator.save()
    for role, sees in [(Role.HMIP_COORDINATOR, True), (Role.SYSTEM_ADMINISTRATOR, False)]:
        client = client_for(world.users[role])
        assert (client.get("/api/v1/programme-amendments/").json()["count"] == 1) == sees
        detail = client.get(f"/api/v1/programme-amendments/{amendment.pk}/")
        assert detail.status_code == (200 if sees else 404), role
        page = client.get(f"/programme/{world.secret.programme.year}/").text
        assert ("18 January 2027" in page) == sees, role
