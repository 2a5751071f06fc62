"""The hash chain over the audit events.

After every insert into an audit event table a trigger appends a ChainLink holding
payload_digest = sha256(the event row as JSON) and
digest = sha256(previous digest || table || ':' || event id || ':' || payload_digest).
Altering, removing or inserting an event row by any route, raw SQL included, breaks the chain
at that row; `manage.py audit_verify` recomputes it and names the first bad event.

The chain covers each payload through its digest so that retention (DP-3) can erase personal
data from an event row: the erased row no longer matches payload_digest, but a RedactedEvent
(itself chained) records the digest of the erased row, and the chain still verifies.
"""

from __future__ import annotations

import hashlib

import pgtrigger

from inspectorate.audit.constants import CHAIN_LOCK_KEY

CHAIN_TABLE = "audit_chainlink"

_CHAIN_FUNC = f"""
    -- The JSON text of timestamps depends on the session time zone: hash it in UTC.
    previous_zone := current_setting('TimeZone');
    PERFORM set_config('TimeZone', 'UTC', true);
    payload := encode(sha256(convert_to(row_to_json(NEW)::text, 'UTF8')), 'hex');
    PERFORM set_config('TimeZone', previous_zone, true);
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
    SELECT digest INTO previous FROM {CHAIN_TABLE} ORDER BY id DESC LIMIT 1;
    previous := coalesce(previous, '');
    INSERT INTO {CHAIN_TABLE}
        (event_table, event_id, previous_digest, payload_digest, digest, created_at)
    VALUES (
        TG_TABLE_NAME,
        NEW.{{meta.pk.column}}::text,
        previous,
        payload,
        encode(sha256(convert_to(
            previous || TG_TABLE_NAME || ':' || NEW.{{meta.pk.column}}::text || ':' || payload,
            'UTF8'
        )), 'hex'),
        now()
    );
    RETURN NULL;
"""


def chain_trigger() -> pgtrigger.Trigger:
    """The AFTER INSERT trigger that appends each new event row to the hash chain."""
    return pgtrigger.Trigger(
        name="audit_chain",
        when=pgtrigger.After,
        operation=pgtrigger.Insert,
        declare=[("previous", "text"), ("previous_zone", "text"), ("payload", "text")],
        func=pgtrigger.Func(_CHAIN_FUNC),
    )


def payload_digest(payload: str) -> str:
    """The digest of an event row's JSON text, as the trigger computes it."""
    return hashlib.sha256(payload.encode()).hexdigest()


def link_digest(previous: str, table: str, event_id: str, digest_of_payload: str) -> str:
    """The link digest the trigger computes, recomputed in Python for verification."""
    material = f"{previous}{table}:{event_id}:{digest_of_payload}".encode()
    return hashlib.sha256(material).hexdigest()
