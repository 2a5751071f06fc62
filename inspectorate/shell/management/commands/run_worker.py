"""A background-task worker that outlives a database restart.

procrastinate's own worker stops when one of its side tasks (the LISTEN connection, the
heartbeat, the periodic deferrer) loses the database: a restart of PostgreSQL stopped every
worker for good (the fault drill found it). This command runs the same worker and, when it
stops without having been asked to, starts it again after a pause (1 s, doubling to 30 s)
until the database answers; SIGTERM or SIGINT stop it as usual, finishing the current job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app, django_connector

logger = logging.getLogger("inspectorate.worker")

FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 30.0


class Command(BaseCommand):
    help = (
        "Run a background-task worker (procrastinate) that starts again by itself after the "
        "database was lost; SIGTERM finishes the current job and stops it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            help="a queue to work on (repeat it for several; default every queue)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connector = app.connector
        if isinstance(connector, django_connector.DjangoConnector):
            with app.replace_connector(connector.get_worker_connector()):
                asyncio.run(_work(options.get("queues")))
        else:
            asyncio.run(_work(options.get("queues")))


async def _work(queues: list[str] | None) -> None:
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    app.perform_import_paths()
    pause = FIRST_PAUSE_SECONDS
    while not stopping.is_set():
        chosen: dict[str, Any] = {"queues": queues} if queues else {}
        worker = app._worker(install_signal_handlers=False, **chosen)

        def stop(worker: Any = worker) -> None:
            stopping.set()
            worker.stop()

        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop)
        try:
            async with app.open_async():
                await worker.run()
            pause = FIRST_PAUSE_SECONDS
        except Exception:
            logger.exception("worker: stopped by an error")
        if stopping.is_set():
            break
        logger.warning("worker: stopped without being asked (database lost?); again in %s s", pause)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=pause)
        pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
