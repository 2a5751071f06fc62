"""Running the e-mail jobs a test queued, as the worker would.

`notify` queues its e-mails as a job when the transaction commits. In a test that runs
inside one transaction (the usual `db` fixture) the worker, on its own connection, cannot
see those jobs; `email_jobs_run` runs them in the test's transaction instead, through the
task's own function, and removes them from the queue. Transactional tests use the
`run_worker` fixture (conftest) and a real worker.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from inspectorate.programme.tasks import notification_emails


def email_jobs() -> list[dict[str, Any]]:
    """The arguments of each e-mail job waiting in the queue, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT args FROM procrastinate_jobs WHERE task_name = %s AND status = 'todo' "
            "ORDER BY id",
            [notification_emails.name],
        )
        return [json.loads(a) if isinstance(a, str) else a for (a,) in cursor.fetchall()]


def email_jobs_run() -> int:
    """Run every waiting e-mail job once and take it off the queue; how many were sent."""
    task: Any = notification_emails.func
    sent = sum(task.__wrapped__(**args) for args in email_jobs())
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE task_name = %s AND status = 'todo'",
            [notification_emails.name],
        )
    return sent
