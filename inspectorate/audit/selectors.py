"""Reads over the audit trail: chain verification and recent events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from psycopg import sql

from inspectorate.audit.chain import link_digest
from inspectorate.audit.context import made_by, outside_service
from inspectorate.audit.models import AccessEvent, ChainLink


@dataclass(frozen=True)
class ChainReport:
    links_checked: int
    first_bad: str | None  # "table#id: what is wrong", or None when the chain is intact

    @property
    def intact(self) -> bool:
        return self.first_bad is None


def _event_payloads(table: str, pk_column: str) -> dict[str, str]:
    query = sql.SQL("SELECT {pk}::text, row_to_json(t)::text FROM {table} AS t").format(
        pk=sql.Identifier(pk_column), table=sql.Identifier(table)
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        cursor.execute(query.as_string(cursor.connection))
        return dict(cursor.fetchall())


def chained_tables() -> dict[str, str]:
    """Every table whose inserts are chained, with its primary key column."""
    from django.apps import apps

    return {
        model._meta.db_table: model._meta.pk.column
        for model in apps.get_models()
        if any(t.name == "audit_chain" for t in getattr(model._meta, "triggers", []))
    }


def chain_verify() -> ChainReport:
    """Recompute the whole chain; report the first link whose event or order was altered.

    Also reports event rows that have no link (inserted with the trigger disabled).
    """
    from django.db import transaction

    with transaction.atomic():
        links = list(
            ChainLink.objects.order_by("id").values_list(
                "event_table", "event_id", "previous_digest", "digest"
            )
        )
        payloads = {table: _event_payloads(table, pk) for table, pk in chained_tables().items()}
        previous = ""
        for count, (table, event_id, previous_digest, digest) in enumerate(links, start=1):
            where = f"{table}#{event_id}"
            payload = payloads.get(table, {}).pop(event_id, None)
            if payload is None:
                return ChainReport(count, f"{where}: the event row is missing")
            if previous_digest != previous:
                return ChainReport(count, f"{where}: the link before it was removed or altered")
            if link_digest(previous, table, event_id, payload) != digest:
                return ChainReport(count, f"{where}: the event row was altered")
            previous = digest
        for table, unlinked in payloads.items():
            if unlinked:
                return ChainReport(len(links), f"{table}#{min(unlinked)}: not in the chain")
        return ChainReport(len(links), None)


def recent_changes(*, limit: int) -> list[Any]:
    """The latest audit events across every audited model, newest first, each with `made_by`
    (in words) and `outside_service` (made by no user and no command of the service)."""
    from pghistory.models import Events

    events = list(Events.objects.order_by("-pgh_created_at")[:limit])
    for event in events:
        event.made_by = made_by(event.pgh_context)
        event.outside_service = outside_service(event.pgh_context)
    return events


def recent_access_events(*, limit: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.select_related("actor").order_by("-created_at")[:limit])
