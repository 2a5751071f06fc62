"""Reads over the audit trail: chain verification and recent events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from psycopg import sql

from inspectorate.audit.chain import link_digest, payload_digest
from inspectorate.audit.context import made_by, outside_service
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


@dataclass(frozen=True)
class Change:
    """One audit event, as the audit screen and the API list it."""

    pgh_created_at: datetime
    pgh_label: str
    pgh_obj_model: str  # the audited model's label, such as "estate.Establishment"
    pgh_obj_id: str
    pgh_context: dict[str, Any] | None
    made_by: str  # in words (context.made_by)
    outside_service: bool  # made by no user and no command of the service


def _event_models() -> dict[str, Any]:
    from django.apps import apps

    return {m._meta.db_table: m for m in apps.get_models() if hasattr(m, "pgh_tracked_model")}


def _newest_event_keys(models: dict[str, Any], limit: int) -> list[tuple[str, int, datetime]]:
    """The newest `limit` events over every event table: each table's newest `limit`, then
    the newest of those (pghistory's own union computes every event's diff first)."""
    newest = sql.SQL(" UNION ALL ").join(
        sql.SQL(
            "(SELECT {name} AS event_table, pgh_id, pgh_created_at FROM {table} "
            "ORDER BY pgh_created_at DESC, pgh_id DESC LIMIT {limit})"
        ).format(name=sql.Literal(table), table=sql.Identifier(table), limit=sql.Literal(limit))
        for table in sorted(models)
    )
    query = sql.SQL(
        "SELECT event_table, pgh_id, pgh_created_at FROM ({}) AS newest "
        "ORDER BY pgh_created_at DESC, event_table DESC, pgh_id DESC LIMIT {}"
    ).format(newest, sql.Literal(limit))
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection))
        return list(cursor.fetchall())


def recent_changes(*, limit: int) -> list[Change]:
    """The latest audit events across every audited model, newest first."""
    models = _event_models()
    keys = _newest_event_keys(models, limit)
    wanted: dict[str, list[int]] = {}
    for table, pgh_id, _ in keys:
        wanted.setdefault(table, []).append(pgh_id)
    events = {
        (table, event.pgh_id): event
        for table, ids in wanted.items()
        for event in models[table].objects.filter(pgh_id__in=ids).select_related("pgh_context")
    }
    changes = []
    for table, pgh_id, created_at in keys:
        event = events[(table, pgh_id)]
        context = event.pgh_context.metadata if event.pgh_context_id else None
        changes.append(
            Change(
                pgh_created_at=created_at,
                pgh_label=event.pgh_label,
                pgh_obj_model=event.pgh_tracked_model._meta.label,
                pgh_obj_id=str(event.pgh_obj_id),
                pgh_context=context,
                made_by=made_by(context),
                outside_service=outside_service(context),
            )
        )
    return changes


def access_events(*, person: str = "", record: str = "") -> QuerySet[AccessEvent]:
    """Reads of confidential records, newest first, narrowed by who read and what."""
    events = AccessEvent.objects.select_related("actor").order_by("-created_at", "-pk")
    if person:
        events = events.filter(actor_label__icontains=person)
    if record:
        events = events.filter(record_label__icontains=record)
    return events
