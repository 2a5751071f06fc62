"""The audit trail through the API, as on the audit screen: reads of confidential records
(DP-1, PG-3) with filters, the latest changes and the chain's verification, for system
administrators and quality assurance only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import World, client_for, token_client
from inspectorate.audit.models import AccessEvent

pytestmark = pytest.mark.django_db

AUDITORS = {Role.SYSTEM_ADMINISTRATOR.value, Role.QUALITY_ASSURANCE.value}


@pytest.mark.rule("DP-1")
def test_auditors_read_who_saw_a_confidential_event(world: World) -> None:
    assert world.on_team is not None
    assert client_for(world.on_team).get(f"/api/v1/events/{world.secret.pk}/").status_code == 200
    admin = client_for(world.users[Role.SYSTEM_ADMINISTRATOR])
    path = f"/api/v1/access-events/?record_type=programme.event&record_id={world.secret.pk}"
    rows = admin.get(path).json()["results"]
    assert [(row["actor"], row["purpose"]) for row in rows] == [(world.on_team.pk, "view")]
    assert rows[0]["path"] == f"/api/v1/events/{world.secret.pk}/"
    by_actor = admin.get(f"/api/v1/access-events/?actor={world.on_team.pk}").json()
    assert by_actor["count"] == 1
    bad = admin.get("/api/v1/access-events/?from=yesterday")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "from"


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_only_auditors_read_the_audit_trail(world: World, role: str) -> None:
    client = client_for(world.users[role])
    expected = 200 if role in AUDITORS else 403
    assert client.get("/api/v1/access-events/").status_code == expected
    assert client.get("/api/v1/audit/changes/").status_code == expected
    assert client.post("/api/v1/audit/verify/").status_code == expected


def test_the_latest_changes_and_the_chain_verification(world: World) -> None:
    qa = client_for(world.users[Role.QUALITY_ASSURANCE])
    changes = qa.get("/api/v1/audit/changes/?limit=5")
    assert changes.status_code == 200
    rows = changes.json()
    assert 1 <= len(rows) <= 5
    assert {"created_at", "label", "model", "record_id", "by"} <= set(rows[0])
    too_many = qa.get("/api/v1/audit/changes/?limit=500")
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["field"] == "limit"
    report = qa.post("/api/v1/audit/verify/").json()
    assert report["intact"] is True
    assert report["first_bad"] is None
    assert report["links_checked"] > 0
    # A read token may not verify (a POST), but may read the access log.
    reader, _ = token_client(world.users[Role.SYSTEM_ADMINISTRATOR])
    assert reader.post("/api/v1/audit/verify/").status_code == 403
    assert reader.get("/api/v1/access-events/").status_code == 200


def test_the_access_log_takes_the_same_queries_for_2_or_20_rows(world: World) -> None:
    admin_user = world.users[Role.SYSTEM_ADMINISTRATOR]
    admin = client_for(admin_user)

    def log(rows: int) -> None:
        AccessEvent.objects.bulk_create(
            AccessEvent(actor=admin_user, actor_label="A", record_type="x.y", record_id=str(n))
            for n in range(rows)
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get("/api/v1/access-events/?record_type=x.y").status_code == 200
        return len(captured)

    log(2)
    few = queries()
    log(18)
    assert queries() == few
