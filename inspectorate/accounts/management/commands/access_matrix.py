"""Write or check docs/access-matrix.md, the role-by-permission table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.accounts.access_matrix import DOCUMENT, render


class Command(BaseCommand):
    help = "Print the access matrix; --write updates docs/access-matrix.md, --check compares."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, write: bool, check: bool, **options: Any) -> None:
        text = render()
        if check:
            if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
                raise CommandError(
                    f"{DOCUMENT} is out of date: run manage.py access_matrix --write"
                )
            return
        if write:
            DOCUMENT.write_text(text)
            self.stdout.write(f"Wrote {DOCUMENT}")
            return
        self.stdout.write(text)
