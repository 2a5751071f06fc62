"""Support for background tasks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import connection

P = ParamSpec("P")
R = TypeVar("R")


def closes_db_connection(task: Callable[P, R]) -> Callable[P, R]:
    """Close the worker thread's database connection when the task ends.

    Procrastinate runs synchronous tasks in threads of its own; a persistent connection left
    open there would be held for as long as the worker lives, one per thread.
    """

    @functools.wraps(task)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return task(*args, **kwargs)
        finally:
            connection.close()

    return wrapper
