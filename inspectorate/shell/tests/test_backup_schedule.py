"""Scheduled backups keep the newest of each of the last N days and M weeks and delete the
rest; the retention never deletes what it did not write, nor before the new backup is checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inspectorate.shell import backup
from inspectorate.shell.backup_schedule import (
    backup_scheduled,
    backups_in,
    backups_kept,
    file_name,
)

NOW = datetime(2026, 12, 7, 1, 15, tzinfo=UTC)  # a Monday


def test_the_newest_of_each_recent_day_and_week_is_kept() -> None:
    # Two backups a day for 60 days.
    moments = [NOW - timedelta(hours=12 * n) for n in range(120)]
    kept = backups_kept(moments, daily=7, weekly=5)
    for n in range(7):
        day = NOW.date() - timedelta(days=n)
        assert max(m for m in moments if m.date() == day) in kept  # its newest
        assert min(m for m in moments if m.date() == day) not in kept or n == 0
    weeks = sorted({m.isocalendar()[:2] for m in kept}, reverse=True)
    assert len(weeks) == 5  # this week and the four before it
    assert len(kept) <= 7 + 5
    assert min(kept) > NOW - timedelta(weeks=5)


def test_few_backups_are_all_kept() -> None:
    moments = [NOW, NOW - timedelta(days=1)]
    assert backups_kept(moments, daily=7, weekly=4) == set(moments)


@pytest.mark.django_db
def test_a_scheduled_backup_is_written_and_old_ones_past_retention_deleted(tmp_path: Path) -> None:
    for days in range(1, 20):
        (tmp_path / file_name(NOW - timedelta(days=days))).write_bytes(b"old")
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a backup")
    done = backup_scheduled(tmp_path, daily=3, weekly=3, now=NOW)
    assert done.path == tmp_path / "inspectorate-20261207T011500Z.dump"
    assert done.report.tables > 50
    remaining = backups_in(tmp_path)
    assert NOW in remaining
    # Today and the two days before it; the newest of this week (today), of last week (Sunday
    # 6 December, already kept) and of the week before (Sunday 29 November).
    assert sorted(remaining) == [
        datetime(2026, 11, 29, 1, 15, tzinfo=UTC),
        datetime(2026, 12, 5, 1, 15, tzinfo=UTC),
        datetime(2026, 12, 6, 1, 15, tzinfo=UTC),
        NOW,
    ]
    assert stranger.exists()
    assert len(done.deleted) == 19 - 3


def test_nothing_is_deleted_when_the_backup_fails(tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    with pytest.raises(backup.BackupFailed, match="no such folder"):
        backup_scheduled(missing, daily=7, weekly=4, now=NOW)
