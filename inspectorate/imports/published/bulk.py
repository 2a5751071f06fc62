"""Many reports at once: a folder or a zip of them, each in its own transaction (HI-2).

One report refused (or failing to write) does not stop the others; each outcome says why.
"""

from __future__ import annotations

import multiprocessing
import os
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.db import DatabaseError

from inspectorate.imports.published.commit import ImportRefused, ImportResult, commit_import
from inspectorate.imports.published.parsed import ParsedReport
from inspectorate.imports.published.plan import ImportPlan
from inspectorate.imports.published.reading import read_or_refusal
from inspectorate.imports.published.services import (
    MAX_REPORT_BYTES,
    NotImportable,
    report_review,
)

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

REPORT_SUFFIXES = frozenset({".pdf", ".docx", ".txt"})
Status = Literal["imported", "unchanged", "refused", "to import"]


class NoReports(ValueError):
    """The path names no report file, folder or zip that can be read."""


@dataclass
class Outcome:
    name: str
    status: Status
    reason: str = ""
    plan: ImportPlan | None = None
    result: ImportResult | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "outcome": self.status,
            "reason": self.reason,
            "plan": self.plan.as_json() if self.plan else None,
        }


def _is_report(name: str) -> bool:
    path = Path(name)
    return path.suffix.lower() in REPORT_SUFFIXES and not any(
        part.startswith(("__MACOSX", ".")) for part in path.parts
    )


def report_count(path: Path) -> int:
    return sum(1 for _ in _names(path))


def _names(path: Path) -> Iterator[str]:
    if path.is_dir():
        for found in sorted(path.rglob("*")):
            if found.is_file() and _is_report(str(found.relative_to(path))):
                yield str(found.relative_to(path))
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            yield from sorted(
                info.filename
                for info in archive.infolist()
                if not info.is_dir() and _is_report(info.filename)
            )
    elif path.is_file():
        yield path.name
    else:
        raise NoReports(f"{path}: no such file or folder")


def report_files(path: Path) -> Iterator[tuple[str, bytes | None]]:
    """(name, content) of every report under `path`: a file, a folder (searched through) or
    a zip. Content None: larger than a report can be (not read)."""
    if path.is_dir():
        for name in _names(path):
            member = path / name
            too_big = member.stat().st_size > MAX_REPORT_BYTES
            yield name, None if too_big else member.read_bytes()
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in _names(path):
                info = archive.getinfo(name)
                too_big = info.file_size > MAX_REPORT_BYTES
                yield name, None if too_big else archive.read(info)
    elif path.is_file():
        yield path.name, path.read_bytes()
    else:
        raise NoReports(f"{path}: no such file or folder")


def import_one(
    *,
    actor: User,
    name: str,
    data: bytes | None,
    dry_run: bool,
    parsed: ParsedReport | str | None = None,
) -> Outcome:
    """Review one report and, unless `dry_run`, import it in its own transaction. `parsed`:
    the report as a worker read it, or why it could not."""
    if data is None:
        return Outcome(name, "refused", f"larger than {MAX_REPORT_BYTES // (1024 * 1024)} MB")
    if isinstance(parsed, str):
        return Outcome(name, "refused", parsed)
    try:
        plan = report_review(actor=actor, data=data, filename=Path(name).name, parsed=parsed)
    except NotImportable as problem:
        return Outcome(name, "refused", str(problem))
    if plan.refused:
        return Outcome(name, "refused", "; ".join(plan.refusal_messages()), plan)
    if plan.same_document is not None:
        return Outcome(name, "unchanged", "imported already", plan)
    if dry_run:
        return Outcome(name, "to import", plan.summary, plan)
    try:
        result = commit_import(plan, actor)
    except ImportRefused as refused:
        return Outcome(name, "refused", "; ".join(refused.messages_list), plan)
    except DatabaseError as failure:  # nothing of this report was written (one transaction)
        return Outcome(name, "refused", f"could not be written, nothing was: {failure}", plan)
    status: Status = "unchanged" if result.already_imported else "imported"
    return Outcome(name, status, result.summary, plan, result)


# Reading PDFs is most of the time: for a large folder, worker processes read the files while
# this process plans and commits them, one transaction each, in the folder's order.
PARALLEL_FROM = 8  # fewer files are read here: starting the workers costs more


def import_many(
    *,
    actor: User,
    path: Path,
    dry_run: bool,
    done: Callable[[Outcome], None] = lambda outcome: None,
    workers: int | None = None,
) -> list[Outcome]:
    """Every report under `path`, each in its own transaction; `done` is called after each."""
    outcomes: list[Outcome] = []

    def finish(name: str, data: bytes | None, parsed: ParsedReport | str | None) -> None:
        outcome = import_one(actor=actor, name=name, data=data, dry_run=dry_run, parsed=parsed)
        outcomes.append(outcome)
        done(outcome)

    count = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if count < 2 or report_count(path) < PARALLEL_FROM:
        for name, data in report_files(path):
            finish(name, data, None)
        return outcomes
    context = multiprocessing.get_context("spawn")  # the workers hold no database connection
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        pending: deque[tuple[str, bytes | None, Future[ParsedReport | str]]] = deque()
        for name, data in report_files(path):
            pending.append((name, data, pool.submit(read_or_refusal, name, data)))
            if len(pending) >= 2 * count:
                first, content, reading = pending.popleft()
                finish(first, content, reading.result())
        while pending:
            first, content, reading = pending.popleft()
            finish(first, content, reading.result())
    return outcomes
