from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.accounts.models import User
from inspectorate.accounts.operator import UnknownUser, acting_user
from inspectorate.imports.published.bulk import (
    NoReports,
    Outcome,
    import_many,
    report_count,
)
from inspectorate.imports.published.plan import ImportPlan, located
from inspectorate.lib.console_output import bad_input

FAILED = 1


class Command(BaseCommand):
    help = (
        "Import published HMI Prisons reports (full inspections and IRPs; PDF, Word or text) "
        "as history. FILE may be one report, a folder or a zip of them; each report is "
        "imported in its own transaction, all of it or nothing, and the same file again "
        "changes nothing. --dry-run shows what would be created or changed and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a report, or a folder or .zip of reports")
        parser.add_argument(
            "--dry-run", action="store_true", help="review only: show the plan, write nothing"
        )
        parser.add_argument(
            "--json", action="store_true", help="print what was found and planned as JSON"
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            default=None,
            metavar="USER",
            help="import as this user (username or e-mail address); default: the system account",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        actor = self._actor(options["as_user"])
        if not actor.has_perm("imports.import_report"):
            raise bad_input(f"{actor.get_username()} may not import reports.")
        try:
            total = report_count(path)
        except NoReports as missing:
            raise bad_input(str(missing)) from missing
        if total == 0:
            raise bad_input(f"{path} holds no report (.pdf, .docx or .txt).")
        outcomes = self._run(path, actor, total, dry_run=options["dry_run"])
        if options["json"]:
            body: Any = [outcome.as_json() for outcome in outcomes]
            if total == 1 and not path.is_dir():
                body = body[0]
            self.stdout.write(json.dumps(body, indent=2))
        elif total == 1 and outcomes[0].plan is not None and options["dry_run"]:
            self._show_plan(outcomes[0].plan)
        self._summary(outcomes, dry_run=options["dry_run"], to_stderr=options["json"])
        refused = [o for o in outcomes if o.status == "refused"]
        if refused:
            noun = "report was" if len(refused) == 1 else "reports were"
            raise CommandError(
                f"{len(refused)} {noun} refused; nothing of them was written.",
                returncode=FAILED if total > 1 else 2,
            )

    def _actor(self, name: str | None) -> User:
        if name and "@" in name:
            user = User.objects.filter(email__iexact=name, is_active=True).first()
            if user is None:
                raise bad_input(f"There is no active user with the e-mail address '{name}'.")
            return user
        try:
            return acting_user(name)
        except UnknownUser as unknown:
            raise bad_input(str(unknown)) from unknown

    def _run(self, path: Path, actor: User, total: int, *, dry_run: bool) -> list[Outcome]:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(stderr=True)
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        verb = "Reviewing" if dry_run else "Importing"
        with progress:
            task = progress.add_task(f"{verb} reports", total=total)

            def done(outcome: Outcome) -> None:
                progress.update(task, description=f"{verb} {outcome.name}")
                progress.advance(task)

            try:
                return import_many(actor=actor, path=path, dry_run=dry_run, done=done)
            except PermissionDenied as refused:
                raise bad_input(str(refused)) from refused

    def _show_plan(self, plan: ImportPlan) -> None:
        write = self.stdout.write
        establishment = plan.establishment.name if plan.establishment else plan.parsed.establishment
        write(f"{plan.filename}: {establishment}")
        if plan.event is not None:
            write(f"  {plan.event.label}: {plan.event.action}")
        if plan.followed is not None:
            write(f"  follows the {plan.followed.label}: {plan.followed.action}")
        for item in plan.items:
            where = f" ({item.where})" if item.where else ""
            write(f"  {item.action_label:<10} {item.title}{where}")
            for difference in item.differences:
                write(f"             {difference}")
        for problem in plan.unplaced:
            write(f"  Not placed: {located(problem)}")
        for message in plan.refusal_messages():
            write(f"  Refused: {message}")

    def _summary(self, outcomes: list[Outcome], *, dry_run: bool, to_stderr: bool) -> None:
        from rich.console import Console
        from rich.table import Table

        stream: Any = self.stderr if to_stderr else self.stdout
        table = Table(title="Reports reviewed" if dry_run else "Reports imported")
        table.add_column("File")
        table.add_column("Outcome")
        table.add_column("Reason", overflow="fold")
        for outcome in outcomes:
            table.add_row(outcome.name, outcome.status, outcome.reason)
        console = Console(file=getattr(stream, "_out", stream), width=120, no_color=True)
        console.print(table)
        for outcome in outcomes:  # in full, for copying: the table folds long reasons
            if outcome.status == "refused":
                stream.write(f"Refused {outcome.name}: {outcome.reason}")
        counted = Counter(outcome.status for outcome in outcomes)
        console.print(", ".join(f"{count} {status}" for status, count in sorted(counted.items())))
