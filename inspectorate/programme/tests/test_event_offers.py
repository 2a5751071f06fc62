"""Issue 22: what the event page offers (Move, Announce, Cancel) and what the programme list
offers ("Draft a programme") agree, for every role, with what the POST behind each offer
does. Permitted means the POST of a valid form changes the record (tried, then rolled back)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.programme import services
from inspectorate.programme.constants import EventKind, EventStatus, ProgrammeStatus
from inspectorate.programme.models import Event, Programme
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    date_post,
    make_establishment,
    make_event,
    make_programme,
)

ACTIONS = ("move", "announce", "cancel")


@pytest.fixture(autouse=True)
def _on_22_november():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def events(db) -> dict[str, Event]:
    programme = make_programme(2026, ProgrammeStatus.CONFIRMED)

    def event(code: str, starts_on: date, **values: Any) -> Event:
        return make_event(programme, make_establishment(code), starts_on=starts_on, **values)

    return {
        "unannounced": event("UN", date(2027, 1, 11)),
        "announced": event("AN", date(2027, 2, 8), announced_on=date(2026, 10, 1)),
        "on site": event("OS", date(2026, 11, 16)),
        "took place": event("TP", date(2026, 10, 5), announced_on=date(2026, 9, 1)),
        "cancelled": event("CA", date(2027, 3, 1), status=EventStatus.CANCELLED),
        "ofsted standalone": event(
            "OF", date(2027, 1, 18), kind=EventKind.OFSTED_STANDALONE, ends_on=date(2027, 1, 20)
        ),
    }


def _post(action: str, event: Event) -> dict[str, str]:
    version = {"version": str(event.version)}
    if action == "move":
        return {
            **version, "reason": "", "education_week_reason": "",
            **date_post("starts_on", event.starts_on + timedelta(days=7)),
            **date_post("ends_on", None), **date_post("education_week_starts_on", None),
        }  # fmt: skip
    if action == "cancel":
        return {**version, "reason": "Staff shortage"}
    # Announced today, or on its first day if it has started (a record of what was done).
    announced_on = min(date(2026, 11, 22), event.starts_on)
    return {**version, "override_reason": "", **date_post("announced_on", announced_on)}


def _permitted(client: Any, action: str, event: Event) -> bool:
    """Whether the POST behind the offer changes the event; nothing is kept."""
    url = reverse(f"programme:event-{action}", kwargs={"pk": event.pk})
    with transaction.atomic():
        response = client.post(url, _post(action, event))
        changed = Event.objects.get(pk=event.pk).version != event.version
        transaction.set_rollback(True)
    assert changed == (response.status_code == 302), (action, response.status_code)
    return changed


@pytest.mark.rule("PG-3")
@pytest.mark.parametrize("role", list(Role))
def test_each_offer_on_the_event_page_is_exactly_what_the_role_may_do(
    client, make_user, events, role
) -> None:
    establishment = events["announced"].establishment if role == Role.ESTABLISHMENT_USER else None
    client.force_login(make_user(role, establishment=establishment))
    for state, event in events.items():
        page = client.get(reverse("programme:event-detail", kwargs={"pk": event.pk}))
        for action in ACTIONS:
            link = f'href="/programme/events/{event.pk}/{action}/"'
            offered = page.status_code == 200 and link in page.text
            assert offered == _permitted(client, action, event), (role, state, action, offered)


@pytest.mark.rule("PG-1")
@pytest.mark.parametrize("role", list(Role))
def test_draft_a_programme_is_offered_exactly_to_who_may_draft_one(
    client, make_user, establishment, role
) -> None:
    local = establishment if role == Role.ESTABLISHMENT_USER else None
    client.force_login(make_user(role, establishment=local))
    page = client.get(reverse("programme:list"))
    offered = page.status_code == 200 and "Draft a programme" in page.text
    response = client.post(reverse("programme:create"), {"year": "2028"})
    drafted = Programme.objects.filter(year=2028).exists()
    assert drafted == (response.status_code == 302)
    assert offered == drafted, (role, offered)


@pytest.mark.rule("HI-1")
def test_an_event_that_took_place_is_neither_moved_nor_cancelled(client, make_user, events) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR)
    past = events["took place"]
    with pytest.raises(PermissionDenied):
        services.event_move(actor=coordinator, event=past, version=1, starts_on=date(2026, 10, 12))
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=coordinator, event=past, version=1, reason="Too late")
    past.refresh_from_db()
    assert (past.starts_on, past.status, past.version) == (date(2026, 10, 5), "planned", 1)
    client.force_login(coordinator)
    page = client.get(reverse("programme:event-detail", kwargs={"pk": past.pk})).text
    assert f"/programme/events/{past.pk}/move/" not in page
    assert f"/programme/events/{past.pk}/cancel/" not in page
