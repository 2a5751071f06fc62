"""DP-4: the audit trail is tamper-evident against the database's own superuser.

The tests' database connection is PostgreSQL's superuser (postgres). Each tampering runs
with triggers off (`SET session_replication_role = replica`), as a superuser would; then
`audit_verify` must name what was done. Checkpoints are signed into a log outside the
database (a file per test, see conftest's `_audit_checkpoints_apart`).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from inspectorate.accounts.roles import Role
from inspectorate.audit import checkpoints
from inspectorate.audit.chain import link_digest, payload_digest
from inspectorate.audit.checkpoints import CheckpointRefused, checkpoint_write, read_lines
from inspectorate.audit.checks import audit_checkpoint_settings
from inspectorate.audit.models import ChainLink
from inspectorate.audit.selectors import chain_verify, chained_tables, recent_changes
from inspectorate.audit.tasks import audit_checkpoint_periodic
from inspectorate.audit.verification import audit_verify
from inspectorate.estate.models import Establishment
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports.constants import ReportStage
from inspectorate.reports.tests import report_helpers as rh
from inspectorate.safeguarding import services as safeguarding
from inspectorate.safeguarding.constants import AlertKind

pytestmark = [pytest.mark.django_db, pytest.mark.rule("DP-4")]


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


def as_superuser_with_triggers_off(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
        assert cursor.fetchone() == (True,), "these tests tamper as the database's superuser"
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement, params or [])
        cursor.execute("SET LOCAL session_replication_role = origin")


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    return str(failure.value)


def establishments(count: int, prefix: str = "T") -> list[Establishment]:
    return [
        Establishment.objects.create(
            code=f"{prefix}{n:02d}", name=f"HMP {prefix}{n}", kind="prison"
        )
        for n in range(count)
    ]


def establishment_event(establishment: Establishment, label: str) -> Any:
    events = apps.get_model("estate", "EstablishmentEvent").objects
    return events.get(pgh_obj_id=establishment.pk, pgh_label=label)


# -- an untouched database -----------------------------------------------------------------


def test_an_untouched_database_verifies_after_normal_service_writes(capsys) -> None:
    people = rh.cast()
    rh.draft(people)
    safeguarding.alert_raise(
        actor=people.member, event=people.event, kind=AlertKind.SAFEGUARDING, summary="Seen."
    )
    checkpoint_write()
    first, second = establishments(2)
    first.name = "HMP Renamed"
    first.save()
    second.delete()
    Establishment.objects.filter(pk=first.pk).update(name="Bulk")  # a bulk update: recorded
    checkpoint_write()

    call_command("audit_verify")

    out = capsys.readouterr().out
    assert "Audit chain intact" in out
    assert "Checkpoints verified: 2 checkpoints" in out
    assert "Every audited record matches its latest audit snapshot." in out


def test_without_a_checkpoint_it_says_what_cannot_be_detected(capsys) -> None:
    establishments(1)
    call_command("audit_verify")
    assert "No checkpoint yet" in capsys.readouterr().out


# -- domain rows changed with triggers off ---------------------------------------------------


def test_a_safeguarding_alert_changed_directly_is_named() -> None:
    people = rh.cast()
    alert = safeguarding.alert_raise(
        actor=people.member, event=people.event, kind=AlertKind.SAFEGUARDING, summary="Seen."
    )
    as_superuser_with_triggers_off(
        "UPDATE safeguarding_alert SET summary = 'Nothing happened', \"where\" = 'Nowhere' "
        "WHERE id = %s",
        [alert.pk],
    )

    message = verify_fails()

    assert f"records: safeguarding_alert #{alert.pk}: differs from its latest audit snapshot" in (
        message
    )
    assert "in summary, where: changed with triggers off" in message
    assert chain_verify().intact  # the chain alone could not see it


def test_a_report_set_to_published_directly_is_named() -> None:
    report = rh.draft(rh.cast())
    as_superuser_with_triggers_off(
        "UPDATE reports_report SET stage = %s WHERE id = %s", [ReportStage.PUBLISHED, report.pk]
    )

    message = verify_fails()

    assert f"reports_report #{report.pk}: differs from its latest audit snapshot" in message
    assert "in stage: changed with triggers off" in message


def test_a_row_deleted_or_inserted_directly_is_named() -> None:
    kept, removed = establishments(2)
    as_superuser_with_triggers_off("DELETE FROM estate_establishment WHERE id = %s", [removed.pk])
    with connection.cursor() as cursor:  # a copy of a row under a new key, to slip in
        cursor.execute(
            "CREATE TEMP TABLE slipped AS SELECT * FROM estate_establishment WHERE id = %s",
            [kept.pk],
        )
        cursor.execute(
            "UPDATE slipped SET code = 'ZZ', name = 'HMP Slipped In', id = nextval("
            "pg_get_serial_sequence('estate_establishment', 'id'))"
        )
    as_superuser_with_triggers_off("INSERT INTO estate_establishment SELECT * FROM slipped")
    slipped = Establishment.objects.get(code="ZZ")

    findings = audit_verify().findings

    assert any(
        f"estate_establishment #{removed.pk}: is gone, but its latest audit snapshot" in finding
        for finding in findings
    )
    assert (
        f"records: estate_establishment #{slipped.pk}: exists with no audit snapshot: "
        "inserted with triggers off"
    ) in findings


# -- the chain truncated or recomputed -------------------------------------------------------


def test_deleting_the_last_20_events_and_their_links_is_found() -> None:
    made = establishments(25)
    checkpoint = checkpoint_write()
    last_links = list(ChainLink.objects.order_by("-id")[:20])
    event_ids = [int(link.event_id) for link in last_links]
    as_superuser_with_triggers_off(
        "DELETE FROM estate_establishmentevent WHERE pgh_id = ANY(%s)", [event_ids]
    )
    as_superuser_with_triggers_off(
        "DELETE FROM audit_chainlink WHERE id = ANY(%s)", [[link.pk for link in last_links]]
    )
    as_superuser_with_triggers_off(  # and the rows, so that nothing but the checkpoint knows
        "DELETE FROM estate_establishment WHERE id = ANY(%s)", [[e.pk for e in made[5:]]]
    )
    assert chain_verify().intact  # the shorter chain is consistent in itself

    message = verify_fails()

    assert (
        f"checkpoints: checkpoint of {checkpoint.at} (link {checkpoint.link}): the link is gone"
        in (message)
    )
    assert "the chain has shrunk below the last checkpoint (" in message
    assert f"{checkpoint.links} links ending at link {checkpoint.link}" in message


def _recompute_chain_from(first_link_id: int) -> None:
    """What a superuser would do after altering an event: recompute every later digest."""
    tables = chained_tables()
    previous = (
        ChainLink.objects.filter(id__lt=first_link_id)
        .order_by("-id")
        .values_list("digest", flat=True)
        .first()
        or ""
    )
    for link in ChainLink.objects.filter(id__gte=first_link_id).order_by("id"):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
            cursor.execute(
                sql.SQL("SELECT row_to_json(t)::text FROM {} AS t WHERE {}::text = %s")
                .format(sql.Identifier(link.event_table), sql.Identifier(tables[link.event_table]))
                .as_string(cursor.connection),
                [link.event_id],
            )
            (payload,) = cursor.fetchone()
        of_payload = payload_digest(payload)
        digest = link_digest(previous, link.event_table, link.event_id, of_payload)
        as_superuser_with_triggers_off(
            "UPDATE audit_chainlink SET previous_digest = %s, payload_digest = %s, digest = %s "
            "WHERE id = %s",
            [previous, of_payload, digest, link.pk],
        )
        previous = digest


def test_altering_an_event_and_recomputing_every_later_digest_is_found() -> None:
    first, *_ = establishments(5)
    first.name = "HMP Renamed"
    first.save()  # so the altered insert event is not the row's latest snapshot
    checkpoint = checkpoint_write()
    insert_event = establishment_event(first, "insert")
    as_superuser_with_triggers_off(
        "UPDATE estate_establishmentevent SET name = 'HMP Forged' WHERE pgh_id = %s",
        [insert_event.pgh_id],
    )
    assert not chain_verify().intact
    altered_link = ChainLink.objects.get(
        event_table="estate_establishmentevent", event_id=str(insert_event.pgh_id)
    )
    _recompute_chain_from(altered_link.pk)
    assert chain_verify().intact  # the recomputed chain is consistent in itself

    message = verify_fails()

    assert (
        f"checkpoint of {checkpoint.at} (link {checkpoint.link}): the link's digest differs "
        "from the checkpoint: the chain was recomputed"
    ) in message


# -- the checkpoint log itself ---------------------------------------------------------------


def _log() -> Path:
    return checkpoints.checkpoint_path()


def test_each_checkpoint_line_is_signed_and_follows_the_one_before() -> None:
    establishments(1)
    first = checkpoint_write()
    establishments(1, prefix="U")
    second = checkpoint_write()
    lines = [json.loads(line) for line in read_lines()]

    assert [line["link"] for line in lines] == [first.link, second.link]
    assert lines[0]["previous"] == ""
    assert lines[1]["previous"] == first.signature
    assert set(lines[1]) == {"link", "digest", "links", "at", "previous", "key", "signature"}
    assert lines[1]["links"] == ChainLink.objects.count()
    assert audit_verify().intact


def test_an_altered_or_removed_checkpoint_line_is_found() -> None:
    for prefix in "ABC":
        establishments(1, prefix=prefix)
        checkpoint_write()
    lines = read_lines()
    altered = json.loads(lines[2])
    altered["links"] += 1
    _log().write_text("\n".join([lines[0], json.dumps(altered)]) + "\n")

    findings = audit_verify().findings

    assert any(
        "checkpoint line 2" in f and "does not follow the line before" in f for f in findings
    )
    assert any("checkpoint line 2" in f and "the signature does not match" in f for f in findings)


def test_a_log_signed_with_another_key_is_refused(settings) -> None:
    establishments(1)
    checkpoint_write()
    settings.INSPECTORATE_AUDIT_KEY = "another-key-of-at-least-thirty-two-characters"
    (finding,) = audit_verify().findings
    assert "signed with another key" in finding


def test_a_broken_chain_is_not_checkpointed() -> None:
    (made,) = establishments(1)
    as_superuser_with_triggers_off(
        "UPDATE estate_establishmentevent SET name = 'Forged' WHERE pgh_obj_id = %s", [made.pk]
    )
    with pytest.raises(CheckpointRefused, match="does not verify"):
        checkpoint_write()
    assert read_lines() == []


def test_the_key_file_is_made_once_readable_by_its_owner_alone(settings, tmp_path) -> None:
    settings.INSPECTORATE_AUDIT_KEY = ""
    settings.INSPECTORATE_AUDIT_KEY_FILE = tmp_path / "var" / "audit.key"
    key = checkpoints.audit_key()
    mode = stat.S_IMODE(settings.INSPECTORATE_AUDIT_KEY_FILE.stat().st_mode)
    assert mode == 0o600
    assert len(key) == 64
    assert checkpoints.audit_key() == key


def test_the_deployment_check_requires_a_key_and_a_log(settings) -> None:
    settings.INSPECTORATE_AUDIT_KEY = ""
    settings.INSPECTORATE_AUDIT_CHECKPOINTS = None
    assert {problem.id for problem in audit_checkpoint_settings()} == {"audit.E001", "audit.W001"}
    settings.INSPECTORATE_AUDIT_KEY = "k" * 32
    settings.INSPECTORATE_AUDIT_CHECKPOINTS = "/srv/worm/checkpoints.jsonl"
    assert audit_checkpoint_settings() == []


def test_the_periodic_task_and_the_command_line_write_checkpoints(capsys) -> None:
    from inspectorate.cli import main

    establishments(1)
    # The task's own function, without the wrapper that closes the worker's connection.
    assert audit_checkpoint_periodic.func.__wrapped__(timestamp=0) is True  # type: ignore[attr-defined]
    assert main(["audit", "checkpoint"]) == 0
    assert "Checkpoint written to" in capsys.readouterr().out
    assert len(read_lines()) == 2


# -- who made a change the service did not make ----------------------------------------------


def test_a_raw_update_with_triggers_on_records_the_database_user(client, make_user) -> None:
    (made,) = establishments(1)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL application_name = 'psql'")
        cursor.execute("UPDATE estate_establishment SET name = 'Raw' WHERE id = %s", [made.pk])
        cursor.execute("SET LOCAL application_name = 'inspectorate'")

    raw = establishment_event(made, "update")
    assert raw.pgh_context is not None
    assert raw.pgh_context.metadata["database_user"] == "postgres"
    assert raw.pgh_context.metadata["application_name"] == "psql"
    assert raw.pgh_context.metadata["database_only"] is True
    (shown,) = [e for e in recent_changes(limit=10) if e.pgh_label == "update"]
    assert shown.outside_service
    assert shown.made_by.startswith("Database user postgres, psql, from ")

    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR))
    page = client.get("/audit/").content.decode()
    assert "Outside the service" in page
    assert "Database user postgres, psql" in page


def test_a_change_through_the_service_is_not_marked_outside_it(client, make_user) -> None:
    import pghistory

    with pghistory.context(command="manage.py load_demo"):
        establishments(1)
    (latest, *_) = recent_changes(limit=1)
    assert not latest.outside_service
    assert latest.made_by == "manage.py load_demo"
    assert latest.pgh_context is not None
    assert latest.pgh_context["database_user"] == "postgres"  # the database's view, kept too


def test_the_audit_page_verifies_the_whole_trail_and_names_each_problem(client, make_user) -> None:
    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR))
    (made,) = establishments(1)
    checkpoint_write()
    intact = client.post("/audit/").content.decode()
    assert "Audit trail verified" in intact
    assert "1 signed checkpoint kept outside the database" in intact

    as_superuser_with_triggers_off(
        "UPDATE estate_establishment SET name = 'HMP Quietly Renamed' WHERE id = %s", [made.pk]
    )
    broken = client.post("/audit/").content.decode()
    assert "The audit trail does not verify: 1 problem" in broken
    assert f"records: estate_establishment #{made.pk}: differs from its latest audit" in broken
    assert "in name: changed with triggers off" in broken


def test_production_will_not_start_without_the_checkpoint_key() -> None:
    from inspectorate.shell.tests.test_settings import PRODUCTION_ENV, _manage

    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "INSPECTORATE_AUDIT_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "INSPECTORATE_AUDIT_KEY must be set for production" in result.stderr
