"""IN-9: a full probation inspection is five days on site, starting about 12:00 on Monday
(earlier, about 9:00, when it starts on another day)."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.programme import services
from inspectorate.programme.constants import EventKind
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    make_establishment,
    make_programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def yorkshire():
    return make_establishment(
        "PY", "Probation Service Yorkshire", kind="probation_area", probation_group=2
    )


@pytest.mark.rule("IN-9")
def test_a_full_probation_inspection_is_five_days_on_site_from_monday_noon(
    make_user, yorkshire, client
) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR, username="coordinator")
    monday = date(2027, 1, 11)
    event = services.event_schedule(
        actor=coordinator,
        programme=make_programme(2026),
        kind=EventKind.FULL_INSPECTION,
        establishment=yorkshire,
        starts_on=monday,
    )
    assert event.ends_on == date(2027, 1, 15)  # Monday to Friday: five days on site
    assert services.on_site_from(event.kind, event.starts_on, yorkshire) == time(12, 0)
    client.force_login(coordinator)
    page = client.get(reverse("programme:event-detail", kwargs={"pk": event.pk}))
    assert "on site from 12:00 on the first day (IN-9)" in page.text


@pytest.mark.rule("IN-9")
def test_starting_on_another_day_starts_earlier(yorkshire) -> None:
    tuesday = date(2027, 1, 12)
    assert services.on_site_from(EventKind.FULL_INSPECTION, tuesday, yorkshire) == time(9, 0)


@pytest.mark.rule("IN-9")
def test_a_prison_inspection_keeps_its_two_weeks() -> None:
    leeds = make_establishment("LE", "HMP Leeds")
    monday = date(2027, 1, 11)
    assert services.default_ends_on(EventKind.FULL_INSPECTION, monday, leeds) == date(2027, 1, 22)
    assert services.on_site_from(EventKind.FULL_INSPECTION, monday, leeds) is None
