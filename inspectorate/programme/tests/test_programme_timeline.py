"""The establishment page's history lists the programme's events, as far as the user may see
them (PG-3), and logs the confidential ones shown."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.programme.constants import EventKind
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    make_establishment,
    make_event,
    make_programme,
)


@pytest.fixture
def leeds_events(db):
    leeds = make_establishment("LE", "HMP Leeds")
    programme = make_programme(2026)
    unannounced = make_event(
        programme, leeds, EventKind.FULL_INSPECTION, starts_on=date(2027, 1, 18)
    )
    past = make_event(programme, leeds, EventKind.FULL_INSPECTION, starts_on=date(2026, 5, 11))
    return leeds, unannounced, past


@pytest.mark.rule("PG-3")
@pytest.mark.parametrize(
    ("role", "sees_unannounced"),
    [
        (Role.HMIP_COORDINATOR, True),
        (Role.QUALITY_ASSURANCE, False),
        (Role.ESTABLISHMENT_USER, False),
    ],
)
def test_the_history_shows_events_per_pg3(client, make_user, leeds_events, role, sees_unannounced):
    leeds, unannounced, past = leeds_events
    user = make_user(role, establishment=leeds if role == Role.ESTABLISHMENT_USER else None)
    client.force_login(user)
    with time_machine.travel(NOON, tick=False):
        page = client.get(reverse("estate:establishment-detail", kwargs={"code": "LE"}))
    assert page.status_code == 200
    link = reverse("programme:event-detail", kwargs={"pk": unannounced.pk})
    assert (link in page.text) is sees_unannounced
    assert reverse("programme:event-detail", kwargs={"pk": past.pk}) in page.text
    logged = AccessEvent.objects.filter(actor=user, record_id=str(unannounced.pk)).count()
    assert logged == (1 if sees_unannounced else 0)
