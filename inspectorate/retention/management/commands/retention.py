from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.lib.wording import count_noun
from inspectorate.retention.services import retention_run


class Command(BaseCommand):
    help = (
        "Dispose of what the retention schedule says is due (DP-1, DP-3); --dry-run lists it "
        "(kind, id, reason, date due) and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry = options["dry_run"]
        report = retention_run(dry_run=dry, performed_by="manage.py retention")
        verb = "Would erase" if dry else "Erased"
        for due in report.disposed:
            self._line(verb, due)
        for due in report.awaiting_approval:
            role = due.entry.approved_by.label if due.entry.approved_by else ""
            self._line(f"Awaiting approval ({role})", due)
        for due, error in report.failed:
            self._line(f"Failed ({error})", due)
        done = count_noun(len(report.disposed), "record")
        waiting = count_noun(len(report.awaiting_approval), "record")
        self.stdout.write(
            f"{'Dry run: would erase' if dry else 'Erased'} {done}; {waiting} awaiting approval."
        )
        if report.failed:
            raise CommandError(f"{count_noun(len(report.failed), 'disposal')} failed")

    def _line(self, what: str, due: Any) -> None:
        self.stdout.write(
            f"{what}: {due.record_type} {due.candidate.record_id} [{due.entry.id}] "
            f"due {due.candidate.due_on:%-d %B %Y}: {due.candidate.reason}"
        )
