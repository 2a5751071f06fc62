"""An inspector's calendar shows an unannounced inspection's dates only to those who may see
the unannounced programme: programme staff and the event's own team (PG-3, finding 6)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspectors.services import inspector_book
from inspectorate.programme.teams.services import booking_label

pytestmark = pytest.mark.django_db
SHOWN = "Mon 8 March 2027"  # the unannounced IRP's first day


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def booked():
    secret = h.irp(None)  # unannounced, from Monday 8 March 2027
    member = h.team_inspector(secret)
    inspector_book(
        actor=h.user(Role.HMIP_COORDINATOR),
        inspector=member.inspector,
        starts_on=secret.starts_on,
        ends_on=secret.ends_on,
        label=booking_label(secret),
        source=secret,
    )
    return secret, member


def calendar_for(client: Client, viewer, member) -> str:
    client.force_login(viewer)
    page = client.get(reverse("inspectors:detail", kwargs={"pk": member.inspector.pk}))
    assert page.status_code == 200
    return page.text


@pytest.mark.parametrize(
    "role", [Role.OFSTED_INSPECTOR, Role.HMIP_INSPECTOR, Role.OFSTED_LEAD_INSPECTOR]
)
def test_staff_on_no_team_do_not_see_the_dates(client: Client, booked, role) -> None:
    _secret, member = booked
    assert SHOWN not in calendar_for(client, h.user(role), member)


@pytest.mark.parametrize("role", [Role.HMIP_COORDINATOR, Role.OFSTED_SCHEDULER])
def test_programme_staff_see_the_dates(client: Client, booked, role) -> None:
    _secret, member = booked
    assert SHOWN in calendar_for(client, h.user(role), member)


def test_the_team_sees_its_own_dates(client: Client, booked) -> None:
    secret, member = booked
    assert SHOWN in calendar_for(client, member, member)
    assert SHOWN in calendar_for(client, h.team_inspector(secret), member)
