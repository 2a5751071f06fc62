from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.lib.console_output import bad_input
from inspectorate.shell import backup
from inspectorate.shell.backup_schedule import backup_scheduled


class Command(BaseCommand):
    help = (
        "Back up the whole database into FOLDER as inspectorate-<UTC time>.dump (checked as "
        "`backup_db` checks), then delete the folder's older backups beyond the newest of each "
        "of the last --keep-daily days and --keep-weekly weeks. For cron or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=settings.BACKUP_FOLDER or None)
        parser.add_argument("--keep-daily", type=int, default=settings.BACKUP_KEEP_DAILY)
        parser.add_argument("--keep-weekly", type=int, default=settings.BACKUP_KEEP_WEEKLY)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["folder"]:
            raise bad_input("Name the folder (or set INSPECTORATE_BACKUP_DIR).")
        try:
            done = backup_scheduled(
                Path(options["folder"]),
                daily=options["keep_daily"],
                weekly=options["keep_weekly"],
            )
        except backup.BackupFailed as failed:
            raise (bad_input(str(failed)) if failed.bad_input else CommandError(str(failed))) from (
                failed
            )
        self.stdout.write(
            f"Backed up {done.report.tables} tables, {done.report.rows:,} rows, to {done.path} "
            f"({done.size / 1e6:.1f} MB) in {done.seconds:.1f} s; "
            f"{len(done.deleted)} older backup(s) deleted."
        )
