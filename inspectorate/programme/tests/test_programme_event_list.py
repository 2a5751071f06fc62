"""The programme page's list of events: filtered by establishment, kind and status, paged with
the filters kept, bad values reported by field; an unannounced event stays hidden from those
who may not know of it however they filter (PG-3), and only the events shown are logged as
read."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.lib import listing
from inspectorate.programme.constants import EventKind
from inspectorate.programme.tests.test_programme_helpers import (
    make_establishment,
    make_event,
    make_programme,
)

pytestmark = pytest.mark.django_db

URL = reverse("programme:detail", kwargs={"year": 2027})


@pytest.fixture
def events(db):
    programme = make_programme(2027)
    return {
        "leeds": make_event(
            programme, make_establishment("LE", "HMP Leeds"), starts_on=date(2027, 5, 10)
        ),
        "belmarsh": make_event(
            programme,
            make_establishment("BL", "HMP Belmarsh"),
            kind=EventKind.IRP,
            starts_on=date(2027, 6, 7),
        ),
    }


def detail(event) -> str:
    return reverse("programme:event-detail", kwargs={"pk": event.pk})


@pytest.mark.rule("PG-3")
def test_the_coordinator_filters_the_events(client, events, make_user) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    page = client.get(URL)
    assert detail(events["leeds"]) in page.text
    assert detail(events["belmarsh"]) in page.text
    for query, shown, hidden in [
        ({"establishment": "leeds"}, "leeds", "belmarsh"),
        ({"establishment": "BL"}, "belmarsh", "leeds"),
        ({"kind": EventKind.IRP}, "belmarsh", "leeds"),
    ]:
        page = client.get(URL, query)
        assert detail(events[shown]) in page.text, query
        assert detail(events[hidden]) not in page.text, query
        assert "Matching the filters: 1 event." in page.text
    page = client.get(URL, {"status": "cancelled"})
    assert "No event you may see matches the filters." in page.text


@pytest.mark.rule("PG-3")
def test_an_unannounced_event_stays_hidden_however_one_filters(client, events, make_user) -> None:
    client.force_login(make_user(Role.HMIP_INSPECTOR))
    for query in ({}, {"establishment": "Leeds"}, {"kind": EventKind.FULL_INSPECTION}):
        page = client.get(URL, query)
        assert page.status_code == 200
        assert detail(events["leeds"]) not in page.text
        assert "HMP Leeds" not in page.text


def test_a_bad_value_is_reported_and_the_events_are_paged(
    client, events, make_user, monkeypatch
) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR)
    client.force_login(coordinator)
    bad = client.get(URL, {"kind": "<i>x</i>", "status": "\x00"})
    assert bad.status_code == 200
    assert "Choose the kind of event from the list: “&lt;i&gt;x&lt;/i&gt;”" in bad.text
    assert "Choose the status from the list" in bad.text
    assert detail(events["leeds"]) in bad.text
    monkeypatch.setattr(listing, "PER_PAGE", 1)
    last = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    first = client.get(URL, {"establishment": "HMP"})
    assert "Matching the filters: 2 events: page 1 of 2." in first.text
    assert 'href="?establishment=HMP&amp;page=2#events"' in first.text
    assert detail(events["leeds"]) in first.text  # the earlier event first
    assert detail(events["belmarsh"]) not in first.text
    # Only the event shown was read.
    logged = AccessEvent.objects.filter(actor=coordinator, pk__gt=last)
    assert set(logged.values_list("record_id", flat=True)) == {str(events["leeds"].pk)}
    second = client.get(URL, {"establishment": "HMP", "page": "2"})
    assert detail(events["belmarsh"]) in second.text
