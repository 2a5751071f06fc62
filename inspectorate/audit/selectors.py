"""Reads over the audit trail: chain verification and recent events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from psycopg import sql

from inspectorate.audit.chain import link_digest, payload_digest
from inspectorate.audit.models import AccessEvent, ChainLink, RedactedEvent


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


def _redacted_digests() -> dict[tuple[str, str], str]:
    """The digest each erased event row must now have: the latest redaction of it wins."""
    rows = RedactedEvent.objects.order_by("id").values_list(
        "event_table", "event_id", "redacted_digest"
    )
    return {(table, event_id): digest for table, event_id, digest in rows}


def chain_verify() -> ChainReport:
    """Recompute the whole chain; report the first link whose event or order was altered.

    Each link covers its event row through the row's digest. A row erased under the
    retention schedule (DP-3) must match the digest its RedactedEvent recorded instead.
    Also reports event rows that have no link (inserted with the trigger disabled).
    """
    from django.db import transaction

    with transaction.atomic():
        links = list(
            ChainLink.objects.order_by("id").values_list(
                "event_table", "event_id", "previous_digest", "payload_digest", "digest"
            )
        )
        payloads = {table: _event_payloads(table, pk) for table, pk in chained_tables().items()}
        redacted = _redacted_digests()
        previous = ""
        for count, (table, event_id, previous_digest, covered, digest) in enumerate(links, start=1):
            where = f"{table}#{event_id}"
            payload = payloads.get(table, {}).pop(event_id, None)
            if payload is None:
                return ChainReport(count, f"{where}: the event row is missing")
            if previous_digest != previous:
                return ChainReport(count, f"{where}: the link before it was removed or altered")
            if link_digest(previous, table, event_id, covered) != digest:
                return ChainReport(count, f"{where}: the link was altered")
            expected = redacted.get((table, event_id), covered)
            if payload_digest(payload) != expected:
                return ChainReport(count, f"{where}: the event row was altered")
            previous = digest
        for table, unlinked in payloads.items():
            if unlinked:
                return ChainReport(len(links), f"{table}#{min(unlinked)}: not in the chain")
        return ChainReport(len(links), None)


def recent_changes(*, limit: int) -> list[Any]:
    """The latest audit events across every audited model, newest first."""
    from pghistory.models import Events

    return list(Events.objects.order_by("-pgh_created_at")[:limit])


def recent_access_events(*, limit: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.select_related("actor").order_by("-created_at")[:limit])
