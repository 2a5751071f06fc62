from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandParser

from inspectorate.accounts.operator import UnknownUser, acting_user
from inspectorate.lib.command_options import add_as_user
from inspectorate.lib.console_output import bad_input
from inspectorate.lib.csvio import ImportRejected, ImportResult
from inspectorate.shell.progress import steps

if TYPE_CHECKING:
    from inspectorate.accounts.models import User


def _establishments(*, actor: User, data: bytes) -> ImportResult:
    from inspectorate.estate.services import establishments_import

    return establishments_import(actor=actor, data=data)


def _inspectors(*, actor: User, data: bytes) -> ImportResult:
    from inspectorate.inspectors.services import inspectors_import

    return inspectors_import(actor=actor, data=data)


IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "establishments": _establishments,
    "inspectors": _inspectors,
}


class Command(BaseCommand):
    help = (
        "Import establishments or inspectors from a CSV file in the columns their export "
        "writes. All or nothing: any bad row is listed and nothing is written. Published "
        "reports are imported with 'import report FILE'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(IMPORTERS))
        parser.add_argument("file", help="the CSV file (UTF-8)")
        add_as_user(parser, "import")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise bad_input(f"{options['file']}: no such file.")
        try:
            actor = acting_user(options["as_user"])
        except UnknownUser as unknown:
            raise bad_input(str(unknown)) from unknown
        with steps(f"Importing {options['kind']}", 2) as step:
            step("reading")
            data = path.read_bytes()
            step("checking and writing")
            try:
                result = IMPORTERS[options["kind"]](actor=actor, data=data)
            except ImportRejected as rejected:
                lines = "\n".join(f"  {error}" for error in rejected.errors)
                raise bad_input(
                    f"{options['file']} was not imported; nothing was written:\n{lines}"
                ) from rejected
            except PermissionDenied as refused:
                raise bad_input(f"{actor.get_username()} may not import {options['kind']}.") from (
                    refused
                )
        self.stdout.write(f"Imported {options['file']}: {result.summary}")
