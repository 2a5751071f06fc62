from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from inspectorate.lib.console_output import bad_input
from inspectorate.shell.backup_schedule import backup_scheduled
from inspectorate.shell.management.backup_command import BackupCommand


class Command(BackupCommand):
    help = (
        "Back up the whole database into FOLDER as inspectorate-<UTC time>.dump (checked as "
        "`backup_db` checks), then delete the folder's older backups beyond the newest of each "
        "of the last --keep-daily days and --keep-weekly weeks. For cron or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=settings.BACKUP_FOLDER or None)
        parser.add_argument("--keep-daily", type=int, default=settings.BACKUP_KEEP_DAILY)
        parser.add_argument("--keep-weekly", type=int, default=settings.BACKUP_KEEP_WEEKLY)

    def run(self, options: dict[str, Any]) -> list[str]:
        if not options["folder"]:
            raise bad_input("Name the folder (or set INSPECTORATE_BACKUP_DIR).")
        done = backup_scheduled(
            Path(options["folder"]), daily=options["keep_daily"], weekly=options["keep_weekly"]
        )
        return [
            f"Backed up {done.report.tables} tables, {done.report.rows:,} rows, to {done.path} "
            f"({done.size / 1e6:.1f} MB) in {done.seconds:.1f} s; "
            f"{len(done.deleted)} older backup(s) deleted."
        ]
