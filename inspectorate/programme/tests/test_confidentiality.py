"""PG-3: what each role sees of one unannounced full inspection, on every surface.

HMP Leeds has an unannounced full inspection from 11 January 2027 ("the inspection"); "today"
is 22 November 2026. It must be seen by the programme staff (coordinator, team leader, Ofsted
scheduler) and by the inspector on its team, and by nobody else: not on the programme page,
the calendar, the event page, a search or filter, the CSV export, a count or an error
message. Leeds' own establishment user learns of it only when it starts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.constants import EventKind, ProgrammeStatus, TeamRole
from inspectorate.programme.models import Event, TeamMember
from inspectorate.programme.selectors import EventFilters, filtered_events
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    make_establishment,
    make_event,
    make_programme,
)

START = date(2027, 1, 11)
ROLES_WHO_SEE = {"coordinator", "team_leader", "scheduler", "inspector_on_team"}
ROLES_WHO_DO_NOT = {
    "inspector_not_on_team",
    "quality_assurance",
    "improvement_hmi",
    "leeds_user",
    "wakefield_user",
}
ALL_ROLES = sorted(ROLES_WHO_SEE | ROLES_WHO_DO_NOT)
# (full inspections, IRPs) counted on the programme page, where not the staff's (1, 1): the
# past Wakefield inspection and the announced Leeds IRP, or the entitled's (2, 1).
EXPECTED_COUNTS = {"leeds_user": (0, 1), "wakefield_user": (1, 0)}


@pytest.fixture(autouse=True)
def _on_22_november():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def world(db, make_user):
    leeds = make_establishment("LE", "HMP Leeds")
    wakefield = make_establishment("WD", "HMP Wakefield")
    programme = make_programme(2026, ProgrammeStatus.CONFIRMED)
    inspection = make_event(programme, leeds, starts_on=START)  # unannounced, confidential
    # Controls: an announced IRP at Leeds and a past inspection at Wakefield, which their
    # own establishment users may see.
    irp = make_event(
        programme, leeds, kind=EventKind.IRP, starts_on=date(2026, 12, 7),
        announced_on=date(2026, 9, 1),
    )  # fmt: skip
    past = make_event(programme, wakefield, starts_on=date(2026, 6, 1))

    users = {
        "coordinator": make_user(Role.HMIP_COORDINATOR),
        "team_leader": make_user(Role.HMIP_TEAM_LEADER),
        "scheduler": make_user(Role.OFSTED_SCHEDULER),
        "inspector_on_team": make_user(Role.HMIP_INSPECTOR, username="on_team"),
        "inspector_not_on_team": make_user(Role.HMIP_INSPECTOR, username="not_on_team"),
        "quality_assurance": make_user(Role.QUALITY_ASSURANCE),
        "improvement_hmi": make_user(Role.IMPROVEMENT_HMI),
        "leeds_user": make_user(Role.ESTABLISHMENT_USER, username="leeds", establishment=leeds),
        "wakefield_user": make_user(
            Role.ESTABLISHMENT_USER, username="wakefield", establishment=wakefield
        ),
    }
    on_team = Inspector.objects.create(
        user=users["inspector_on_team"],
        name="Deborah Okafor",
        email="deborah@hmip.invalid",
        organisation="hmip",
        grade="hmip_inspector",
    )
    TeamMember.objects.create(
        event=inspection, inspector=on_team, role=TeamRole.INSPECTOR,
        starts_on=inspection.starts_on, ends_on=inspection.ends_on,
    )  # fmt: skip
    return {
        "programme": programme,
        "inspection": inspection,
        "irp": irp,
        "past": past,
        "users": users,
    }


def _client(client, world, role):
    client.force_login(world["users"][role])
    return client


def _link(event: Event) -> str:
    return f'href="/programme/events/{event.pk}/"'


def _body(response) -> str:
    """The page without its per-response tokens (the sign-out form's CSRF and idempotency)."""
    return re.sub(
        r'name="(csrfmiddlewaretoken|idempotency_token)" value="[^"]*"',
        "",
        response.content.decode(),
    )


def _csv_ids(text: str) -> set[int]:
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(text))}


def _count(page: str, kind: str) -> int:
    marker = f'data-kind="{kind}">'
    return int(page.split(marker, 1)[1].split("<", 1)[0])


