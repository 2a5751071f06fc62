"""Background tasks of the planner, run by the procrastinate worker."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from inspectorate.lib.jobs import closes_db_connection
from inspectorate.planner.services import plan_solve

logger = logging.getLogger(__name__)


@app.task(queue="planner", pass_context=False)
@closes_db_connection
def plan_solve_task(run_id: int) -> str:
    """Solve one plan run: progress is written to the run as the search goes (about once a
    second); the best plan, or why there is none, when it ends. Returns the run's status."""
    status = plan_solve(run_id=run_id)
    logger.info("planner: run %s %s", run_id, status)
    return status
