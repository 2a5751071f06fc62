"""Every list answers in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for, person, token_client
from inspectorate.complaints.models import Complaint
from inspectorate.estate.models import Establishment
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Inspection, Recommendation
from inspectorate.inspections.tests import findings_helpers as fh
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.tests.test_milestone_helpers import make_event, put_on_team

ENDPOINTS = [
    "establishments",
    "inspectors",
    "events",
    "team-members",
    "milestones",
    "judgements",
    "recommendations",
    "follow-ups",
    "complaints",
]


def _data(rows: int, reader: Any, first: int = 0) -> None:
    """`rows` establishments, each with a published full inspection (with a team member, a
    judgement, a recommendation followed up by an IRP, and a complaint) and an unannounced
    one, so that confidential reads are logged too."""
    for n in range(first, first + rows):
        place = Establishment.objects.create(code=f"Q{n}", name=f"HMP Q{n}", kind="prison")
        full = make_event(
            place,
            kind=EventKind.FULL_INSPECTION,
            starts_on=date(2025, 11, 3),
            announced_on=date(2025, 10, 1),
            signal=False,
        )
        Inspection.objects.create(event=full, stage=Stage.PUBLISHED)
        put_on_team(full, None, TeamRole.INSPECTOR)
        recommendation = Recommendation.objects.create(
            event=full, text="Act.", paragraph_reference="1.1"
        )
        irp = make_event(
            place, kind=EventKind.IRP, starts_on=date(2026, 11, 9), signal=False, follows_up=full
        )
        item = fh.follow_up(irp, recommendation)
        fh.progress_judgement(item, "good_progress", reader)
        Complaint.objects.create(
            event=full,
            raised_by=reader,
            complainant="Governor",
            concern="Rushed.",
            raised_on=date(2026, 1, 5),
        )
        make_event(
            place,
            kind=EventKind.FULL_INSPECTION,
            starts_on=date(2027, 1, 11) + timedelta(weeks=n % 10),
        )


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_list_costs_the_same_queries_for_2_and_20_rows(endpoint: str) -> None:
    frameworks_load(actor=None)
    coordinator = person("counter", Role.HMIP_COORDINATOR)
    clients = {"session": client_for(coordinator), "token": token_client(coordinator)[0]}
    # The first use of a token records when it was used (then at most every five minutes).
    clients["token"].get("/api/v1/programmes/")
    _data(2, coordinator)
    path = f"/api/v1/{endpoint}/?page_size=200"
    small = {name: _queries(client, path) for name, client in clients.items()}
    rows_small = clients["session"].get(path).json()["count"]
    _data(18, coordinator, first=2)
    large = {name: _queries(client, path) for name, client in clients.items()}
    rows_large = clients["session"].get(path).json()["count"]
    assert rows_large > rows_small > 0
    assert large == small
    assert small["token"] <= 8