@pytest.mark.rule("PG-3")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_sees_the_unannounced_inspection_only_if_entitled(client, world, role):
    client = _client(client, world, role)
    inspection = world["inspection"]
    sees = role in ROLES_WHO_SEE
    programme_url = reverse("programme:detail", kwargs={"year": 2026})
    calendar_url = reverse("programme:calendar", kwargs={"year": 2026})
    export_url = reverse("programme:export", kwargs={"year": 2026})
    event_url = reverse("programme:event-detail", kwargs={"pk": inspection.pk})

    # The programme page: the row and the counts.
    page = client.get(programme_url)
    assert page.status_code == 200
    assert (_link(inspection) in page.text) is sees
    full, irps = EXPECTED_COUNTS.get(role, (2, 1) if sees else (1, 1))
    assert (_count(page.text, "full_inspection"), _count(page.text, "irp")) == (full, irps)
    assert _count(page.text, "total") == full + irps

    # The list of programmes: its count of the events they may see.
    listing = client.get(reverse("programme:list")).context["rows"]
    assert listing[0].events == full + irps

    # The calendar, unfiltered and filtered to Leeds (search), and by kind.
    for query in ({}, {"q": "LE"}, {"q": "Leeds", "kind": EventKind.FULL_INSPECTION}):
        calendar = client.get(calendar_url, query)
        assert calendar.status_code == 200
        assert (_link(inspection) in calendar.text) is sees
        assert (inspection in calendar.context["events"]) is sees
    filtered = client.get(calendar_url, {"q": "Leeds", "kind": EventKind.FULL_INSPECTION})
    expected = "1 event matches your filters" if sees else "0 events match your filters"
    assert expected in filtered.text

    # The CSV export, whole and filtered.
    assert (inspection.pk in _csv_ids(client.get(export_url).content.decode())) is sees
    leeds_only = client.get(export_url, {"q": "LE"}).content.decode()
    assert (inspection.pk in _csv_ids(leeds_only)) is sees

    # The event page, and every action on it: those not entitled get exactly the answer
    # a missing event gets, never a 403 that would confirm it exists.
    missing = reverse("programme:event-detail", kwargs={"pk": inspection.pk + 1000})
    not_found = client.get(missing)
    response = client.get(event_url)
    if sees:
        assert response.status_code == 200
        assert "Full inspection of HMP Leeds" in response.text
        assert "Unannounced" in response.text
    else:
        assert response.status_code == 404
        assert _body(response) == _body(not_found)
        for action in ("event-move", "event-cancel", "event-announce"):
            url = reverse(f"programme:{action}", kwargs={"pk": inspection.pk})
            for answer in (client.get(url), client.post(url, {"version": "1", "reason": "x"})):
                assert answer.status_code == 404, action
                assert _body(answer) == _body(not_found)
    inspection.refresh_from_db()
    assert inspection.status == "planned"
    assert inspection.announced_on is None

    # Nothing in their notifications either.
    notifications = client.get(reverse("programme:notifications"))
    assert _link(inspection) not in notifications.text


@pytest.mark.rule("PG-3")
def test_the_selector_and_visible_to_agree_for_every_role(world) -> None:
    inspection = world["inspection"]
    for role, user in world["users"].items():
        events = set(filtered_events(user, world["programme"], EventFilters()))
        assert (inspection in events) is (role in ROLES_WHO_SEE), role
        if user.is_establishment_user:
            assert {e.establishment_id for e in events} == {user.establishment_id}


