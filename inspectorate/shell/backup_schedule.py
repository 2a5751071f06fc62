"""Scheduled backups into a folder, with retention, and the drill that measures recovery.

Each run writes `inspectorate-YYYYMMDDTHHMMSSZ.dump` (shell/backup.py: the rows counted in the
snapshot and in the file, kept only when they agree), then deletes the older files of the
folder that the retention does not keep: the newest backup of each of the last `daily` days
that have one, and the newest of each of the last `weekly` ISO weeks that have one. Nothing is
deleted unless the new backup was written and checked, and only files named as above.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from inspectorate.shell import backup

NAME = re.compile(r"^inspectorate-(\d{8}T\d{6}Z)\.dump$")
STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Scheduled:
    path: Path
    report: backup.Report
    seconds: float
    size: int
    deleted: list[Path] = field(default_factory=list)


def file_name(moment: datetime) -> str:
    return f"inspectorate-{moment.astimezone(UTC).strftime(STAMP)}.dump"


def backups_in(folder: Path) -> dict[datetime, Path]:
    """The backups of the folder by the moment in their name (other files are ignored)."""
    found = {}
    for path in folder.iterdir():
        match = NAME.match(path.name)
        if match and path.is_file():
            found[datetime.strptime(match.group(1), STAMP).replace(tzinfo=UTC)] = path
    return found


def backups_kept(moments: Iterable[datetime], *, daily: int, weekly: int) -> set[datetime]:
    """The moments to keep: the newest of each of the `daily` latest days with a backup, and
    the newest of each of the `weekly` latest ISO weeks with one."""
    days: dict[object, datetime] = {}
    weeks: dict[object, datetime] = {}
    for moment in sorted(moments, reverse=True):
        days.setdefault(moment.date(), moment)
        weeks.setdefault(moment.isocalendar()[:2], moment)
    kept = set(list(days.values())[:daily]) | set(list(weeks.values())[:weekly])
    return kept


def backup_scheduled(
    folder: Path, *, daily: int, weekly: int, now: datetime | None = None
) -> Scheduled:
    """One scheduled backup into `folder`, then the retention applied to the folder."""
    if daily < 1 or weekly < 0:
        raise backup.BackupFailed("Keep at least one daily backup.", bad_input=True)
    if not folder.is_dir():
        raise backup.BackupFailed(f"{folder}: no such folder.", bad_input=True)
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    path = folder / file_name(moment)
    started = time.monotonic()
    report = backup.backup(backup.configured_database(), path)
    seconds = time.monotonic() - started
    existing = backups_in(folder)
    kept = backups_kept(existing, daily=daily, weekly=weekly) | {moment}
    deleted = []
    for when, old in sorted(existing.items()):
        if when not in kept:
            old.unlink(missing_ok=True)
            deleted.append(old)
    return Scheduled(path, report, seconds, path.stat().st_size, deleted)


@dataclass(frozen=True)
class Drill:
    backup_seconds: float
    restore_seconds: float
    size: int
    tables: int
    rows: int
    chain: str

    def objectives(self, interval_hours: float) -> list[str]:
        """The recovery point and time objectives these figures support, in words."""
        return [
            f"Recovery point objective: {interval_hours:g} h. At worst the writes since the "
            f"last backup are lost: with one every {interval_hours:g} h, up to "
            f"{interval_hours:g} h of writes, plus the {self.backup_seconds:.1f} s a backup "
            "takes.",
            f"Recovery time objective: {self.restore_seconds:.1f} s measured to restore this "
            "database into an empty one and check it (every table's rows, the audit chain), "
            "plus starting the service on it (seconds) and the time to notice and decide.",
        ]


def backup_drill(scratch: backup.Database, folder: Path) -> Drill:
    """Back up the configured database, restore it into `scratch` (which must be empty) and
    check it, timing both."""
    path = folder / file_name(datetime.now(UTC))
    started = time.monotonic()
    report = backup.backup(backup.configured_database(), path)
    backed_up = time.monotonic()
    restored = backup.restore(path, scratch)
    finished = time.monotonic()
    return Drill(
        backup_seconds=backed_up - started,
        restore_seconds=finished - backed_up,
        size=path.stat().st_size,
        tables=report.tables,
        rows=report.rows,
        chain=restored.chain,
    )
