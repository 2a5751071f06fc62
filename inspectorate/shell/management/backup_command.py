"""What the four backup commands (backup_db, restore_db, backup_drill, backup_scheduled) share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from inspectorate.lib.console_output import bad_input
from inspectorate.shell import backup


class BackupCommand(BaseCommand):
    """A command whose `run` does the work and returns the lines to print. A BackupFailed
    becomes the command's error: exit code 2 when the command line named something wrong."""

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lines = self.run(options)
        except backup.BackupFailed as failed:
            raise (bad_input(str(failed)) if failed.bad_input else CommandError(str(failed))) from (
                failed
            )
        for line in lines:
            self.stdout.write(line)

    def run(self, options: dict[str, Any]) -> Iterable[str]:
        raise NotImplementedError
