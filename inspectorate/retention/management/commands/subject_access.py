from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.accounts.models import User
from inspectorate.accounts.operator import system_actor
from inspectorate.retention.subject_access import subject_access_export


class Command(BaseCommand):
    help = "Export everything held about one person (subject access) as JSON; the export is logged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the person's username")
        parser.add_argument("--output", required=True, help="the JSON file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        subject = User.objects.filter(username=options["username"]).first()
        if subject is None:
            raise CommandError(f"No account has the username '{options['username']}'")
        text = subject_access_export(
            actor=system_actor(), subject=subject, path="manage.py subject_access"
        )
        Path(options["output"]).write_text(text, encoding="utf-8")
        self.stdout.write(
            f"Wrote everything held about {subject.get_username()} to {options['output']}."
        )