@pytest.mark.rule("PG-3")
def test_anonymous_users_see_nothing(client, world) -> None:
    for url in (
        reverse("programme:list"),
        reverse("programme:detail", kwargs={"year": 2026}),
        reverse("programme:calendar", kwargs={"year": 2026}),
        reverse("programme:export", kwargs={"year": 2026}),
        reverse("programme:event-detail", kwargs={"pk": world["inspection"].pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    from django.contrib.auth.models import AnonymousUser

    assert not Event.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.rule("PG-3")
def test_the_establishment_sees_the_inspection_once_it_starts(client, world) -> None:
    inspection = world["inspection"]
    leeds_user = world["users"]["leeds_user"]
    wakefield_user = world["users"]["wakefield_user"]
    event_url = reverse("programme:event-detail", kwargs={"pk": inspection.pk})
    client.force_login(leeds_user)
    assert client.get(event_url).status_code == 404

    day_before = dt.datetime(2027, 1, 10, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(day_before, tick=False):
        client.force_login(leeds_user)  # a fresh session: idle ones expire
        assert client.get(event_url).status_code == 404
    first_morning = dt.datetime(2027, 1, 11, 7, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(first_morning, tick=False):
        client.force_login(leeds_user)
        page = client.get(event_url)
        assert page.status_code == 200
        assert "On site" in page.text
        assert "Unannounced: these dates are confidential" not in page.text
        calendar = client.get(reverse("programme:calendar", kwargs={"year": 2026}))
        assert _link(inspection) in calendar.text
        export = client.get(reverse("programme:export", kwargs={"year": 2026}))
        assert inspection.pk in _csv_ids(export.content.decode())
        # Another establishment's user still never sees it.
        client.force_login(wakefield_user)
        assert client.get(event_url).status_code == 404


@pytest.mark.rule("PG-3")
def test_the_establishment_sees_an_irp_once_announced(client, world) -> None:
    irp = world["irp"]
    Event.objects.filter(pk=irp.pk).update(announced_on=date(2026, 11, 30))
    client.force_login(world["users"]["leeds_user"])
    url = reverse("programme:event-detail", kwargs={"pk": irp.pk})
    assert client.get(url).status_code == 404
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/London"))):
        client.force_login(world["users"]["leeds_user"])
        assert client.get(url).status_code == 200


@pytest.mark.rule("PG-3")
def test_every_view_of_a_confidential_date_is_logged(client, world) -> None:
    inspection = world["inspection"]
    client.force_login(world["users"]["scheduler"])

    def logged(purpose: str) -> int:
        return AccessEvent.objects.filter(
            record_type="programme.event", record_id=str(inspection.pk), purpose=purpose
        ).count()

    client.get(reverse("programme:event-detail", kwargs={"pk": inspection.pk}))
    assert logged("view") == 1
    client.get(reverse("programme:calendar", kwargs={"year": 2026}))
    client.get(reverse("programme:detail", kwargs={"year": 2026}))
    assert logged("view") == 3
    client.get(reverse("programme:export", kwargs={"year": 2026}))
    assert logged("export") == 1
    entry = AccessEvent.objects.filter(record_id=str(inspection.pk)).first()
    assert entry is not None
    assert entry.actor == world["users"]["scheduler"]
    assert entry.record_label.startswith("Full inspection of HMP Leeds")
    # Announced or started events are not confidential: their views are not logged.
    client.get(reverse("programme:event-detail", kwargs={"pk": world["past"].pk}))
    assert not AccessEvent.objects.filter(record_id=str(world["past"].pk)).exists()


@pytest.mark.rule("PG-3")
def test_those_not_entitled_leave_no_access_log_and_no_trace(client, world) -> None:
    client.force_login(world["users"]["leeds_user"])
    client.get(reverse("programme:calendar", kwargs={"year": 2026}))
    client.get(reverse("programme:event-detail", kwargs={"pk": world["inspection"].pk}))
    assert not AccessEvent.objects.exists()


@pytest.mark.rule("PG-3")
def test_amendments_which_name_confidential_dates_are_for_programme_staff(client, world):
    from inspectorate.programme import services

    coordinator = world["users"]["coordinator"]
    services.event_move(
        actor=coordinator, event=world["irp"], version=1, starts_on=date(2026, 12, 8)
    )
    services.event_move(
        actor=coordinator, event=world["inspection"], version=1, starts_on=date(2027, 2, 1)
    )
    programme_url = reverse("programme:detail", kwargs={"year": 2026})
    irp_url = reverse("programme:event-detail", kwargs={"pk": world["irp"].pk})
    client.force_login(coordinator)
    assert "Moved: Full inspection of HMP Leeds" in client.get(programme_url).text
    assert "Moved: Independent review" in client.get(irp_url).text
    for role in ("leeds_user", "quality_assurance", "inspector_on_team"):
        client.force_login(world["users"][role])
        page = client.get(programme_url).text
        assert "Moved:" not in page
        assert "Amendments" not in page
        assert "Moved:" not in client.get(irp_url).text
