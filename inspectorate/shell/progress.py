"""Progress bars for the long commands, drawn on standard error so that an export written to
standard output stays clean. When standard error is not a terminal nothing is drawn."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


def _bar(counter: str, stream: TextIO | None) -> Progress:
    """A bar with its title, `counter` (a rich format of the task) and the time taken; it
    is drawn only on a terminal and goes once done."""
    console = Console(file=stream or sys.stderr)
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn(counter),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@contextmanager
def steps(title: str, total: int, stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """A bar of `total` steps; call the yielded function with each step's name as it starts."""
    progress = _bar("{task.completed}/{task.total}", stream)
    with progress:
        task = progress.add_task(title, total=total)
        started = 0

        def step(name: str) -> None:
            nonlocal started
            if started:
                progress.advance(task)
            started += 1
            progress.update(task, description=f"{title}: {name}")

        yield step
        progress.update(task, completed=total)


@contextmanager
def percent(title: str, stream: TextIO | None = None) -> Iterator[Callable[[int], None]]:
    """A bar from 0 to 100; call the yielded function with the percentage done."""
    progress = _bar("{task.percentage:>3.0f}%", stream)
    with progress:
        task = progress.add_task(title, total=100)
        yield lambda done: progress.update(task, completed=done)
        progress.update(task, completed=100)
