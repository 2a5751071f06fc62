"""How long importing published reports takes: one report, and a folder of 100 (HI-2).

On a scratch database with the frameworks loaded and the establishments the reports name.
Printed: the median time to review and import one report (a fresh report each run, so each
is really written), and the time to import a folder of 100 generated reports with the bulk
import of `inspectorate import report FOLDER`, each in its own transaction. Goal: one report
under 2 s, 100 under 60 s.

The reports come from the parser's samples (`inspectorate.imports.published.samples`),
rendered as PDF (`--format`). Without them (the parser not installed), reports are built as
parsed data and only the review and commit are timed, which the output says.

    .venv/bin/python bench/import.py [--runs 5] [--count 100] [--format pdf|docx|text]
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _setup import django_on_scratch_database

GOAL_ONE, GOAL_FOLDER = 2.0, 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--format", choices=["pdf", "docx", "text"], default="pdf")
    options = parser.parse_args()
    django_on_scratch_database(fresh=True)  # each run imports every report anew

    from inspectorate.accounts.operator import system_actor
    from inspectorate.frameworks.services import frameworks_load
    from inspectorate.imports.published.bulk import import_many

    frameworks_load(actor=None)
    actor = system_actor()
    names = [f"HMP Bench {number:03d}" for number in range(1, options.count + options.runs + 2)]
    _register(names)
    reports = _reports(names, options.format)
    if reports is None:
        print("samples not installed: timing the review and commit of parsed reports only")
        reports = _parsed_reports(names)

    one = []
    for _ in range(options.runs):
        name, data = next(reports)
        started = time.perf_counter()
        _import(actor, name, data)
        one.append(time.perf_counter() - started)
    median = statistics.median(one)
    print(f"one report: median {median:.2f} s over {options.runs} ({_verdict(median, GOAL_ONE)})")

    batch = [next(reports) for _ in range(options.count)]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        if all(isinstance(data, bytes) for _, data in batch):
            for name, data in batch:
                (Path(folder) / name).write_bytes(data)
            started = time.perf_counter()  # the files are written before the clock starts
            outcomes = import_many(actor=actor, path=Path(folder), dry_run=False)
            statuses = Counter(outcome.status for outcome in outcomes)
            if statuses["imported"] != len(batch):
                refused = [o for o in outcomes if o.status != "imported"][:3]
                sys.exit(
                    f"not all imported: {dict(statuses)}: {[(o.name, o.reason) for o in refused]}"
                )
        else:
            for name, data in batch:
                _import(actor, name, data)
        seconds = time.perf_counter() - started
    print(
        f"folder of {options.count}: {seconds:.1f} s, {seconds / options.count:.2f} s a report "
        f"({_verdict(seconds, GOAL_FOLDER)})"
    )


def _verdict(seconds: float, goal: float) -> str:
    return f"goal under {goal:.0f} s: {'met' if seconds < goal else 'NOT met'}"


def _register(names: list[str]) -> None:
    from inspectorate.estate.models import Establishment

    known = set(Establishment.objects.values_list("code", flat=True))
    Establishment.objects.bulk_create(
        Establishment(code=f"B{index:03d}", name=name, kind="prison")
        for index, name in enumerate(names)
        if f"B{index:03d}" not in known
    )


def _import(actor: Any, name: str, data: Any) -> None:
    from inspectorate.imports.published.commit import commit_import
    from inspectorate.imports.published.plan import plan_import
    from inspectorate.imports.published.services import report_import

    if isinstance(data, bytes):
        _, result = report_import(actor=actor, data=data, filename=name)
        if result.already_imported:
            sys.exit(f"{name} was imported already: the bench times nothing")
        return
    plan = plan_import(data, actor, filename=name)
    if plan.refused:
        sys.exit(f"{name} refused: {plan.refusal_messages()}")
    commit_import(plan, actor)


def _reports(names: list[str], fmt: str) -> Iterator[tuple[str, bytes]] | None:
    """(filename, file) of generated reports: a full inspection, then its IRP, and so on."""
    try:
        samples: Any = importlib.import_module("inspectorate.imports.published.samples")
    except ImportError:
        return None

    def made() -> Iterator[tuple[str, bytes]]:
        for sample in samples.bench_samples(names, 10_000):
            yield samples.filename(sample, fmt), samples.render(sample, fmt)

    return made()


def _parsed_reports(names: list[str]) -> Iterator[tuple[str, Any]]:
    """Reports as the parser would give them: a full inspection of twelve recommendations,
    then the IRP following up six of them, for one establishment after another."""
    from inspectorate.imports.published.parsed import (
        FollowUp,
        ParsedReport,
        Recommendation,
        Source,
    )

    for index, name in enumerate(names):
        starts = date(2022, 1, 10) + timedelta(days=index)
        ends = starts + timedelta(days=11)
        recommendations = [
            Recommendation(f"Leaders should act on {n}.", f"1.{n}", "Safety", Source(5, n))
            for n in range(1, 13)
        ]
        full = ParsedReport("full", name, starts, ends, recommendations=recommendations)
        yield f"{name}-full.txt", full
        follow_ups = [
            FollowUp("recommendation", r.text, "good progress", Source(4, n), f"1.{n}", f"1.{n}")
            for n, r in enumerate(recommendations[:6], start=1)
        ]
        irp_starts = starts + timedelta(days=300)
        irp = ParsedReport(
            "irp",
            name,
            irp_starts,
            irp_starts + timedelta(days=1),
            follow_ups=follow_ups,
            follows_inspection_starts_on=starts,
            follows_inspection_ends_on=ends,
        )
        yield f"{name}-irp.txt", irp


if __name__ == "__main__":
    main()
