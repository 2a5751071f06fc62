"""Background tasks of the planner, run by the procrastinate worker."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from procrastinate.contrib.django import app

from inspectorate.lib.jobs import closes_db_connection, on_worker_lost
from inspectorate.planner.services import plan_solve, plan_worker_lost

logger = logging.getLogger(__name__)


@app.task(queue="planner", pass_context=False)
@closes_db_connection
def plan_solve_task(run_id: int) -> str:
    """Solve one plan run: progress is written to the run as the search goes (about once a
    second); the best plan, or why there is none, when it ends. Returns the run's status."""
    status = plan_solve(run_id=run_id)
    logger.info("planner: run %s %s", run_id, status)
    return status


@on_worker_lost(plan_solve_task.name)
def _plan_worker_lost(args: Mapping[str, Any]) -> None:
    plan_worker_lost(run_id=int(args["run_id"]))
