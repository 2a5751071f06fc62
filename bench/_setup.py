"""Start Django on a scratch database for a benchmark, migrated and empty; and a server on a
free port."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_scratch_database(*, fresh: bool = False) -> None:
    """`fresh`: drop what an earlier run left (a bench whose writes would be 'already done'
    the second time)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    if "DATABASE_URL" in os.environ:
        os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rstrip("/") + "_bench"
    else:
        from inspectorate.lib.embedded_db import database_url

        os.environ["DATABASE_URL"] = database_url(ROOT, database="inspectorate_bench")
    _create_external(os.environ["DATABASE_URL"], fresh=fresh)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _create_external(url: str, *, fresh: bool = False) -> None:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)  # the embedded server's socket is in the query: ?host=/path
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answering(server: subprocess.Popen[bytes], port: int, refusal: str) -> subprocess.Popen[bytes]:
    """`server` once it accepts connections on `port` (within 20 s); else stopped, and the
    bench ends saying `refusal`."""
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(refusal)
