from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.lib.console_output import bad_input
from inspectorate.shell import backup
from inspectorate.shell.progress import steps


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (pg_dump custom format). The rows of every table "
        "are counted in the same snapshot and in the file; the file is kept only if they agree."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with steps("Backing up", 3) as step:
                report = backup.backup(backup.configured_database(), path, step)
        except backup.BackupFailed as failed:
            raise (bad_input(str(failed)) if failed.bad_input else CommandError(str(failed))) from (
                failed
            )
        self.stdout.write(f"Backed up {report.tables} tables, {report.rows:,} rows, to {path}.")
