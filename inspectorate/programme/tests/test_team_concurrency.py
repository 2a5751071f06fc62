"""Two people assigning at the same moment: one wins, the other is refused, nothing is lost."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from inspectorate.accounts.roles import Role
from inspectorate.inspectors.constants import Organisation
from inspectorate.inspectors.models import InspectorBooking
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import TeamMember
from inspectorate.programme.teams.services import team_member_add
from inspectorate.programme.tests.test_team_helpers import (
    make_establishment,
    make_event,
    make_inspector,
)


def _race(first_call, second_call) -> dict[str, object]:
    """Run `first_call` in a transaction held open while `second_call` runs in another
    thread (its own database connection); return what the second one got."""
    first_written = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                first_call()
                first_written.set()
                time.sleep(0.5)  # the second request arrives while this one is open
        finally:
            first_written.set()
            connection.close()

    def second() -> None:
        first_written.wait(5)
        try:
            second_call()
            outcome["second"] = "added"
        except ValidationError as error:
            outcome["second"] = error.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    return outcome


@pytest.mark.rule("TM-5")
@pytest.mark.django_db(transaction=True)
def test_one_inspector_put_on_two_events_at_once_is_refused_by_the_database(make_user) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR)
    leeds = make_event(announced_on=date(2026, 1, 5))
    wakefield = make_event(
        make_establishment("WD", "HMP Wakefield"),
        starts_on=date(2027, 6, 14),
        announced_on=date(2026, 1, 5),
    )
    raced = make_inspector("Lee Raced")

    outcome = _race(
        lambda: team_member_add(actor=coordinator, event=leeds, inspector=raced, role="inspector"),
        lambda: team_member_add(
            actor=coordinator, event=wakefield, inspector=raced, role="inspector"
        ),
    )
    # The second request's own check saw nothing (the first was not yet committed); the
    # exclusion constraint refused its booking, and the refusal names the clash.
    assert outcome["second"] == [
        "TM-5 (double booking and leave): Lee Raced is already booked from 7 June 2027 to "
        "18 June 2027 (Full inspection of HMP Leeds)."
    ]
    assert list(TeamMember.objects.values_list("event_id", flat=True)) == [leeds.pk]
    assert InspectorBooking.objects.filter(inspector=raced).count() == 1


@pytest.mark.rule("TM-3")
@pytest.mark.django_db(transaction=True)
def test_two_leads_named_at_once_leave_exactly_one(make_user) -> None:
    scheduler = make_user(Role.OFSTED_SCHEDULER)
    event = make_event()
    helen = make_inspector("Helen Marsh", Organisation.OFSTED)
    sam = make_inspector("Sam Second", Organisation.OFSTED)

    outcome = _race(
        lambda: team_member_add(
            actor=scheduler, event=event, inspector=helen, role=TeamRole.OFSTED_LEAD
        ),
        lambda: team_member_add(
            actor=scheduler, event=event, inspector=sam, role=TeamRole.OFSTED_LEAD
        ),
    )
    assert outcome["second"] == [
        "TM-3 (one lead inspector for education): the event already has an Ofsted lead "
        "inspector, Helen Marsh. Remove them first."
    ]
    leads = TeamMember.objects.filter(event=event, role=TeamRole.OFSTED_LEAD)
    assert [lead.inspector.name for lead in leads] == ["Helen Marsh"]
    assert not InspectorBooking.objects.filter(inspector=sam).exists()
