"""Background tasks of the programme, run by the procrastinate worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from inspectorate.lib.jobs import EMAIL_QUEUE, closes_db_connection
from inspectorate.programme.digest import digests_send
from inspectorate.programme.milestones.services import (
    milestone_reminders_send,
    milestones_update_statuses,
)
from inspectorate.programme.notifications import (
    notification_emails_catch_up,
    notification_emails_send,
)

logger = logging.getLogger(__name__)

# An SMTP server that is down or refuses is tried again: after about 40 s, 1 min, 2 min,
# 5 min, 13 min, 37 min, 2 h and 6 h (procrastinate: wait + exponential_wait ** attempts).
EMAIL_RETRY = RetryStrategy(
    max_attempts=9, wait=30, exponential_wait=3, retry_exceptions=[OSError]
)  # smtplib's errors are OSErrors too


@app.task(queue=EMAIL_QUEUE, retry=EMAIL_RETRY, pass_context=False)
@closes_db_connection
def notification_emails(notification_ids: list[int]) -> int:
    """E-mail the notifications of one `notify` to those who chose each by e-mail, after the
    writing transaction committed (see notifications). Returns how many were sent."""
    sent = notification_emails_send(notification_ids=notification_ids)
    logger.info("notifications: %s e-mails sent", sent)
    return sent


def _daily_email(cron: str, lock: str) -> Callable[[Callable[[int], int]], Any]:
    """A job run each day at `cron` on the e-mail queue, one at a time (`lock`), tried again
    while the SMTP server is down."""

    def job(work: Callable[[int], int]) -> Any:
        task = app.task(
            queue=EMAIL_QUEUE, queueing_lock=lock, retry=EMAIL_RETRY, pass_context=False
        )
        return app.periodic(cron=cron)(task(closes_db_connection(work)))

    return job


@_daily_email("30 6 * * *", "programme_email_catch_up")
def notification_emails_catch_up_daily(timestamp: int) -> int:
    """Every morning: the notification e-mails whose job gave up while the SMTP server was
    down, sent once it is back (see notifications). Returns how many were sent."""
    sent = notification_emails_catch_up()
    if sent:
        logger.warning("notifications: %s e-mails sent late, after their job gave up", sent)
    return sent


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


@_daily_email("0 7 * * *", "programme_email_digest")
def email_digest_daily(timestamp: int) -> int:
    """Every morning, after the milestones' run: the daily digest to each person who chose
    it. Running it twice on one day sends nothing the second time, so a retry after an SMTP
    failure sends only the digests not yet taken by the server. Returns how many were
    sent."""
    sent = digests_send()
    logger.info("digest: %s e-mails sent", sent)
    return sent
