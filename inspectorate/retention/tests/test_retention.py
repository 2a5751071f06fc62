"""Retention that erases (DP-1, DP-3): a closed alert disposed of under the schedule is found
nowhere in the database afterwards, live rows, audit copies and notifications included,
while the audit chain still verifies; a dry run changes nothing; approvals are the approving
role's alone; the schedule file is validated."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from psycopg import sql

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import Erasure, RedactedEvent
from inspectorate.audit.redaction import REDACTED, is_redacted
from inspectorate.audit.selectors import chain_verify
from inspectorate.complaints.constants import Status
from inspectorate.complaints.models import Complaint
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.retention import services
from inspectorate.retention.kinds import KINDS
from inspectorate.retention.schedule import SCHEDULE_FILE, schedule, schedule_parse
from inspectorate.safeguarding import services as alerts
from inspectorate.safeguarding.models import Alert

pytestmark = pytest.mark.django_db

SECRET = "Prisoner Zebedee Quartermaine said officer Halloran kicked him on C wing."


@pytest.fixture(autouse=True)
def _today():
    _TEAMS.clear()
    yield from h.frozen_today()


_TEAMS: dict[int, tuple[Any, Any]] = {}


def _team(event: Any) -> tuple[Any, Any]:
    if event.pk not in _TEAMS:
        leader = h.team_leader(event)
        leader.email = "leader@example.gov.uk"
        leader.save()
        _TEAMS[event.pk] = (h.team_inspector(event), leader)
    return _TEAMS[event.pk]


def _closed_alert(event: Any, *, years_ago: int, summary: str = SECRET) -> Alert:
    inspector, leader = _team(event)
    alert = alerts.alert_raise(actor=inspector, event=event, kind="safeguarding", summary=summary)
    alert = alerts.alert_acknowledge(actor=leader, alert=alert)
    alerts.alert_action_add(actor=leader, alert=alert, text=f"Told the governor: {summary}")
    alert = alerts.alert_close(
        actor=leader, alert=alert, outcome=f"Closed. {summary}", version=None
    )
    closed = timezone.now() - timedelta(days=365 * years_ago + 2)
    Alert.objects.filter(pk=alert.pk).update(closed_at=closed)
    return alert


def tables_holding(text: str) -> list[str]:
    """Every table and text or JSON column of the database (information_schema) holding `text`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN "
            "('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')"
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            query = sql.SQL("SELECT 1 FROM {} WHERE {}::text LIKE %s LIMIT 1").format(
                sql.Identifier(table), sql.Identifier(column)
            )
            cursor.execute(query.as_string(cursor.connection), [f"%{text}%"])
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


@pytest.mark.rule("DP-3")
@pytest.mark.rule("DP-1")
def test_a_disposed_alert_is_found_nowhere_and_the_chain_still_verifies(capsys) -> None:
    event = h.full_inspection()
    alert = _closed_alert(event, years_ago=7)
    recent = _closed_alert(event, years_ago=1, summary="A recent concern about Ignatius Fogg.")
    # Before: the live rows, their audit copies and the notifications all hold it.
    assert {
        "safeguarding_alert.summary",
        "safeguarding_alertevent.summary",
        "safeguarding_alertentry.text",
        "safeguarding_alertentryevent.text",
        "programme_notification.body",
        "programme_notificationevent.body",
    } <= set(tables_holding("Zebedee Quartermaine"))

    report = services.retention_run(dry_run=False, performed_by="test")

    assert [d.candidate.record_id for d in report.disposed] == [str(alert.pk)]
    assert tables_holding("Zebedee Quartermaine") == []
    assert tables_holding("officer Halloran") == []
    assert "safeguarding_alertevent.summary" in tables_holding("Ignatius Fogg")  # not yet due
    assert list(Alert.objects.values_list("pk", flat=True)) == [recent.pk]
    call_command("audit_verify")
    assert "Audit chain intact" in capsys.readouterr().out
    erasure = Erasure.objects.get(record_id=str(alert.pk))
    assert erasure.schedule_entry == "safeguarding-alert"
    assert erasure.record_type == "safeguarding.alert"
    assert erasure.redactions.count() > 0


@pytest.mark.rule("DP-3")
def test_the_summary_of_a_disposed_alert_is_in_no_table_at_all() -> None:
    event = h.full_inspection()
    alert = _closed_alert(event, years_ago=7)
    assert tables_holding("Zebedee Quartermaine")

    services.retention_run(dry_run=False, performed_by="test")

    assert not Alert.objects.filter(pk=alert.pk).exists()
    assert tables_holding("Zebedee Quartermaine") == []
    assert tables_holding("Halloran") == []
    assert chain_verify().intact, chain_verify().first_bad
    redacted = RedactedEvent.objects.filter(event_table="safeguarding_alertevent")
    assert redacted.exists()
    history: Any = getattr(Alert, "pgh_event_model")  # noqa: B009
    snapshot = history.objects.filter(pgh_obj_id=alert.pk).order_by("-pgh_id").values().first()
    assert snapshot is not None
    assert is_redacted(snapshot)
    assert snapshot["status"] == "closed"  # what is not personal is kept


@pytest.mark.rule("DP-3")
def test_a_redacted_snapshot_changed_afterwards_still_breaks_the_chain() -> None:
    event = h.full_inspection()
    _closed_alert(event, years_ago=7)
    services.retention_run(dry_run=False, performed_by="test")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE safeguarding_alertevent SET outcome = 'Forged' WHERE summary = %s", [REDACTED]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    report = chain_verify()
    assert report.first_bad is not None
    assert "safeguarding_alertevent" in report.first_bad


