from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from inspectorate.shell import backup
from inspectorate.shell.management.backup_command import BackupCommand
from inspectorate.shell.progress import steps


class Command(BackupCommand):
    help = (
        "Back up the whole database to FILE (pg_dump custom format). The rows of every table "
        "are counted in the same snapshot and in the file; the file is kept only if they agree."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def run(self, options: dict[str, Any]) -> list[str]:
        path = Path(options["file"])
        with steps("Backing up", 3) as step:
            report = backup.backup(backup.configured_database(), path, step)
        return [f"Backed up {report.tables} tables, {report.rows:,} rows, to {path}."]
