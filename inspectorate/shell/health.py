"""Health (the process answers) and readiness (it can do its work) for load balancers,
orchestrators and the fault drill.

Readiness asks the database on a connection of its own, with short connect and statement
timeouts, so a database that hangs makes the probe answer "not ready" within seconds rather
than hold a web worker. The answer names each check and its outcome in fixed words: never a
host name, a user, an error text or a setting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from inspectorate.shell.backup import configured_database

CONNECT_TIMEOUT_SECONDS = 2
STATEMENT_TIMEOUT_MS = 2000

_QUEUE = """
    SELECT
      (SELECT count(*) FROM procrastinate_workers
        WHERE last_heartbeat >= now() - make_interval(secs => %(lost_after)s)),
      (SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'),
      (SELECT count(*) FROM procrastinate_jobs j
         LEFT JOIN procrastinate_workers w ON w.id = j.worker_id
        WHERE j.status = 'doing'
          AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %(stalled)s))),
      (SELECT count(*) FROM procrastinate_jobs j
        WHERE j.status = 'todo'
          AND coalesce(j.scheduled_at, (SELECT min(e.at) FROM procrastinate_events e
                                          WHERE e.job_id = j.id))
              < now() - make_interval(secs => %(overdue)s))
"""

_migrations_applied = False  # once true, true for the life of the process (the code is fixed)


@dataclass
class Check:
    ok: bool
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, **self.details}


def liveness() -> dict[str, Any]:
    """The process is up and answering; nothing else is asked (it must stay cheap)."""
    return {"status": "alive"}


def readiness() -> tuple[bool, dict[str, Any]]:
    """Whether this process can serve: the database answers, every migration is applied, the
    job queue is reachable and nothing in it has stalled. Returns (ready, the answer)."""
    checks: dict[str, Check] = {}
    started = time.monotonic()
    try:
        with configured_database().connect(
            autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        ) as probe:
            probe.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
            probe.execute("SELECT 1")
            checks["database"] = Check(
                True, {"milliseconds": round((time.monotonic() - started) * 1000)}
            )
            checks["queue"] = _queue(probe)
    except psycopg.Error:
        checks["database"] = Check(False, {"problem": "unreachable or not answering in time"})
        checks.setdefault("queue", Check(False, {"problem": "the database is unreachable"}))
    checks["migrations"] = (
        _migrations() if checks["database"].ok else Check(False, {"problem": "not checked"})
    )
    ready = all(check.ok for check in checks.values())
    answer = {
        "status": "ready" if ready else "not ready",
        "checks": {name: check.as_json() for name, check in checks.items()},
    }
    return ready, answer


def _queue(probe: psycopg.Connection[Any]) -> Check:
    lost_after = float(settings.WORKER_LOST_AFTER_SECONDS)
    try:
        row = probe.execute(
            _QUEUE,
            {
                "lost_after": lost_after,
                "stalled": lost_after + settings.READY_STALLED_GRACE_SECONDS,
                "overdue": settings.READY_QUEUE_OVERDUE_SECONDS,
            },
        ).fetchone()
    except psycopg.Error:
        return Check(False, {"problem": "the job queue cannot be read"})
    assert row is not None
    workers, waiting, stalled, overdue = (int(value) for value in row)
    details: dict[str, Any] = {
        "workers": workers,
        "waiting": waiting,
        "stalled": stalled,
        "overdue": overdue,
    }
    if stalled:
        details["problem"] = "jobs of lost workers have not been taken up again"
    elif overdue:
        details["problem"] = "jobs have waited too long for a worker"
    return Check(not stalled and not overdue, details)


def _migrations() -> Check:
    global _migrations_applied
    if _migrations_applied:
        return Check(True, {"unapplied": 0})
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except Exception:  # any failure here means "not known to be migrated"
        return Check(False, {"problem": "the applied migrations cannot be read"})
    _migrations_applied = unapplied == 0
    details: dict[str, Any] = {"unapplied": unapplied}
    if unapplied:
        details["problem"] = "the database is not migrated to this release"
    return Check(unapplied == 0, details)
