"""Background tasks of reports, run by the procrastinate worker."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from procrastinate.contrib.django import app

from inspectorate.lib.jobs import closes_db_connection, on_worker_lost
from inspectorate.reports.pdf import render_perform, render_worker_lost, renders_stalled_restart

logger = logging.getLogger(__name__)


@app.task(queue="reports", pass_context=False)
@closes_db_connection
def report_render_task(render_id: int) -> str:
    """Make the PDF of one ReportRender: progress is written to it at each step; the PDF and
    its page count when done, or why it failed. Returns the render's status."""
    status = render_perform(render_id=render_id)
    logger.info("reports: render %s %s", render_id, status)
    return status


@on_worker_lost(report_render_task.name)
def _render_worker_lost(args: Mapping[str, Any]) -> None:
    render_worker_lost(int(args["render_id"]))


@app.periodic(cron="*/5 * * * *")
@app.task(queueing_lock="reports_stalled_renders", pass_context=False)
@closes_db_connection
def renders_stalled_task(timestamp: int) -> tuple[int, int]:
    """Every five minutes: queue again the PDFs whose worker stopped mid-way."""
    restarted, failed = renders_stalled_restart()
    if restarted or failed:
        logger.warning("reports: %s stalled render(s) restarted, %s failed", restarted, failed)
    return restarted, failed
