from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.accounts.operator import UnknownUser, acting_user
from inspectorate.audit.constants import AccessPurpose
from inspectorate.audit.services import access_record
from inspectorate.lib.command_options import add_as_user
from inspectorate.lib.console_output import (
    STDOUT,
    bad_input,
    check_output,
    write_output,
)
from inspectorate.reports.constants import ReportStage
from inspectorate.shell.progress import percent


class Command(BaseCommand):
    help = "Render an event's report as PDF to --output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event", type=int, metavar="EVENT", help="the event's number")
        parser.add_argument("--pdf", action="store_true", help="as PDF (the only format)")
        parser.add_argument("--output", required=True, metavar="FILE")
        parser.add_argument("--kind", default=None, help="which report, when the event has several")
        add_as_user(parser, "render")

    def handle(self, *args: Any, **options: Any) -> None:
        from inspectorate.programme.models import Event
        from inspectorate.reports.models import Report

        check_output(options["output"], binary=True)
        try:
            actor = acting_user(options["as_user"])
        except UnknownUser as unknown:
            raise bad_input(str(unknown)) from unknown
        # An event the actor may not see is reported exactly like one that does not exist.
        if not Event.objects.visible_to(actor).filter(pk=options["event"]).exists():
            raise bad_input(f"There is no event {options['event']}.")
        reports = Report.objects.visible_to(actor).filter(event_id=options["event"])
        if options["kind"]:
            reports = reports.filter(kind=options["kind"])
        found = list(reports.select_related("event__establishment"))
        if not found:
            kind = f" of kind '{options['kind']}'" if options["kind"] else ""
            raise bad_input(f"Event {options['event']} has no report{kind} to render.")
        if len(found) > 1:
            kinds = ", ".join(report.kind for report in found)
            raise bad_input(f"Event {options['event']} has several reports: add --kind ({kinds}).")
        report = found[0]
        try:
            # Imported here: WeasyPrint is slow to load and only this command needs it.
            render_pdf = importlib.import_module("inspectorate.reports.pdf").render_pdf
        except ImportError as missing:
            raise CommandError("PDF rendering is not available in this installation.") from missing
        with percent(f"Rendering {report}") as done:
            data, pages = render_pdf(report, progress=done)
            if report.stage != ReportStage.PUBLISHED:
                access_record(
                    actor=actor, record=report, purpose=AccessPurpose.EXPORT, path="cli:report"
                )
            write_output(options["output"], data, self.stdout)
        if options["output"] != STDOUT:
            self.stdout.write(f"Wrote {options['output']}: {report}, {pages} pages.")
