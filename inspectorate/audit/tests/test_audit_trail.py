"""The audit trail: trigger-recorded events with context, the hash chain, access events."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.http import HttpRequest, HttpResponse
from pghistory.models import Events

from inspectorate.audit.middleware import AuditContextMiddleware
from inspectorate.audit.models import AccessEvent, ChainLink, Erasure, RedactedEvent
from inspectorate.audit.selectors import chain_verify, chained_tables
from inspectorate.audit.services import access_record
from inspectorate.estate.models import Establishment
from inspectorate.shell.models import IdempotencyRecord

PROJECT_APPS = {
    "accounts",
    "estate",
    "inspectors",
    "frameworks",
    "programme",
    "inspections",
    "improvement",
    "safeguarding",
    "complaints",
    "calendars",
    "imports",
    "audit",
    "shell",
    "retention",
}


def _events_for(obj: Establishment) -> list[Events]:
    return list(Events.objects.filter(pgh_obj_id=str(obj.pk)).order_by("pgh_created_at", "pgh_id"))


@pytest.mark.django_db
def test_insert_update_delete_are_all_recorded() -> None:
    establishment = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    establishment.name = "HMP Testing"
    establishment.save()
    Establishment.objects.filter(pk=establishment.pk).delete()

    labels = [event.pgh_label for event in _events_for(establishment)]
    assert labels == ["insert", "update", "delete"]


@pytest.mark.django_db
def test_bulk_update_and_raw_sql_cannot_bypass_the_trail() -> None:
    establishment = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    Establishment.objects.filter(pk=establishment.pk).update(name="Bulk")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE estate_establishment SET name = 'Raw' WHERE id = %s", [establishment.pk]
        )
    names = [event.pgh_data["name"] for event in _events_for(establishment)]
    assert names == ["HMP Test", "Bulk", "Raw"]


@pytest.mark.django_db
def test_a_request_records_who_and_which_page(rf, make_user) -> None:
    coordinator = make_user("hmip_coordinator")

    def view(request: HttpRequest) -> HttpResponse:
        Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
        return HttpResponse("saved")

    request = rf.post("/establishments/new/")
    request.user = coordinator
    AuditContextMiddleware(view)(request)

    (event,) = Events.objects.filter(pgh_obj_model="estate.Establishment")
    assert event.pgh_context["user"] == coordinator.pk
    assert event.pgh_context["url"] == "/establishments/new/"
    assert event.pgh_context["method"] == "POST"


@pytest.mark.django_db
def test_a_management_command_records_its_name() -> None:
    import pghistory

    with pghistory.context(command="manage.py load_demo"):
        establishment = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    (event,) = _events_for(establishment)
    assert event.pgh_context["command"] == "manage.py load_demo"


@pytest.mark.django_db
def test_event_tables_are_append_only() -> None:
    Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE estate_establishmentevent SET name = 'Forged'")


def test_every_project_model_is_audited() -> None:
    """Every domain model of the project's apps has trigger-based events, and they are chained.
    Not the bookkeeping tables: the chain itself, the read log, the record of erasures (these
    three are append-only and chained themselves), and the idempotency records (copies of
    answers kept a day, which an audit copy would keep for ever)."""
    event_models = [m for m in apps.get_models() if hasattr(m, "pgh_tracked_model")]
    tracked = {getattr(m, "pgh_tracked_model")._meta.label for m in event_models}  # noqa: B009
    domain_models = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and not hasattr(model, "pgh_tracked_model")
        and model not in (ChainLink, AccessEvent, Erasure, RedactedEvent, IdempotencyRecord)
    }
    assert domain_models, "the project should have domain models"
    assert domain_models <= tracked, f"not audited: {sorted(domain_models - tracked)}"
    assert {m._meta.db_table for m in event_models} <= set(chained_tables())


@pytest.mark.django_db
def test_chain_verifies_when_untouched(capsys) -> None:
    Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    Establishment.objects.create(code="ZY", name="HMP Other", kind="prison")
    call_command("audit_verify")
    assert "Audit chain intact: 2 events verified" in capsys.readouterr().out


def _tamper(sql: str, params: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # disables triggers
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.mark.django_db
def test_altering_an_event_with_raw_sql_breaks_the_chain() -> None:
    first = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    Establishment.objects.create(code="ZY", name="HMP Other", kind="prison")
    (event,) = _events_for(first)
    _tamper(
        "UPDATE estate_establishmentevent SET name = 'Forged' WHERE pgh_id = %s", [event.pgh_id]
    )

    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    assert f"estate_establishmentevent#{event.pgh_id}: the event row was altered" in str(
        failure.value
    )


@pytest.mark.django_db
def test_removing_an_event_breaks_the_chain() -> None:
    first = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    (event,) = _events_for(first)
    _tamper("DELETE FROM estate_establishmentevent WHERE pgh_id = %s", [event.pgh_id])
    report = chain_verify()
    assert report.first_bad == f"estate_establishmentevent#{event.pgh_id}: the event row is missing"


@pytest.mark.django_db
def test_removing_a_link_breaks_the_chain() -> None:
    Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    second = Establishment.objects.create(code="ZY", name="HMP Other", kind="prison")
    first_link = ChainLink.objects.order_by("id").first()
    assert first_link is not None
    _tamper("DELETE FROM audit_chainlink WHERE id = %s", [first_link.pk])
    report = chain_verify()
    (event,) = _events_for(second)
    assert report.first_bad == (
        f"estate_establishmentevent#{event.pgh_id}: the link before it was removed or altered"
    )


@pytest.mark.django_db
def test_an_event_inserted_without_its_trigger_is_found() -> None:
    establishment = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    (genuine,) = _events_for(establishment)
    with connection.cursor() as cursor:  # a copy of a genuine event, under a new id
        cursor.execute(
            "CREATE TEMP TABLE forged AS SELECT * FROM estate_establishmentevent WHERE pgh_id = %s",
            [genuine.pgh_id],
        )
        cursor.execute(
            "UPDATE forged SET name = 'Slipped in', pgh_id = nextval("
            "pg_get_serial_sequence('estate_establishmentevent', 'pgh_id'))"
        )
    _tamper("INSERT INTO estate_establishmentevent SELECT * FROM forged", [])
    report = chain_verify()
    assert report.first_bad is not None
    assert report.first_bad.endswith(": not in the chain")


@pytest.mark.django_db
@pytest.mark.rule("DP-1")
def test_reading_a_confidential_record_is_logged_and_the_log_is_append_only(make_user) -> None:
    reader = make_user("hmip_coordinator")
    establishment = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    access_record(actor=reader, record=establishment, path="/programme/1/")

    (access,) = AccessEvent.objects.all()
    assert (access.actor, access.record_type, access.record_id) == (
        reader,
        "estate.establishment",
        str(establishment.pk),
    )
    assert chain_verify().intact
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        AccessEvent.objects.filter(pk=access.pk).update(actor_label="someone else")