@pytest.mark.rule("DP-3")
def test_a_dry_run_lists_what_would_go_and_changes_nothing(capsys) -> None:
    event = h.full_inspection()
    alert = _closed_alert(event, years_ago=7)
    before = tables_holding("Zebedee Quartermaine")
    erasures = Erasure.objects.count()

    call_command("retention", "--dry-run")

    out = capsys.readouterr().out
    assert f"Would erase: safeguarding.alert {alert.pk} [safeguarding-alert]" in out
    assert "6 years after the alert is closed" in out
    assert Alert.objects.filter(pk=alert.pk).exists()
    assert tables_holding("Zebedee Quartermaine") == before
    assert Erasure.objects.count() == erasures


@pytest.mark.rule("DP-1")
def test_a_disposal_needing_approval_waits_for_the_approving_role() -> None:
    event = h.full_inspection()
    raiser = _team(event)[1]
    complaint = Complaint.objects.create(
        event=event,
        raised_by=raiser,
        complainant="Mrs Ottoline Pemberton, deputy governor",
        concern="The team was rude.",
        raised_on=timezone.localdate() - timedelta(days=5 * 365),
        status=Status.ANSWERED,
        responded_on=timezone.localdate() - timedelta(days=4 * 365),
    )
    report = services.retention_run(dry_run=False, performed_by="test")
    assert [d.candidate.record_id for d in report.awaiting_approval] == [str(complaint.pk)]
    with pytest.raises(PermissionDenied):
        services.disposal_approve(actor=raiser, entry_id="complaint", record_id=str(complaint.pk))

    qa = h.user(Role.QUALITY_ASSURANCE)
    services.disposal_approve(actor=qa, entry_id="complaint", record_id=str(complaint.pk))
    report = services.retention_run(dry_run=False, performed_by="test")

    assert [d.candidate.record_id for d in report.disposed] == [str(complaint.pk)]
    complaint.refresh_from_db()
    assert complaint.complainant == REDACTED
    assert complaint.concern == REDACTED
    assert tables_holding("Ottoline Pemberton") == []
    assert Erasure.objects.get(record_id=str(complaint.pk)).approved_by == qa
    assert chain_verify().intact


def test_the_schedule_covers_every_kind_and_is_validated() -> None:
    loaded = schedule()
    assert {e.kind for e in loaded.entries} == set(KINDS)
    text = SCHEDULE_FILE.read_text()
    with pytest.raises(ImproperlyConfigured, match="keep_for 'for ever'"):
        schedule_parse(text.replace("keep_for: 6 years", "keep_for: for ever"), frozenset(KINDS))
    with pytest.raises(ImproperlyConfigured, match="approved_by 'dpo'"):
        schedule_parse(
            text.replace("approved_by: quality_assurance", "approved_by: dpo", 1), frozenset(KINDS)
        )


@pytest.mark.rule("DP-1")
def test_a_subject_access_export_holds_the_persons_records_and_no_one_elses(tmp_path) -> None:
    import json

    from inspectorate.audit.models import AccessEvent
    from inspectorate.programme.notifications import notify

    event = h.full_inspection()
    inspector, leader = _team(event)
    notify(recipients=[inspector], subject="For the inspector", body="Marigold Thistlewaite")
    notify(recipients=[leader], subject="For the leader", body="Bartholomew Quince")
    admin = h.user(Role.SYSTEM_ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        services_export(actor=inspector, subject=inspector)

    text = services_export(actor=admin, subject=inspector)

    data = json.loads(text)
    assert data["account"]["username"] == inspector.username
    assert [n["subject"] for n in data["notifications"]] == ["For the inspector"]
    assert "Marigold Thistlewaite" in text
    assert "Bartholomew Quince" not in text
    assert AccessEvent.objects.filter(
        actor=admin, purpose="export", record_id=str(inspector.pk)
    ).exists()
    out = tmp_path / "sar.json"
    call_command("subject_access", inspector.username, "--output", str(out))
    assert json.loads(out.read_text())["subject"]["id"] == inspector.pk


def services_export(*, actor: Any, subject: Any) -> str:
    from inspectorate.retention.subject_access import subject_access_export

    return subject_access_export(actor=actor, subject=subject)


def test_the_pages_are_for_their_roles_alone(client) -> None:
    from django.urls import reverse

    event = h.full_inspection()
    inspector, _ = _team(event)
    qa, admin = h.user(Role.QUALITY_ASSURANCE), h.user(Role.SYSTEM_ADMINISTRATOR)
    complaint = Complaint.objects.create(
        event=event,
        raised_by=inspector,
        complainant="Someone",
        concern="Something",
        raised_on=timezone.localdate() - timedelta(days=5 * 365),
        status=Status.ANSWERED,
        responded_on=timezone.localdate() - timedelta(days=4 * 365),
    )
    approvals = reverse("retention:approvals")
    client.force_login(inspector)
    assert client.get(approvals).status_code == 404
    assert client.get(reverse("retention:subject-access")).status_code == 403
    client.force_login(qa)
    page = client.get(approvals)
    assert f"Complaint {complaint.pk}" in page.text
    client.post(approvals, {"entry": "complaint", "record": str(complaint.pk)})
    assert "approved by" in client.get(approvals).text
    client.force_login(admin)
    bad = client.post(reverse("retention:subject-access"), {"username": "nobody-at-all"})
    assert bad.status_code == 400
    assert "Enter the username of an existing account" in bad.text
    download = client.post(reverse("retention:subject-access"), {"username": inspector.username})
    assert download["Content-Disposition"].startswith("attachment")
    assert f'"id": {inspector.pk}' in download.content.decode()
