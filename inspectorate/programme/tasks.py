"""Background tasks of the programme, run by the procrastinate worker."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from inspectorate.lib.jobs import closes_db_connection
from inspectorate.programme.digest import digests_send
from inspectorate.programme.milestone_services import (
    milestone_reminders_send,
    milestones_update_statuses,
)

logger = logging.getLogger(__name__)


@app.periodic(cron="0 6 * * *")
@app.task(queueing_lock="programme_milestones_daily", pass_context=False)
@closes_db_connection
def milestones_daily(timestamp: int) -> int:
    """Every morning: unmet milestones past due become missed, then the people responsible
    are reminded of what is overdue or due within five working days. Running it twice on
    one day sends nothing the second time. Returns the number of notifications written."""
    missed = milestones_update_statuses()
    report = milestone_reminders_send()
    logger.info(
        "milestones: %s newly missed, %s reminded in %s notifications",
        missed,
        report.milestones,
        report.notifications,
    )
    return report.notifications


@app.periodic(cron="0 7 * * *")
@app.task(queueing_lock="programme_email_digest", pass_context=False)
@closes_db_connection
def email_digest_daily(timestamp: int) -> int:
    """Every morning, after the milestones' run: the daily digest to each person who chose
    it. Running it twice on one day sends nothing the second time. Returns how many were
    sent."""
    sent = digests_send()
    logger.info("digest: %s e-mails sent", sent)
    return sent
