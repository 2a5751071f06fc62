"""Background tasks of safeguarding alerts, run by the procrastinate worker."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from inspectorate.lib.jobs import closes_db_connection
from inspectorate.safeguarding.services import alerts_escalate

logger = logging.getLogger(__name__)


@app.periodic(cron="*/5 * * * *")
@app.task(queueing_lock="safeguarding_escalate", pass_context=False)
@closes_db_connection
def alerts_escalate_due(timestamp: int) -> int:
    """Every five minutes: escalate alerts unacknowledged for an hour (SG-1)."""
    count = alerts_escalate()
    if count:
        logger.warning("safeguarding: %s alert(s) escalated, not yet acknowledged", count)
    return count
