"""Support for background tasks."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

EMAIL_QUEUE = "email"  # every job that sends e-mail runs on this queue

P = ParamSpec("P")
R = TypeVar("R")


def closes_db_connection(task: Callable[P, R]) -> Callable[P, R]:
    """Close the worker thread's database connection when the task ends.

    Procrastinate runs synchronous tasks in threads of its own; a persistent connection left
    open there would be held for as long as the worker lives, one per thread.
    """

    @functools.wraps(task)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return task(*args, **kwargs)
        finally:
            connection.close()

    return wrapper


# Jobs whose worker died ------------------------------------------------------------------

Reset = Callable[[Mapping[str, Any]], None]
_resets: dict[str, Reset] = {}


def on_worker_lost(task_name: str) -> Callable[[Reset], Reset]:
    """Register how to put a task's record back to "waiting" when its worker died mid-job.

    The reset runs in the same transaction as the job's retry: the retried job then finds its
    record waiting, as on its first run, and does the work once.
    """

    def register(reset: Reset) -> Reset:
        _resets[task_name] = reset
        return reset

    return register


def jobs_lost_recover(*, lost_after: float | None = None) -> list[int]:
    """Retry every job left "doing" by a worker that stopped sending heartbeats (killed,
    machine lost). Returns the ids of the jobs handed back to the queue."""
    from procrastinate import sql

    seconds = settings.WORKER_LOST_AFTER_SECONDS if lost_after is None else lost_after
    recovered = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql.queries["select_stalled_jobs_by_heartbeat"],
            {"queue": None, "task_name": None, "seconds_since_heartbeat": seconds},
        )
        columns = [column[0] for column in cursor.description or ()]
        for row in cursor.fetchall():
            job = dict(zip(columns, row, strict=True))
            reset = _resets.get(job["task_name"])
            if reset is not None:
                args = job["args"]  # jsonb: Django's cursor hands it over as text
                reset(json.loads(args) if isinstance(args, str) else args or {})
            cursor.execute(
                sql.queries["retry_job"],
                {
                    "job_id": job["id"],
                    "retry_at": timezone.now(),
                    "new_priority": None,
                    "new_queue_name": None,
                    "new_lock": None,
                },
            )
            recovered.append(int(job["id"]))
    if recovered:
        logger.warning("jobs: %s job(s) of a lost worker queued again", len(recovered))
    return recovered
