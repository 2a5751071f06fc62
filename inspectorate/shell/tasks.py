"""Background tasks of the interface shell, run by the procrastinate worker."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from procrastinate.contrib.django import app

from inspectorate.lib import idempotency
from inspectorate.lib.jobs import closes_db_connection, jobs_lost_recover
from inspectorate.shell.backup_schedule import backup_scheduled

logger = logging.getLogger(__name__)


@app.periodic(cron="40 * * * *")
@app.task(queueing_lock="idempotency_records_purge", pass_context=False)
@closes_db_connection
def idempotency_records_purge(timestamp: int) -> int:
    """Forget idempotency keys past their lifetime (24 hours), every hour."""
    return idempotency.expired_purge()


@app.periodic(cron=settings.JOBS_SWEEP_CRON)
@app.task(queueing_lock="jobs_lost_recover", pass_context=False)
@closes_db_connection
def jobs_lost_recover_task(timestamp: int) -> int:
    """Every minute: queue again the jobs of workers that stopped sending heartbeats."""
    return len(jobs_lost_recover())


@app.periodic(cron=settings.BACKUP_CRON)
@app.task(queueing_lock="backup_scheduled", pass_context=False)
@closes_db_connection
def backup_scheduled_task(timestamp: int) -> str:
    """Nightly: a checked backup into INSPECTORATE_BACKUP_DIR, older ones past retention
    deleted (nothing happens when the folder is not set)."""
    if not settings.BACKUP_FOLDER:
        return "no backup folder set"
    done = backup_scheduled(
        Path(settings.BACKUP_FOLDER),
        daily=settings.BACKUP_KEEP_DAILY,
        weekly=settings.BACKUP_KEEP_WEEKLY,
    )
    logger.info("backup: %s written, %s deleted", done.path.name, len(done.deleted))
    return done.path.name
