"""Background tasks of improvement cases, run by the procrastinate worker."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from inspectorate.improvement.services import insufficient_progress_email_send
from inspectorate.lib.jobs import EMAIL_QUEUE, closes_db_connection
from inspectorate.programme.tasks import EMAIL_RETRY

logger = logging.getLogger(__name__)


@app.task(queue=EMAIL_QUEUE, retry=EMAIL_RETRY, pass_context=False)
@closes_db_connection
def insufficient_progress_email(case_id: int, letter_id: int) -> int:
    """SC-5: e-mail the case's funding and commissioning bodies once the judgement of
    insufficient progress has committed; retried while the SMTP server is down."""
    sent = insufficient_progress_email_send(case_id=case_id, letter_id=letter_id)
    logger.info("improvement: %s insufficient-progress e-mail(s) sent", sent)
    return sent
