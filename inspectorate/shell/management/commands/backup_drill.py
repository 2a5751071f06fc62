from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from inspectorate.shell import backup
from inspectorate.shell.backup_schedule import backup_drill
from inspectorate.shell.management.backup_command import BackupCommand


class Command(BackupCommand):
    help = (
        "The restore drill: back up the database, restore it into the empty database --into "
        "names, check every table and the audit chain, and print the recovery point and "
        "recovery time objectives these timings support."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--into", required=True, help="URL of an empty scratch database")
        parser.add_argument(
            "--interval-hours",
            type=float,
            default=settings.BACKUP_INTERVAL_HOURS,
            help="how often scheduled backups run (default %(default)s)",
        )

    def run(self, options: dict[str, Any]) -> list[str]:
        scratch = backup.database_from_url(options["into"])
        with tempfile.TemporaryDirectory(prefix="backup-drill-") as folder:
            drill = backup_drill(scratch, Path(folder))
        return [
            f"Backup: {drill.backup_seconds:.1f} s, {drill.size / 1e6:.1f} MB, "
            f"{drill.tables} tables, {drill.rows:,} rows.\n"
            f"Restore and check: {drill.restore_seconds:.1f} s. {drill.chain}",
            *drill.objectives(options["interval_hours"]),
        ]
