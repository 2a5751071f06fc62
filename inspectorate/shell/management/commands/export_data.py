from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from inspectorate.accounts.operator import UnknownUser, acting_user
from inspectorate.lib.command_options import add_as_user, add_year
from inspectorate.lib.console_output import (
    STDOUT,
    bad_input,
    check_output,
    write_output,
)
from inspectorate.shell.exports import EXPORTERS, FORMATS, ExportRefused, ExportRequest, export_data
from inspectorate.shell.progress import steps


class Command(BaseCommand):
    help = (
        "Export establishments, inspectors, the programme or published judgements as CSV or "
        "Excel, to standard output or --output FILE. The programme is one row per event, only "
        "the events the exporting user may see (PG-3); judgements are the published ones. Runs "
        "as the built-in system account (everything) unless --as names a user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(EXPORTERS))
        parser.add_argument("--format", choices=FORMATS, default="csv", help="default csv")
        parser.add_argument(
            "--output", default=STDOUT, metavar="FILE", help="default: standard output"
        )
        add_year(
            parser, "programme only: which programme, such as 2026-27 (default: the current one)"
        )
        add_as_user(parser, "export")

    def handle(self, *args: Any, **options: Any) -> None:
        check_output(options["output"], binary=options["format"] == "xlsx")
        try:
            actor = acting_user(options["as_user"])
        except UnknownUser as unknown:
            raise bad_input(str(unknown)) from unknown
        request = ExportRequest(
            kind=options["kind"], format=options["format"], actor=actor, year=options["year"]
        )
        with steps(f"Exporting {request.kind}", 2) as step:
            step("reading")
            try:
                data = export_data(request)
            except ExportRefused as refused:
                raise bad_input(str(refused)) from refused
            step("writing")
            write_output(options["output"], data, self.stdout)
        if options["output"] != STDOUT:
            self.stdout.write(f"Wrote {options['output']} ({len(data):,} bytes).")
