"""Background tasks of the audit trail, run by the procrastinate worker."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from inspectorate.audit.selectors import chain_verify
from inspectorate.lib.jobs import closes_db_connection

logger = logging.getLogger(__name__)


@app.periodic(cron="15 2 * * *")
@app.task(queueing_lock="audit_chain_verify", pass_context=False)
@closes_db_connection
def audit_chain_verify_nightly(timestamp: int) -> bool:
    """Verify the audit chain every night; a broken chain is logged as an error."""
    report = chain_verify()
    if report.intact:
        logger.info("audit chain intact: %s events", report.links_checked)
    else:
        logger.error("audit chain broken: %s", report.first_bad)
    return report.intact
