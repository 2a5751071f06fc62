from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.frameworks.services import FrameworkLoadError, frameworks_load


class Command(BaseCommand):
    help = (
        "Load framework files (JSON) into the database; with no paths, every file in "
        "inspectorate/frameworks/data/. Idempotent: a version already loaded from the same "
        "content is left as it is; a changed file with an unchanged version is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="Framework files to load.")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = options["paths"] or None
        try:
            outcomes = frameworks_load(actor=None, paths=paths)
        except FrameworkLoadError as error:
            raise CommandError(
                "Nothing was loaded:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from error
        for outcome in outcomes:
            self.stdout.write(str(outcome))
        created = sum(outcome.created for outcome in outcomes)
        self.stdout.write(
            f"{created} framework version{'s' if created != 1 else ''} loaded, "
            f"{len(outcomes) - created} unchanged."
        )
