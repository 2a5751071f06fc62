"""The programme through the API, through the services its screens call: drafting a
programme, opening it to consultation and confirming it (PG-1); its figures (PG-2) and its
amendments log (PG-4); overriding a "normally" milestone (PG-5); each user's own
notifications; and team changes that move the event's version on, so a stale If-Match is
refused."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import TODAY, World, client_for, person, token_client
from inspectorate.audit.models import AccessEvent
from inspectorate.inspectors.constants import Clearance, DbsLevel, Grade, Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme import services
from inspectorate.programme.constants import MilestoneStatus, ProgrammeStatus
from inspectorate.programme.models import (
    Amendment,
    Event,
    Milestone,
    Notification,
    Programme,
    TeamMember,
)
from inspectorate.programme.notifications import notify
from inspectorate.programme.tests.test_milestone_helpers import make_establishment, make_event

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, data: dict[str, Any] | None = None, version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return client.post(path, data or {}, content_type="application/json", headers=headers)


def fields(response: Any) -> list[str | None]:
    return [problem["field"] for problem in response.json()["errors"]]


def user_of(world: World, role: Role) -> User:
    return world.users[role.value]


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


# Programmes (PG-1) ------------------------------------------------------------------------


@pytest.mark.rule("PG-1")
def test_drafting_a_programme_through_the_service(world: World) -> None:
    coordinator = client_for(user_of(world, Role.HMIP_COORDINATOR))
    created = post(coordinator, "/api/v1/programmes/", {"year": 2027})
    assert created.status_code == 201, created.content
    assert created["ETag"] == '"1"'
    body = created.json()
    assert (body["year"], body["status"], body["starts_on"]) == (2027, "draft", "2027-04-01")
    assert coordinator.get("/api/v1/programmes/2027/")["ETag"] == '"1"'

    twice = post(coordinator, "/api/v1/programmes/", {"year": 2027})
    assert twice.status_code == 400
    assert fields(twice) == ["year"]
    assert "already a programme" in twice.json()["errors"][0]["message"]
    for bad in ({"year": 1800}, {"year": "next"}, {}):
        refused = post(coordinator, "/api/v1/programmes/", bad)
        assert refused.status_code == 400, bad
        assert fields(refused) == ["year"]
    assert Programme.objects.filter(year=2027).count() == 1


@pytest.mark.rule("PG-1")
@pytest.mark.parametrize(
    "role", [Role.HMIP_INSPECTOR, Role.OFSTED_SCHEDULER, Role.ESTABLISHMENT_USER]
)
def test_only_programme_staff_draft_a_programme(world: World, role: Role) -> None:
    refused = post(client_for(user_of(world, role)), "/api/v1/programmes/", {"year": 2028})
    assert refused.status_code == 403
    assert not Programme.objects.filter(year=2028).exists()


def test_a_read_token_cannot_draft_a_programme(world: World) -> None:
    client, _secret = token_client(user_of(world, Role.HMIP_COORDINATOR))
    assert post(client, "/api/v1/programmes/", {"year": 2028}).status_code == 403
    assert not Programme.objects.filter(year=2028).exists()


@pytest.mark.rule("PG-1")
@pytest.mark.rule("PG-4")
def test_opening_a_programme_to_consultation_then_confirming_it(world: World) -> None:
    programme = services.programme_create(actor=user_of(world, Role.HMIP_COORDINATOR), year=2027)
    coordinator = client_for(user_of(world, Role.HMIP_COORDINATOR))
    opening = "/api/v1/programmes/2027/open-consultation/"
    assert post(coordinator, opening).status_code == 428
    assert post(coordinator, opening, version=programme.version + 1).status_code == 412
    inspector = client_for(user_of(world, Role.HMIP_INSPECTOR))
    assert post(inspector, opening, version=programme.version).status_code == 403
    assert Programme.objects.get(year=2027).status == ProgrammeStatus.DRAFT

    opened = post(coordinator, opening, version=programme.version)
    assert opened.status_code == 200, opened.content
    assert opened["ETag"] == f'"{programme.version + 1}"'
    assert (opened.json()["status"], opened.json()["consultation_opened_on"]) == (
        "consultation",
        TODAY.isoformat(),
    )
    again = post(coordinator, opening, version=programme.version + 1)
    assert again.status_code == 400
    assert "only a draft programme" in again.json()["errors"][0]["message"]

    confirming = "/api/v1/programmes/2027/confirm/"
    version = programme.version + 1
    assert post(coordinator, confirming).status_code == 428
    assert post(coordinator, confirming, version=version - 1).status_code == 412
    future = post(coordinator, confirming, {"confirmed_on": "2026-12-01"}, version)
    assert future.status_code == 400
    assert fields(future) == ["confirmed_on"]
    unparsable = post(coordinator, confirming, {"confirmed_on": "soon"}, version)
    assert fields(unparsable) == ["confirmed_on"]
    governor = client_for(user_of(world, Role.ESTABLISHMENT_USER))
    assert post(governor, confirming, {}, version).status_code == 403
    assert Programme.objects.get(year=2027).status == ProgrammeStatus.CONSULTATION
    assert not Notification.objects.filter(subject="Programme 2027 to 2028 confirmed").exists()

    warned = post(coordinator, confirming, {}, version)
    assert warned.status_code == 400
    assert {e["code"] for e in warned.json()["errors"]} == {"override_needed"}
    assert "irp_count" in fields(warned)
    confirmed = post(coordinator, confirming, {"override_reason": "IRPs follow"}, version)
    assert confirmed.status_code == 200, confirmed.content
    assert (confirmed.json()["status"], confirmed.json()["confirmed_on"]) == (
        "confirmed",
        TODAY.isoformat(),
    )
    assert confirmed["ETag"] == f'"{version + 1}"'
    # Ofsted's schedulers are told at once (PG-4).
    told = Notification.objects.filter(subject="Programme 2027 to 2028 confirmed")
    assert [n.recipient for n in told] == [user_of(world, Role.OFSTED_SCHEDULER)]
    missing = post(coordinator, "/api/v1/programmes/2031/confirm/", {}, 1)
    assert missing.status_code == 404


# The programme's figures and amendments (PG-2, PG-4) --------------------------------------


@pytest.mark.rule("PG-2")
@pytest.mark.rule("PG-3")
def test_the_programmes_figures_count_only_what_the_caller_may_see(world: World) -> None:
    path = "/api/v1/programmes/2026/overview/"
    staff = client_for(user_of(world, Role.HMIP_COORDINATOR)).get(path)
    assert staff.status_code == 200
    body = staff.json()
    counts = {row["kind"]: row["count"] for row in body["counts"]}
    assert (counts["full_inspection"], counts["irp"], body["total"]) == (1, 1, 2)
    assert body["irp_count"] == 1
    assert "between 15 and 20" in body["irp_warning"]
    # The establishment user does not learn of the unannounced inspection, nor the IRP count.
    local = client_for(user_of(world, Role.ESTABLISHMENT_USER)).get(path).json()
    assert ({row["kind"]: row["count"] for row in local["counts"]}["full_inspection"]) == 0
    assert (local["total"], local["irp_count"], local["irp_warning"]) == (1, None, None)
    # A token narrowed to organisations never gets the whole programme's count.
    narrowed, _ = token_client(user_of(world, Role.HMIP_COORDINATOR), organisations=["ofsted"])
    assert narrowed.get(path).json()["irp_count"] is None


def _confirmed_with_amendments(world: World, moves: int) -> Programme:
    """Programme 2026 confirmed, and the unannounced inspection moved `moves` times."""
    coordinator = user_of(world, Role.HMIP_COORDINATOR)
    Programme.objects.filter(year=2026).update(status=ProgrammeStatus.CONFIRMED)
    for week in range(moves):
        event = Event.objects.get(pk=world.secret.pk)
        start = date(2027, 1, 18) if week % 2 == 0 else date(2027, 1, 11)
        services.event_move(actor=coordinator, event=event, version=event.version, starts_on=start)
    return Programme.objects.get(year=2026)


@pytest.mark.rule("PG-4")
@pytest.mark.rule("PG-3")
def test_the_amendments_log_is_the_programme_staffs_and_its_reads_are_logged(
    world: World,
) -> None:
    _confirmed_with_amendments(world, 1)
    coordinator = user_of(world, Role.HMIP_COORDINATOR)
    body = client_for(coordinator).get("/api/v1/programme-amendments/?programme=2026").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert (row["programme"], row["event"]) == (2026, world.secret.pk)
    assert row["summary"].startswith("Moved: Full inspection of HMP Leeds")
    assert row["changes"]["starts_on"] == ["2027-01-11", "2027-01-18"]
    logged = AccessEvent.objects.filter(record_id=str(world.secret.pk), actor=coordinator)
    assert logged.filter(path="/api/v1/programme-amendments/").count() == 1
    by_event = client_for(coordinator).get(f"/api/v1/programme-amendments/?event={world.irp.pk}")
    assert by_event.json()["count"] == 0
    for role in (Role.HMIP_INSPECTOR, Role.SYSTEM_ADMINISTRATOR, Role.ESTABLISHMENT_USER):
        others = client_for(user_of(world, role)).get("/api/v1/programme-amendments/").json()
        assert others["count"] == 0, role
        one = client_for(user_of(world, role)).get(f"/api/v1/programme-amendments/{row['id']}/")
        assert one.status_code == 404


def _amendments(programme: Programme, first: int, count: int) -> None:
    """`count` amendments, each of another unannounced event, made by another person."""
    for n in range(first, first + count):
        place = make_establishment(f"A{n}", f"HMP A{n}")
        event = make_event(place, starts_on=date(2027, 2, 1), signal=False)
        Amendment.objects.create(
            programme=programme,
            event=event,
            summary=f"Added: {event}",
            changes={"starts_on": [None, "2027-02-01"]},
            made_by=person(f"amender-{n}", Role.HMIP_COORDINATOR),
        )


def test_the_amendments_list_answers_in_a_fixed_number_of_queries(world: World) -> None:
    programme = Programme.objects.get(year=2026)
    client = client_for(user_of(world, Role.HMIP_COORDINATOR))
    path = "/api/v1/programme-amendments/?page_size=200"
    _amendments(programme, 0, 2)
    small = queries(client, path)
    _amendments(programme, 2, 18)
    assert queries(client, path) == small
    assert client.get(path).json()["count"] == 20
    # Every one of them names an unannounced event: each read is logged, in one insert.
    assert AccessEvent.objects.filter(path="/api/v1/programme-amendments/").count() == 2 + 20 + 20


# Milestones (PG-5) ------------------------------------------------------------------------


def _milestone(world: World, code: str) -> Milestone:
    return Milestone.objects.get(event=world.secret, rule_code=code)


@pytest.mark.rule("PG-5")
def test_overriding_a_normally_milestone_needs_its_version_and_a_reason(world: World) -> None:
    target = _milestone(world, "pg5_ofsted_notified")
    before = (target.status, target.version)
    path = f"/api/v1/milestones/{target.pk}/override/"
    coordinator = client_for(user_of(world, Role.HMIP_COORDINATOR))
    reason = {"reason": "Added to the programme in November."}
    assert post(coordinator, path, reason).status_code == 428
    assert post(coordinator, path, reason, target.version + 1).status_code == 412
    blank = post(coordinator, path, {"reason": "  "}, target.version)
    assert blank.status_code == 400
    assert fields(blank) == ["reason"]
    too_long = post(coordinator, path, {"reason": "x" * 2001}, target.version)
    assert fields(too_long) == ["reason"]
    # Who may not see the event gets 404; the team member who sees it may not override.
    outsider = client_for(user_of(world, Role.HMIP_INSPECTOR))
    assert post(outsider, path, reason, target.version).status_code == 404
    assert world.on_team is not None
    assert post(client_for(world.on_team), path, reason, target.version).status_code == 403
    unchanged = _milestone(world, "pg5_ofsted_notified")
    assert (unchanged.status, unchanged.version) == before

    done = post(coordinator, path, reason, target.version)
    assert done.status_code == 200, done.content
    assert done["ETag"] == f'"{target.version + 1}"'
    assert (done.json()["status"], done.json()["override_reason"]) == (
        MilestoneStatus.NOT_APPLICABLE,
        reason["reason"],
    )
    again = post(coordinator, path, reason, target.version + 1)
    assert again.status_code == 400
    assert "already overridden" in again.json()["errors"][0]["message"]


@pytest.mark.rule("RP-1")
def test_a_hard_deadline_cannot_be_overridden(world: World) -> None:
    target = _milestone(world, "rp1_report_full_inspection")
    coordinator = client_for(user_of(world, Role.HMIP_COORDINATOR))
    refused = post(
        coordinator, f"/api/v1/milestones/{target.pk}/override/", {"reason": "Busy"}, target.version
    )
    assert refused.status_code == 400
    assert "hard deadline" in refused.json()["errors"][0]["message"]
    assert _milestone(world, "rp1_report_full_inspection").override_reason == ""


# Notifications ----------------------------------------------------------------------------


def _notify(user: User, count: int) -> list[Notification]:
    return [
        notify(recipients=[user], subject=f"Notice {n}", body="Something changed.")[0]
        for n in range(count)
    ]


def test_a_user_reads_and_marks_only_their_own_notifications(world: World) -> None:
    me, other = user_of(world, Role.OFSTED_SCHEDULER), user_of(world, Role.HMIP_COORDINATOR)
    mine = _notify(me, 3)
    (theirs,) = _notify(other, 1)
    client = client_for(me)
    listed = client.get("/api/v1/notifications/").json()
    assert {row["id"] for row in listed["results"]} == {n.pk for n in mine}
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/notifications/?unread=maybe").status_code == 400
    assert fields(client.get("/api/v1/notifications/?unread=maybe")) == ["unread"]

    # No If-Match: notifications carry no version, and the screens check none.
    read = post(client, f"/api/v1/notifications/{mine[0].pk}/read/")
    assert read.status_code == 200, read.content
    assert read.json()["read"] is True
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 2
    assert client.get("/api/v1/notifications/?unread=false").json()["count"] == 1
    assert post(client, f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None

    marked = post(client, "/api/v1/notifications/read-all/")
    assert marked.status_code == 200
    assert marked.json() == {"marked": 2}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_a_read_token_reads_notifications_but_cannot_mark_them(world: World) -> None:
    me = user_of(world, Role.OFSTED_SCHEDULER)
    (notice,) = _notify(me, 1)
    reader, _ = token_client(me)
    assert reader.get("/api/v1/notifications/").json()["count"] == 1
    assert post(reader, f"/api/v1/notifications/{notice.pk}/read/").status_code == 403
    assert post(reader, "/api/v1/notifications/read-all/").status_code == 403
    assert Notification.objects.get(pk=notice.pk).read_at is None
    narrowed, _ = token_client(me, scope="write", organisations=["ofsted"])
    assert narrowed.get("/api/v1/notifications/").json()["count"] == 0
    assert post(narrowed, f"/api/v1/notifications/{notice.pk}/read/").status_code == 404
    assert post(narrowed, "/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert Notification.objects.get(pk=notice.pk).read_at is None
    assert Client().get("/api/v1/notifications/").status_code in (401, 403)


def test_the_notifications_list_answers_in_a_fixed_number_of_queries(world: World) -> None:
    me = user_of(world, Role.OFSTED_SCHEDULER)
    client = client_for(me)
    path = "/api/v1/notifications/?unread=true&page_size=200"
    _notify(me, 2)
    small = queries(client, path)
    _notify(me, 18)
    assert queries(client, path) == small
    assert client.get(path).json()["count"] == 20


# Teams move the event's version on --------------------------------------------------------


def _vetted(name: str) -> Inspector:
    return Inspector.objects.create(
        name=name,
        email=f"{name.split()[0].lower()}@example.invalid",
        organisation=Organisation.HMI_PRISONS,
        grade=Grade.HMIP_INSPECTOR,
        dbs_level=DbsLevel.ENHANCED,
        dbs_checked_on=date(2025, 1, 6),
        dbs_renewal_due_on=date(2029, 1, 5),
        clearance=Clearance.SC,
    )


def test_a_second_team_change_with_the_old_etag_is_refused(world: World) -> None:
    coordinator = client_for(user_of(world, Role.HMIP_COORDINATOR))
    event_path = f"/api/v1/events/{world.secret.pk}/"
    etag = coordinator.get(event_path)["ETag"]
    assert etag == '"1"'
    first, second = _vetted("Ada First"), _vetted("Bo Second")
    added = post(coordinator, f"{event_path}team/", {"inspector": first.pk, "role": "inspector"}, 1)
    assert added.status_code == 201, added.content
    assert added["ETag"] == '"2"'
    assert coordinator.get(event_path)["ETag"] == '"2"'

    # Someone who read the event before the first change does not change its team unseen.
    body = {"inspector": second.pk, "role": "inspector"}
    stale = post(coordinator, f"{event_path}team/", body, 1)
    assert stale.status_code == 412
    assert not TeamMember.objects.filter(event=world.secret, inspector=second).exists()
    assert Event.objects.get(pk=world.secret.pk).version == 2

    member = TeamMember.objects.get(event=world.secret, inspector=first)
    removing = f"/api/v1/team-members/{member.pk}/"
    assert coordinator.delete(removing, headers={"If-Match": '"1"'}).status_code == 412
    assert TeamMember.objects.filter(pk=member.pk).exists()
    assert coordinator.delete(removing, headers={"If-Match": '"2"'}).status_code == 204
    assert Event.objects.get(pk=world.secret.pk).version == 3
    assert post(coordinator, f"{event_path}team/", body, 3).status_code == 201
    assert coordinator.get(event_path)["ETag"] == '"4"'


def test_the_team_services_refuse_a_stale_version_under_the_events_lock(world: World) -> None:
    from inspectorate.programme.teams import services as team_services

    coordinator = user_of(world, Role.HMIP_COORDINATOR)
    member = team_services.team_member_add(
        actor=coordinator, event=world.secret, inspector=_vetted("Cy Third"), role="inspector"
    )
    assert member.event.version == 2
    with pytest.raises(StaleVersion):
        team_services.team_member_add(
            actor=coordinator,
            event=world.secret,
            inspector=_vetted("Di Fourth"),
            role="inspector",
            version=1,
        )
    with pytest.raises(StaleVersion):
        team_services.team_member_remove(actor=coordinator, member=member, version=1)
    assert TeamMember.objects.filter(event=world.secret).count() == 2  # the world's and Cy's
    event = team_services.team_member_remove(actor=coordinator, member=member, version=2)
    assert event.version == Event.objects.get(pk=world.secret.pk).version == 3


def test_a_change_on_the_team_screen_makes_the_apis_etag_stale(world: World) -> None:
    coordinator = client_for(user_of(world, Role.HMIP_COORDINATOR))
    screen = reverse("programme:team-add", kwargs={"event_pk": world.secret.pk})
    on_screen = _vetted("Ed Screen")
    response = coordinator.post(screen, {"inspector": on_screen.pk, "role": "inspector"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TeamMember.objects.filter(event=world.secret, inspector=on_screen).exists()
    body = {"inspector": _vetted("Flo Api").pk, "role": "inspector"}
    assert post(coordinator, f"/api/v1/events/{world.secret.pk}/team/", body, 1).status_code == 412
    assert post(coordinator, f"/api/v1/events/{world.secret.pk}/team/", body, 2).status_code == 201


# Exports --------------------------------------------------------------------------------


@pytest.mark.rule("PG-3")
def test_the_programme_exports_as_csv_and_excel_logging_confidential_reads(world: World) -> None:
    year = world.secret.programme.year
    path = f"/api/v1/programmes/{year}/export/"
    coordinator = user_of(world, Role.HMIP_COORDINATOR)
    client, _ = token_client(coordinator)
    csv_file = client.get(path, headers={"Accept": "text/csv"})
    assert csv_file.status_code == 200, csv_file.content
    assert csv_file["Content-Type"].startswith("text/csv")
    assert f'filename="programme-{year}-{year + 1}.csv"' in csv_file["Content-Disposition"]
    assert "HMP Leeds" in csv_file.content.decode()
    workbook = client.get(f"{path}?as=xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(BytesIO(workbook.content)).active
    assert sheet is not None
    shown = Event.objects.filter(programme__year=year).count()
    assert sheet.max_row == shown + 1  # a header row, then one row per event
    logged = AccessEvent.objects.filter(actor=coordinator, record_id=str(world.secret.pk))
    assert logged.count() == 2  # each download logs the confidential event's read
    bad = client.get(f"{path}?as=pdf")
    assert bad.status_code == 400
    assert fields(bad) == ["as"]


def test_each_downloads_only_what_they_may_see(world: World) -> None:
    path = f"/api/v1/programmes/{world.secret.programme.year}/export/"
    # As on the programme page: each downloads the events they may see, never the
    # unannounced one (PG-3).
    for role in (Role.HMIP_INSPECTOR, Role.ESTABLISHMENT_USER):
        user = user_of(world, role)
        rows = client_for(user).get(path).content.decode().splitlines()
        visible = Event.objects.visible_to(user).filter(programme=world.secret.programme)
        assert len(rows) == 1 + visible.count()
        assert not visible.filter(pk=world.secret.pk).exists()
    narrowed, _ = token_client(user_of(world, Role.HMIP_COORDINATOR), organisations=["ofsted"])
    refused = narrowed.get(path)
    assert refused.status_code == 403
    assert "narrowed to organisations" in refused.json()["errors"][0]["message"]
