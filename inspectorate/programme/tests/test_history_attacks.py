"""Bad input to "Record a past event" (HI-1), and what the page of a past event says: each
refusal names its field and records nothing; a past event's page says nothing is to come."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.programme.constants import EventKind
from inspectorate.programme.history import record_historical_event
from inspectorate.programme.models import Event, Milestone
from inspectorate.programme.teams.selectors import team_warnings
from inspectorate.programme.tests.test_milestone_helpers import NOON, make_event
from inspectorate.programme.tests.test_team_helpers import make_establishment

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def wealstun() -> Any:
    return make_establishment("WE", "HMP Wealstun")


def _form(wealstun: Any, **changes: str) -> dict[str, str]:
    data = {
        "kind": EventKind.FULL_INSPECTION,
        "establishment": wealstun.code,
        "starts_on_day": "9",
        "starts_on_month": "5",
        "starts_on_year": "2022",
        "source": "HMI Prisons report on HMP Wealstun, published 2 September 2022",
    }
    return {**data, **changes}


@pytest.mark.rule("HI-1")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_on_year": "2099"}, "the end date must be before today"),
        ({"source": "From\x00the file"}, "Where this record comes from must not contain a null"),
        ({"notes": "n\x00"}, "Notes must not contain a null character"),
        ({"establishment": "WE\x00"}, "Select an establishment from the list"),
        ({"establishment": "NOPE"}, "Select an establishment from the list"),
        ({"source": "x" * 2001}, "Where this record comes from must be 2000 characters or fewer"),
        ({"starts_on_year": "99999999999"}, "The year of the start date must be 4 numbers"),
        (
            {"ends_on_day": "1", "ends_on_month": "1", "ends_on_year": "2022"},
            "End date must be on or after the start date",
        ),
        ({"kind": "irp", "follows_up": "99999999999999999999"}, "Select the inspection followed"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_records_nothing(
    make_user: Any, coordinator: Any, wealstun: Any, changes: dict[str, str], message: str
) -> None:
    client = Client(raise_request_exception=True)
    client.force_login(coordinator)
    answer = client.post("/programme/history/new/", _form(wealstun, **changes))
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Event.objects.exists()


@pytest.mark.rule("HI-1")
def test_markup_in_the_source_is_kept_as_text(coordinator: Any, wealstun: Any) -> None:
    client = Client(raise_request_exception=True)
    client.force_login(coordinator)
    typed = "{{ request.user }} {% debug %} <script>alert(1)</script>"
    answer = client.post("/programme/history/new/", _form(wealstun, source=typed))
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "{{ request.user }} {% debug %} &lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.rule("HI-1")
def test_a_past_events_page_says_what_was_recorded_not_what_is_still_to_come(
    coordinator: Any, wealstun: Any
) -> None:
    event = record_historical_event(
        actor=coordinator,
        establishment=wealstun,
        kind=EventKind.FULL_INSPECTION,
        starts_on=date(2022, 5, 9),
        source="HMI Prisons report on HMP Wealstun, published 2 September 2022",
    )
    assert team_warnings(event, []) == [
        "No HMI Prisons team leader is recorded for this past event.",
        "TM-3 (one lead inspector for education): no Ofsted lead inspector is recorded for "
        "this past event (see also PG-6).",
    ]
    client = Client(raise_request_exception=True)
    client.force_login(coordinator)
    page = " ".join(client.get(f"/programme/events/{event.pk}/").content.decode().split())
    assert "yet" not in page.replace("not yet", "")
    assert "No one is recorded on the team of this past event." in page
    assert "Not announced" not in page


@pytest.mark.rule("HI-1")
def test_the_date_met_refuses_a_null_character_and_a_tampered_page_in_words(
    coordinator: Any, wealstun: Any
) -> None:
    event = record_historical_event(
        actor=coordinator,
        establishment=wealstun,
        kind=EventKind.FULL_INSPECTION,
        starts_on=date(2022, 5, 9),
        source="HMI Prisons report on HMP Wealstun, published 2 September 2022",
    )
    milestone = Milestone.objects.filter(event=event).order_by("-due_on").first()
    assert milestone is not None
    client = Client(raise_request_exception=True)
    client.force_login(coordinator)
    address = reverse("programme:milestone-record-met", args=[milestone.pk])
    typed = {"met_on_day": "1", "met_on_month": "5", "met_on_year": "2022"}
    answer = client.post(address, {**typed, "met_on_day": "1\x00", "version": milestone.version})
    assert answer.status_code == 400
    assert "Date the deadline was met must not contain a null character" in (
        answer.content.decode()
    )
    # A hidden field that is not a number (an edited page): the summary says what to do.
    answer = client.post(address, {**typed, "version": "abc"})
    assert answer.status_code == 400
    summary = answer.content.decode().split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "The page was out of date or incomplete when it was sent: reload it" in summary
    milestone.refresh_from_db()
    assert milestone.met_on is None


@pytest.mark.rule("PG-5")
def test_the_reason_a_deadline_was_impossible_refuses_bad_input_naming_it(coordinator) -> None:
    with time_machine.travel(NOON, tick=False):
        event = make_event(starts_on=date(2027, 1, 11))
        milestone = Milestone.objects.get(event=event, rule_code="pg5_ofsted_notified")
        client = Client(raise_request_exception=True)
        client.force_login(coordinator)
        address = reverse("programme:milestone-explain-impossible", args=[milestone.pk])
        for reason, message in (
            ("Added\x00late", "The reason must not contain a null character"),
            ("x" * 2001, "The reason must be 2000 characters or fewer"),
        ):
            answer = client.post(address, {"reason": reason, "version": milestone.version})
            assert answer.status_code == 400
            assert message in answer.content.decode()
        milestone.refresh_from_db()
        assert milestone.impossible_reason == ""
