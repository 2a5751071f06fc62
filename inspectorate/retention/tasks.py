"""The nightly retention run, on the procrastinate worker (DP-1, DP-3)."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from inspectorate.lib.jobs import closes_db_connection
from inspectorate.retention.services import retention_run

logger = logging.getLogger(__name__)


@app.periodic(cron="30 2 * * *")
@app.task(queueing_lock="retention_nightly", pass_context=False)
@closes_db_connection
def retention_nightly(timestamp: int) -> int:
    """Every night: dispose of what the retention schedule says is due. Returns how many."""
    report = retention_run(dry_run=False, performed_by="retention (nightly task)")
    if report.failed:
        logger.error("retention: %s disposal(s) failed", len(report.failed))
    return len(report.disposed)
