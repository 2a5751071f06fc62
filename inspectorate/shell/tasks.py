"""Background tasks of the interface shell, run by the procrastinate worker."""

from __future__ import annotations

from procrastinate.contrib.django import app

from inspectorate.lib import idempotency
from inspectorate.lib.jobs import closes_db_connection


@app.periodic(cron="40 * * * *")
@app.task(queueing_lock="idempotency_records_purge", pass_context=False)
@closes_db_connection
def idempotency_records_purge(timestamp: int) -> int:
    """Forget idempotency keys past their lifetime (24 hours), every hour."""
    return idempotency.expired_purge()
