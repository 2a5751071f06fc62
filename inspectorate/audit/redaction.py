"""Erasing personal data from chained rows (DP-3) without breaking the chain.

`redact_rows` overwrites the named fields of rows of a chained table (an audit event table,
or the read log) with the redaction marker, bypassing only that table's append-only trigger,
and records for each row a RedactedEvent holding the digest of the row as erased. The chain
still covers each row as inserted (ChainLink.payload_digest), so `audit_verify` passes, and a
later change to an erased row is still detected.

`is_redacted` lets other checks (for example a live-row-versus-snapshot drift check) recognise
an erased snapshot, so it is not reported as tampering.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pgtrigger
from django.db import connection, models
from psycopg import sql

from inspectorate.audit.models import Erasure, RedactedEvent

# What an erased field reads afterwards; short enough for every text field it replaces.
REDACTED = "[erased]"


def is_redacted(row: Mapping[str, Any]) -> bool:
    """True when any field of `row` (a dict of a live row or an audit snapshot) holds the
    redaction marker: retention erased it on purpose."""
    return any(value == REDACTED for value in row.values())


def redacted_event_ids(table: str) -> set[str]:
    """The ids of the rows of chained `table` that retention erased."""
    return set(RedactedEvent.objects.filter(event_table=table).values_list("event_id", flat=True))


def _row_digests(model: type[models.Model], ids: list[Any]) -> dict[str, str]:
    """The digest of each row's JSON text in UTC, exactly as the chain trigger takes it."""
    query = sql.SQL(
        "SELECT {pk}::text, encode(sha256(convert_to(row_to_json(t)::text, 'UTF8')), 'hex') "
        "FROM {table} AS t WHERE {pk} = ANY(%s)"
    ).format(pk=sql.Identifier(model._meta.pk.column), table=sql.Identifier(model._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('TimeZone')")
        (zone,) = cursor.fetchone() or ("UTC",)
        cursor.execute("SELECT set_config('TimeZone', 'UTC', true)")
        cursor.execute(query.as_string(cursor.connection), [ids])
        digests = dict(cursor.fetchall())
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [zone])
    return digests


def redact_rows(*, erasure: Erasure, rows: models.QuerySet[Any], fields: Mapping[str, Any]) -> int:
    """Overwrite `fields` of every row of `rows` (a chained model: an audit event model or
    the read log) and record each as redacted under `erasure`. Returns how many rows.

    `fields` maps a field name to its erased value: REDACTED for text, None for a link to a
    person. Call inside the disposal's transaction."""
    model = rows.model
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return 0
    with pgtrigger.ignore(f"{model._meta.label}:append_only"):
        model._default_manager.filter(pk__in=ids).update(**fields)
    digests = _row_digests(model, ids)
    RedactedEvent.objects.bulk_create(
        RedactedEvent(
            erasure=erasure,
            event_table=model._meta.db_table,
            event_id=event_id,
            redacted_digest=digest,
        )
        for event_id, digest in digests.items()
    )
    return len(ids)


def redact_history(
    *,
    erasure: Erasure,
    model: type[models.Model],
    obj_ids: list[Any],
    fields: Mapping[str, Any],
    before_pgh_id: int | None = None,
) -> int:
    """Erase `fields` from every audit snapshot of the `model` rows `obj_ids` (all of them,
    or only those older than `before_pgh_id`). Returns how many snapshots."""
    event_model: Any = getattr(model, "pgh_event_model")  # noqa: B009 (set by pghistory)
    snapshots = event_model.objects.filter(pgh_obj_id__in=obj_ids)
    if before_pgh_id is not None:
        snapshots = snapshots.filter(pgh_id__lte=before_pgh_id)
    return redact_rows(erasure=erasure, rows=snapshots, fields=fields)


def latest_snapshot_id(model: type[models.Model]) -> int:
    """The newest snapshot id of `model`'s audit events (0 when none)."""
    event_model: Any = getattr(model, "pgh_event_model")  # noqa: B009
    return event_model.objects.aggregate(top=models.Max("pgh_id"))["top"] or 0
