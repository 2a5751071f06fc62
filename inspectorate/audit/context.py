"""Who made a change, as the database saw it.

pghistory attaches to each event the context the service set (the signed-in user and page, or
the command). A write from outside the service (psql, a script with the database's password)
sets none, and was recorded with no author at all. Our version of pghistory's
`_pgh_attach_context()` also records the database's own view of every writer: the database
user, the application name the client gave and the client's address; and when the service set
no context it makes one from those, so such a change is shown as made outside the service.

The application name is the client's own claim: the service gives "inspectorate" (settings),
psql gives "psql", and anyone may give any. The database user and the address are the
server's: they are what to trust.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SERVICE_APPLICATION = "inspectorate"

_ATTACH_CONTEXT = """
CREATE OR REPLACE FUNCTION _pgh_attach_context()
RETURNS pghistory_context.id%TYPE AS $$
    DECLARE
        _pgh_context_id UUID;
        _pgh_context_metadata JSONB;
        _database JSONB;
    BEGIN
        BEGIN
            _pgh_context_id := NULLIF(current_setting('pghistory.context_id', true), '')::uuid;
            _pgh_context_metadata :=
                NULLIF(current_setting('pghistory.context_metadata', true), '')::jsonb;
        EXCEPTION WHEN OTHERS THEN
            _pgh_context_id := NULL;
        END;
        _database := jsonb_build_object(
            'database_user', session_user::text,
            'application_name', coalesce(current_setting('application_name', true), ''),
            'client_addr', coalesce(host(inet_client_addr()), 'local socket'),
            'backend_pid', pg_backend_pid()
        );
        IF _pgh_context_id IS NULL OR _pgh_context_metadata IS NULL OR (
            _pgh_context_metadata ? 'database_only' AND NOT _pgh_context_metadata @> _database
        ) THEN
            -- No context from the service: one from the database's view, kept for the rest of
            -- the transaction while that view stays the same (a new one if it changes).
            _pgh_context_id := gen_random_uuid();
            _pgh_context_metadata := jsonb_build_object('database_only', true) || _database;
            PERFORM set_config('pghistory.context_id', _pgh_context_id::text, true);
            PERFORM set_config('pghistory.context_metadata', _pgh_context_metadata::text, true);
        END IF;
        _pgh_context_metadata := _pgh_context_metadata || _database;
        INSERT INTO pghistory_context (id, metadata, created_at, updated_at)
            VALUES (_pgh_context_id, _pgh_context_metadata, NOW(), NOW())
            ON CONFLICT (id) DO UPDATE
                SET metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at
                WHERE pghistory_context.metadata != EXCLUDED.metadata;
        RETURN _pgh_context_id;
    END;
$$ LANGUAGE plpgsql;
"""


def install_attach_context(connection: BaseDatabaseWrapper) -> None:
    """Replace pghistory's context function with ours (after pghistory installs its own)."""
    with connection.cursor() as cursor:
        cursor.execute(_ATTACH_CONTEXT)


def install_on_migrate(using: str = "default", **kwargs: Any) -> None:
    install_attach_context(connections[using])


def outside_service(metadata: dict[str, Any] | None) -> bool:
    """True when the change was made with no user and no command of the service: by a
    connection that is not the service's (psql, a script), or by the service's own background
    work, which sets no context; the application name tells which, as far as it can be trusted.
    """
    meta = metadata or {}
    if meta.get("user") or meta.get("command") or meta.get("url") or "database_user" not in meta:
        return False
    return meta.get("application_name") != SERVICE_APPLICATION


def made_by(metadata: dict[str, Any] | None) -> str:
    """Who made a change, in words, from its event's context. A change made outside the
    service reads 'Database user postgres, psql, from local socket' (`outside_service` says
    so apart, for the screens' tag)."""
    meta = metadata or {}
    if meta.get("command"):
        return str(meta["command"])
    if meta.get("user"):
        return f"user {meta['user']} at {meta.get('url', '')}".strip()
    if "database_user" not in meta:
        return ""
    origin = (
        f"database user {meta['database_user']}, "
        f"{meta.get('application_name') or 'no application name'}, "
        f"from {meta.get('client_addr', 'an unknown address')}"
    )
    if outside_service(meta):
        return origin[0].upper() + origin[1:]
    return f"The service's background work: {origin}"
