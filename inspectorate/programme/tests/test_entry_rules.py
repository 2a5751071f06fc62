"""Rules checked where events are entered: days on site on a bank holiday of the
establishment's nation (WD-1) and an IRP outside its 8 to 12 month window (WD-2), each a
warning naming the rule that a recorded reason overrides, in the service, the screens and
the API."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.programme import services
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Amendment, Event
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    date_post,
    make_establishment,
    make_event,
    make_programme,
)

SUMMER_BANK_HOLIDAY = date(2026, 8, 31)  # a Monday, England and Wales
ST_ANDREWS_DAY = date(2026, 11, 30)  # a Monday, a bank holiday in Scotland only


@pytest.fixture(autouse=True)
def _on_22_november():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def programme(db):
    return make_programme(2026)


@pytest.fixture
def leeds(db):
    return make_establishment("LE", "HMP Leeds")


def _full(actor, programme, establishment, starts_on, **values):
    return services.event_schedule(
        actor=actor,
        programme=programme,
        kind=EventKind.FULL_INSPECTION,
        establishment=establishment,
        starts_on=starts_on,
        **values,
    )


@pytest.mark.rule("WD-1")
def test_a_full_inspection_starting_on_a_bank_holiday_needs_a_reason(
    coordinator, programme, leeds
) -> None:
    with pytest.raises(OverrideNeeded) as warned:
        _full(coordinator, programme, leeds, SUMMER_BANK_HOLIDAY)
    message = warned.value.warnings["starts_on"]
    assert "31 August 2026 is a bank holiday in England and Wales" in message
    assert "(WD-1)" in message
    assert not Event.objects.exists()

    event = _full(
        coordinator, programme, leeds, SUMMER_BANK_HOLIDAY, override_reason="Only week free"
    )
    assert "Went ahead although 31 August 2026 is a bank holiday" in event.notes
    assert event.notes.endswith("Reason: Only week free")


@pytest.mark.rule("WD-1")
def test_bank_holidays_are_those_of_the_establishments_nation(
    coordinator, programme, leeds
) -> None:
    cardiff = make_establishment("CF", "HMP Cardiff", nation="wales")
    scottish = make_establishment("SC", "HMP Scotland", nation="scotland")
    # St Andrew's Day is a bank holiday in Scotland only.
    assert _full(coordinator, programme, leeds, ST_ANDREWS_DAY).starts_on == ST_ANDREWS_DAY
    with pytest.raises(OverrideNeeded) as warned:
        _full(coordinator, programme, scottish, ST_ANDREWS_DAY)
    assert "bank holiday in Scotland" in warned.value.warnings["starts_on"]
    # England and Wales share theirs; Christmas falls in the second week here.
    with pytest.raises(OverrideNeeded) as warned:
        _full(coordinator, programme, cardiff, date(2026, 12, 14))
    assert "25 December 2026 and 28 December 2026" not in warned.value.warnings["starts_on"]
    assert (
        "25 December 2026 is a bank holiday in England and Wales"
        in (warned.value.warnings["starts_on"])
    )


@pytest.mark.rule("WD-1")
def test_moving_an_event_onto_a_bank_holiday_needs_a_reason(coordinator, programme, leeds) -> None:
    event = _full(coordinator, programme, leeds, date(2027, 1, 11))
    christmas_week = date(2026, 12, 28)  # the Boxing Day bank holiday, then New Year's Day
    with pytest.raises(OverrideNeeded) as warned:
        services.event_move(
            actor=coordinator, event=event, version=event.version, starts_on=christmas_week
        )
    assert (
        "28 December 2026, 1 January 2027 are bank holidays" in warned.value.warnings["starts_on"]
    )
    event.refresh_from_db()
    assert event.starts_on == date(2027, 1, 11)
    moved = services.event_move(
        actor=coordinator,
        event=event,
        version=event.version,
        starts_on=christmas_week,
        override_reason="The establishment asked for it",
    )
    assert moved.starts_on == christmas_week
    assert "Reason: The establishment asked for it" in moved.notes


@pytest.mark.rule("WD-2")
def test_an_irp_outside_its_8_to_12_month_window_needs_a_reason(
    coordinator, programme, leeds
) -> None:
    earlier = make_programme(2025)
    full = make_event(earlier, leeds, starts_on=date(2025, 6, 9))  # ends 20 June 2025
    assert services.irp_window(full) == (date(2026, 2, 20), date(2026, 6, 19))

    def irp(starts_on, **values):
        return services.event_schedule(
            actor=coordinator,
            programme=programme,
            kind=EventKind.IRP,
            establishment=leeds,
            starts_on=starts_on,
            follows_up=full,
            **values,
        )

    with pytest.raises(OverrideNeeded) as warned:
        irp(date(2026, 9, 1))
    assert warned.value.warnings == {
        "follows_up": "An IRP takes place 8 to 12 months after the full inspection it follows "
        "up: from 20 February 2026 to 19 June 2026 (WD-2). To go ahead, give the reason."
    }
    assert irp(date(2026, 6, 9)).starts_on == date(2026, 6, 9)  # inside: no warning


@pytest.mark.rule("WD-1")
def test_the_schedule_form_asks_for_the_reason_and_keeps_it(coordinator, programme, leeds):
    client = Client()
    client.force_login(coordinator)
    url = reverse("programme:event-schedule", kwargs={"year": 2026})
    data = {
        "kind": EventKind.FULL_INSPECTION,
        "establishment": "LE",
        **date_post("starts_on", SUMMER_BANK_HOLIDAY),
    }
    warned = client.post(url, data)
    assert warned.status_code == 400
    assert "is a bank holiday in England and Wales" in warned.text
    assert "Reason for going ahead despite the warning" in warned.text
    assert not Event.objects.exists()
    done = client.post(url, {**data, "override_reason": "Agreed with the governor"})
    assert done.status_code == 302
    assert Event.objects.get().notes.endswith("Reason: Agreed with the governor")


@pytest.mark.rule("WD-1")
def test_the_api_answers_400_naming_the_rule_until_a_reason_is_given(
    coordinator, programme, leeds
) -> None:
    client = Client()
    client.force_login(coordinator)
    body = {
        "programme": 2026,
        "kind": EventKind.FULL_INSPECTION,
        "establishment": leeds.pk,
        "starts_on": SUMMER_BANK_HOLIDAY.isoformat(),
    }
    headers = {"If-Match": f'"{programme.version}"'}
    warned = client.post("/api/v1/events/", body, content_type="application/json", headers=headers)
    assert warned.status_code == 400
    [problem] = warned.json()["errors"]
    assert (problem["field"], problem["code"]) == ("starts_on", "override_needed")
    assert "(WD-1)" in problem["message"]
    body["override_reason"] = "Only week free"
    done = client.post("/api/v1/events/", body, content_type="application/json", headers=headers)
    assert done.status_code == 201, done.content
    assert not Amendment.objects.exists()  # a draft programme: no amendment
