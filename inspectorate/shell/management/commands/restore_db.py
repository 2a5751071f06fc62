from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from inspectorate.shell import backup
from inspectorate.shell.management.backup_command import BackupCommand
from inspectorate.shell.progress import steps


class Command(BackupCommand):
    help = (
        "Restore a backup made by backup_db, in one transaction, then check that every table "
        "holds the rows the file holds and that the audit chain verifies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--database",
            default=None,
            metavar="URL",
            help="Restore into this database (postgres://...); default: the configured one.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that already holds tables.",
        )

    def run(self, options: dict[str, Any]) -> list[str]:
        target = (
            backup.database_from_url(options["database"])
            if options["database"]
            else backup.configured_database()
        )
        with steps("Restoring", 4) as step:
            report = backup.restore(
                Path(options["file"]), target, replace=options["replace"], step=step
            )
        return [
            f"Restored {report.tables} tables, {report.rows:,} rows, into {target.name}: "
            f"row counts identical to the backup. {report.chain}"
        ]
