"""Domain rows checked against their latest audit snapshot (DP-4).

Every insert, update and delete of a domain row writes an event holding the row as it became
(tracking.py), so the newest event of each row is a copy of the row as it is now. A change
made with triggers off (`SET session_replication_role = replica`) writes no event: the row
then differs from its latest snapshot, or exists with none, or is gone while its snapshot
says it exists. `drift_findings` finds each such row and names its table, key and fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models
from psycopg import sql


@dataclass(frozen=True)
class Drift:
    table: str
    pk: str
    problem: str
    cause: str
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        named = f" in {', '.join(self.fields)}" if self.fields else ""
        return f"{self.table} #{self.pk}: {self.problem}{named}: {self.cause}"


@dataclass(frozen=True)
class _Tracked:
    table: str
    event_table: str
    pk: str
    columns: tuple[str, ...]  # the columns the snapshots copy, the primary key included


def tracked_tables() -> list[_Tracked]:
    """Every audited domain table with its event table and the columns the events copy."""
    tracked = []
    for event_model in apps.get_models():
        model: type[models.Model] | None = getattr(event_model, "pgh_tracked_model", None)
        if model is None:
            continue
        live = {field.column for field in model._meta.concrete_fields}
        copied = tuple(
            field.column
            for field in event_model._meta.concrete_fields
            if not field.name.startswith("pgh_") and field.column in live
        )
        table, pk = model._meta.db_table, model._meta.pk.column
        tracked.append(_Tracked(table, event_model._meta.db_table, pk, copied))
    return sorted(tracked, key=lambda t: t.table)


def _drift_query(tracked: _Tracked) -> sql.Composed:
    """One statement per table, so the rows and their events are read in one snapshot."""
    pk = sql.Identifier(tracked.pk)
    compared = [c for c in tracked.columns if c != tracked.pk]
    differs = [
        sql.SQL("CASE WHEN l.{c}::text IS DISTINCT FROM s.{c}::text THEN {name} END").format(
            c=sql.Identifier(column), name=sql.Literal(column)
        )
        for column in compared
    ]
    changed = (
        sql.SQL("array_remove(ARRAY[{}]::text[], NULL)").format(sql.SQL(", ").join(differs))
        if differs
        else sql.SQL("ARRAY[]::text[]")
    )
    return sql.SQL(
        """
        WITH latest AS (
            SELECT DISTINCT ON (e.{pk}) e.* FROM {events} AS e ORDER BY e.{pk}, e.pgh_id DESC
        ), compared AS (
            SELECT coalesce(l.{pk}, s.{pk})::text AS pk, l.{pk} IS NOT NULL AS live,
                   s.pgh_id, s.pgh_label, {changed} AS changed
            FROM {table} AS l FULL OUTER JOIN latest AS s ON s.{pk} = l.{pk}
        )
        SELECT pk, live, pgh_id, pgh_label, changed FROM compared
        WHERE pgh_id IS NULL
           OR live <> (pgh_label <> 'delete')
           OR (live AND pgh_label <> 'delete' AND cardinality(changed) > 0)
        ORDER BY pk
        """
    ).format(
        pk=pk,
        events=sql.Identifier(tracked.event_table),
        table=sql.Identifier(tracked.table),
        changed=changed,
    )


def _describe(tracked: _Tracked, row: tuple[str, bool, int | None, str | None, list[str]]) -> Drift:
    pk, live, event_id, label, changed = row
    snapshot = f"{tracked.event_table}#{event_id}"
    if event_id is None:
        return Drift(
            tracked.table, pk, "exists with no audit snapshot", "inserted with triggers off"
        )
    if not live:
        return Drift(
            tracked.table,
            pk,
            f"is gone, but its latest audit snapshot ({snapshot}) says it exists",
            "deleted with triggers off",
        )
    if label == "delete":
        return Drift(
            tracked.table,
            pk,
            f"exists, but its latest audit snapshot ({snapshot}) records its deletion",
            "put back with triggers off",
        )
    return Drift(
        tracked.table,
        pk,
        f"differs from its latest audit snapshot ({snapshot})",
        "changed with triggers off",
        tuple(changed),
    )


def drift_findings() -> list[Drift]:
    """Every domain row that does not match its latest audit snapshot, named."""
    findings: list[Drift] = []
    with connection.cursor() as cursor:
        for tracked in tracked_tables():
            cursor.execute(_drift_query(tracked).as_string(cursor.connection))
            findings += [_describe(tracked, row) for row in cursor.fetchall()]
    return findings
