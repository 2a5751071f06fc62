"""Recompute every existing chain link in the new format (DP-3): each link now covers its
event row through payload_digest, so that retention can erase personal data from a row
while the chain still verifies. Runs after every app's chain trigger is replaced, so links
written by the old triggers during the same migrate are recomputed too."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import migrations

CHAINED_TABLES = """
    SELECT c.relname, a.attname
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
    WHERE t.tgname LIKE 'pgtrigger_audit_chain_%%' AND NOT t.tgisinternal
"""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def rechain(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        cursor.execute(CHAINED_TABLES)
        payloads: dict[tuple[str, str], str] = {}
        for table, pk in cursor.fetchall():
            cursor.execute(f'SELECT "{pk}"::text, row_to_json(t)::text FROM "{table}" AS t')
            payloads.update({(table, key): row for key, row in cursor.fetchall()})
        cursor.execute(
            "SELECT id, event_table, event_id, digest FROM audit_chainlink ORDER BY id"
        )
        previous = old_previous = ""
        updates = []
        for link_id, table, event_id, old_digest in cursor.fetchall():
            row = payloads.get((table, event_id))
            # Only a row the old chain vouches for gets a payload digest: a row missing or
            # already altered stays broken, and verification names it.
            vouched = row is not None and old_digest == _sha(f"{old_previous}{table}:{event_id}:{row}")
            payload = _sha(row) if vouched and row is not None else ""
            old_previous = old_digest
            digest = _sha(f"{previous}{table}:{event_id}:{payload}")
            updates.append((previous, payload, digest, link_id))
            previous = digest
        cursor.execute("ALTER TABLE audit_chainlink DISABLE TRIGGER USER")
        cursor.executemany(
            "UPDATE audit_chainlink SET previous_digest = %s, payload_digest = %s, digest = %s "
            "WHERE id = %s",
            updates,
        )
        cursor.execute("ALTER TABLE audit_chainlink ENABLE TRIGGER USER")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain_payload_digest_and_erasures"),
        ("accounts", "0006_audit_chain_over_payload_digest"),
        ("api", "0004_audit_chain_over_payload_digest"),
        ("calendars", "0002_audit_chain_over_payload_digest"),
        ("complaints", "0003_audit_chain_over_payload_digest"),
        ("estate", "0006_audit_chain_over_payload_digest"),
        ("frameworks", "0004_audit_chain_over_payload_digest"),
        ("improvement", "0004_audit_chain_over_payload_digest"),
        ("inspections", "0002_audit_chain_over_payload_digest"),
        ("inspectors", "0004_audit_chain_over_payload_digest"),
        ("programme", "0004_audit_chain_over_payload_digest"),
        ("reports", "0005_audit_chain_over_payload_digest"),
        ("safeguarding", "0002_audit_chain_over_payload_digest"),
    ]

    operations = [migrations.RunPython(rechain, migrations.RunPython.noop, elidable=False)]
