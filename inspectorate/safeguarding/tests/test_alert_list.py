"""The list of alerts: filtered by establishment, kind, status and date, paged, bad filter
values reported by field, and only the alerts the reader was told about or raised (SG-1)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib import listing
from inspectorate.safeguarding.constants import AlertKind
from inspectorate.safeguarding.models import Alert
from inspectorate.safeguarding.tests.test_alerts import raise_alert

pytestmark = pytest.mark.django_db

URL = reverse("safeguarding:alert-list")


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def leeds_event():
    return h.full_inspection()


@pytest.fixture
def belmarsh_event():
    return h.full_inspection(h.make_establishment("BL", "HMP Belmarsh"))


@pytest.fixture
def belmarsh_leader(belmarsh_event):
    return h.team_leader(belmarsh_event)  # on the team before the alert: told about it


@pytest.fixture
def alerts(leeds_event, belmarsh_event, belmarsh_leader):
    h.team_leader(leeds_event)
    leeds = raise_alert(leeds_event, h.team_inspector(leeds_event))
    early = timezone.make_aware(datetime(2026, 1, 5, 10))
    Alert.objects.filter(pk=leeds.pk).update(raised_at=early)
    belmarsh = raise_alert(belmarsh_event, h.team_inspector(belmarsh_event), AlertKind.SANCTIONS)
    return {"leeds": leeds, "belmarsh": belmarsh}


def detail(alert) -> str:
    return reverse("safeguarding:alert-detail", kwargs={"pk": alert.pk})


@pytest.mark.rule("SG-1")
def test_alerts_are_filtered_by_establishment_kind_status_and_date(client, alerts) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    everything = client.get(URL)
    assert detail(alerts["leeds"]) in everything.text
    assert detail(alerts["belmarsh"]) in everything.text
    assert "2 alerts." in everything.text

    checks = [
        ({"establishment": "Leeds"}, "leeds"),
        ({"kind": "sanctions"}, "belmarsh"),
        ({"raised_from": "1/2/2026"}, "belmarsh"),
    ]
    for query, shown in checks:
        page = client.get(URL, query)
        hidden = "belmarsh" if shown == "leeds" else "leeds"
        assert detail(alerts[shown]) in page.text, query
        assert detail(alerts[hidden]) not in page.text, query
        assert "Matching the filters: 1 alert." in page.text
    page = client.get(URL, {"status": "closed"})
    assert "No alert you may see matches the filters." in page.text


@pytest.mark.rule("SG-1")
def test_filtering_never_shows_an_alert_one_was_not_told_about(
    client, alerts, belmarsh_leader
) -> None:
    client.force_login(belmarsh_leader)
    page = client.get(URL, {"establishment": "leeds"})
    assert detail(alerts["leeds"]) not in page.text
    assert "No alert you may see matches the filters." in page.text
    page = client.get(URL, {"kind": "sanctions"})
    assert detail(alerts["belmarsh"]) in page.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "<b>x</b>"}, "Choose the kind from the list: “&lt;b&gt;x&lt;/b&gt;” is not"),
        ({"status": "\x00"}, "Choose the status from the list"),
        ({"raised_from": "yesterday"}, "Raised from must be a real date, like 31/3/2026"),
    ],
)
def test_a_bad_filter_value_is_reported_on_its_field(client, alerts, query, message) -> None:
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    page = client.get(URL, query)
    assert page.status_code == 200
    assert message in page.text
    assert "<b>x</b>" not in page.text
    assert detail(alerts["leeds"]) in page.text


def test_alerts_are_paged(client, alerts, monkeypatch) -> None:
    monkeypatch.setattr(listing, "PER_PAGE", 1)
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    first = client.get(URL, {"establishment": "HMP"})
    assert "Matching the filters: 2 alerts: page 1 of 2." in first.text
    assert 'href="?establishment=HMP&amp;page=2"' in first.text
    second = client.get(URL, {"establishment": "HMP", "page": "2"})
    assert "page 2 of 2" in second.text
    on_first = {name for name, alert in alerts.items() if detail(alert) in first.text}
    on_second = {name for name, alert in alerts.items() if detail(alert) in second.text}
    assert on_first | on_second == {"leeds", "belmarsh"}
    assert not on_first & on_second
