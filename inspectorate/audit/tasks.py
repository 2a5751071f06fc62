"""Background tasks of the audit trail, run by the procrastinate worker."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from inspectorate.audit.checkpoints import CheckpointRefused, checkpoint_write
from inspectorate.audit.verification import audit_verify
from inspectorate.lib.jobs import closes_db_connection

logger = logging.getLogger(__name__)


@app.periodic(cron="15 2 * * *")
@app.task(queueing_lock="audit_chain_verify", pass_context=False)
@closes_db_connection
def audit_chain_verify_nightly(timestamp: int) -> bool:
    """Verify the audit trail every night (chain, checkpoints, records); log each problem.
    A trail not intact fails the job, so the administrators' dashboard shows it."""
    report = audit_verify()
    if report.intact:
        logger.info("audit trail intact: %s events", report.chain.links_checked)
        return True
    for finding in report.findings:
        logger.error("audit trail: %s", finding)
    raise AuditTrailBroken(
        f"The audit trail is not intact: {len(report.findings)} problem(s); run "
        "`inspectorate audit verify` for them"
    )


class AuditTrailBroken(RuntimeError):
    """The nightly verification found the audit trail changed outside the service."""


@app.periodic(cron="*/15 * * * *")
@app.task(queueing_lock="audit_checkpoint", pass_context=False)
@closes_db_connection
def audit_checkpoint_periodic(timestamp: int) -> bool:
    """Every quarter of an hour, sign the chain's head into the log outside the database.

    A change made with triggers off after the last checkpoint can still be truncated and
    re-chained unseen: the interval is the window an attacker has (see the README).
    """
    try:
        checkpoint = checkpoint_write()
    except CheckpointRefused as refusal:
        logger.error("audit checkpoint refused: %s", refusal)
        return False
    logger.info("audit checkpoint: link %s, %s links", checkpoint.link, checkpoint.links)
    return True
