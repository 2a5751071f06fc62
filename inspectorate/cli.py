"""`inspectorate`: the command line for system administrators.

Each subcommand wraps a Django management command (`manage.py <name>` does the same); this
front end gives them the names an administrator expects, checks the command line before any
work, and turns a refusal into a message on standard error and an exit code: 2 when the
command line names something wrong (nothing is written), 1 when a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any

PROG = "inspectorate"
BAD_INPUT = 2
# Schema migrations run raw SQL that pghistory's context injection would corrupt (as in manage.py).
_UNTRACKED = {"migrate"}
SPINNERS = {"load_demo": "Loading the demo data (about a minute)…"}

DESCRIPTION = """\
Run and look after Inspectorate: serve it, migrate and load the demo, import and export
spreadsheets, plan a programme, render reports, verify the audit trail, back up and restore.

The command line is for system administrators: whoever runs it can read the database. It
acts as the built-in account 'inspectorate-cli' (system administrator and programme
coordinator; it cannot sign in), so exports include everything, the confidential programme
too, and each confidential record exported is logged (PG-3). Add --as USERNAME to an export
to get exactly what that person could download from the site.

Exit codes: 0 done; 2 the command line is wrong (an unknown kind, a missing file, a bad year
or format): nothing was written; 1 a check failed (audit chain, backup or restore)."""

EXAMPLES = """\
examples:
  inspectorate export programme --year 2026-27 --format xlsx --output programme.xlsx
  inspectorate import establishments establishments.csv
  inspectorate backup inspectorate.dump"""


def programme_year(text: str) -> int:
    """'2027-28' (April 2027 to March 2028) → 2027."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a programme year: write it as 2027-28 (April 2027 to March 2028)"
        )
    return int(match.group(1))


def _as_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help=f"{what} as this user, seeing only what they may see (default: the system "
        "account, which sees everything)",
    )


def _add_serving(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the site with a background worker beside it",
        description="Serve the site and a background-task worker until Ctrl-C.",
    )
    serve.add_argument("--addr", default="127.0.0.1:8000", help="host:port (default %(default)s)")
    commands.add_parser(
        "migrate",
        help="create or update the database tables",
        description="Apply every database migration (safe to repeat).",
    )
    commands.add_parser(
        "load-demo",
        help="load the demo data (idempotent)",
        description="Load the demo establishments, people, programme and inspections; running "
        "it again changes nothing.",
    )


def _add_spreadsheets(commands: Any) -> None:
    importing = commands.add_parser(
        "import",
        help="import establishments or inspectors from CSV",
        description="Import a CSV file in the columns the export writes. All or nothing: any "
        "bad row is listed by line and column and nothing is written (exit code 2).",
    )
    importing.add_argument("kind", choices=["establishments", "inspectors"])
    importing.add_argument("file", help="the CSV file (UTF-8)")
    _as_option(importing, "import")
    export = commands.add_parser(
        "export",
        help="export establishments, inspectors, the programme or judgements",
        description="Export as CSV or Excel, to standard output or --output FILE. The "
        "programme is one row per event, only the events the exporting user may see (PG-3). "
        "Judgements are the published ones (open data).",
    )
    export.add_argument("kind", choices=["establishments", "inspectors", "programme", "judgements"])
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="default csv")
    export.add_argument("--output", default="-", metavar="FILE", help="default: standard output")
    export.add_argument(
        "--year",
        type=programme_year,
        metavar="YYYY-YY",
        help="programme only: which programme, such as 2026-27 (default: the current one)",
    )
    _as_option(export, "export")


def _add_work(commands: Any) -> None:
    plan = commands.add_parser(
        "plan",
        help="plan a programme's weeks and teams (prints; writes nothing)",
        description="Run the planner on a programme and print its proposal; nothing is "
        "written (accept plans on the planner's pages).",
    )
    plan.add_argument("--year", type=programme_year, required=True, metavar="YYYY-YY")
    plan.add_argument("--time-limit", type=int, default=60, metavar="SECONDS")
    plan.add_argument("--closed", nargs="*", default=[], metavar="YYYY-MM-DD")
    report = commands.add_parser("report", help="render reports", description="Reports.")
    report_commands = report.add_subparsers(dest="action", required=True, metavar="ACTION")
    render = report_commands.add_parser(
        "render",
        help="render an event's report as PDF",
        description="Render the report of EVENT (its number) as PDF into --output.",
    )
    render.add_argument("event", type=int, metavar="EVENT", help="the event's number")
    render.add_argument("--pdf", action="store_true", required=True, help="render as PDF")
    render.add_argument("--output", required=True, metavar="FILE")
    render.add_argument("--kind", help="which report, when the event has several")
    _as_option(render, "render")
    audit = commands.add_parser("audit", help="check the audit trail", description="Audit.")
    audit_commands = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    audit_commands.add_parser(
        "verify",
        help="verify the audit hash chain",
        description="Recompute the hash chain over every audit event, check it against the "
        "signed checkpoints kept outside the database, and check every audited record against "
        "its latest audit snapshot; exit code 1 naming each problem.",
    )
    audit_commands.add_parser(
        "checkpoint",
        help="sign the audit chain's head into the checkpoint log",
        description="Verify the hash chain, then append a signed checkpoint of its head to the "
        "log kept outside the database (INSPECTORATE_AUDIT_CHECKPOINTS); exit code 1 if the "
        "chain does not verify.",
    )


def _add_backups(commands: Any) -> None:
    backup = commands.add_parser(
        "backup",
        help="back up the whole database to a file",
        description="Dump the whole database (pg_dump, custom format) to FILE. Rows are "
        "counted in the same snapshot and in the file; the file is kept only if they agree.",
    )
    backup.add_argument("file", metavar="FILE")
    restore = commands.add_parser(
        "restore",
        help="restore a backup, then check it",
        description="Load FILE with pg_restore in one transaction, then check that every table "
        "holds the rows the file holds and that the audit chain verifies (exit code 1 if not).",
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument(
        "--database",
        metavar="URL",
        help="restore into this database, such as postgres://user@host:5432/name "
        "(default: the configured one)",
    )
    restore.add_argument(
        "--replace", action="store_true", help="overwrite a database that already holds tables"
    )


def _add_retention(commands: Any) -> None:
    retention = commands.add_parser(
        "retention",
        help="dispose of what the retention schedule says is due",
        description="Erase every record the retention schedule says is due (and approved where "
        "it must be), from its live rows, audit copies and notifications (DP-3).",
    )
    retention.add_argument(
        "--dry-run", action="store_true", help="list what would go (kind, id, reason, date due)"
    )
    access = commands.add_parser(
        "subject-access",
        help="export everything held about one person",
        description="Write everything held about USERNAME to a JSON file; the export is logged.",
    )
    access.add_argument("username", metavar="USERNAME")
    access.add_argument("--output", required=True, metavar="FILE")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_serving(commands)
    _add_spreadsheets(commands)
    _add_work(commands)
    _add_backups(commands)
    _add_retention(commands)
    return parser


def management_call(args: argparse.Namespace) -> tuple[str, list[str], dict[str, Any]]:
    """The management command, its arguments and options, for parsed `args`."""
    command = args.command
    if command == "serve":
        return "serve_demo", [], {"addr": args.addr}
    if command == "migrate":
        return "migrate", [], {"interactive": False}
    if command == "load-demo":
        return "load_demo", [], {}
    if command == "import":
        return "import_data", [args.kind, args.file], {"as_user": args.as_user}
    if command == "export":
        options = {"format": args.format, "output": args.output, "as_user": args.as_user}
        return "export_data", [args.kind], {**options, "year": args.year}
    if command == "plan":
        options = {"time_limit": args.time_limit, "closed": args.closed}
        return "plan_programme", [str(args.year)], options
    if command == "report":
        options = {"output": args.output, "kind": args.kind, "as_user": args.as_user}
        return "render_report", [str(args.event)], options
    if command == "audit":
        return f"audit_{args.action}", [], {}
    if command == "backup":
        return "backup_db", [args.file], {}
    if command == "restore":
        return "restore_db", [args.file], {"database": args.database, "replace": args.replace}
    if command == "retention":
        return "retention", [], {"dry_run": args.dry_run}
    if command == "subject-access":
        return "subject_access", [args.username], {"output": args.output}
    raise AssertionError(f"unhandled command {command}")


def _programme_exists(year: int) -> bool:
    from inspectorate.programme.models import Programme

    return Programme.objects.filter(year=year).exists()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (the console script exits with it)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as exit_:  # --help (0) or a bad command line (2), already explained
        return exit_.code if isinstance(exit_.code, int) else BAD_INPUT
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django
    import pghistory
    from django.core.management import call_command
    from django.core.management.base import CommandError

    django.setup()
    name, positional, options = management_call(args)
    if args.command == "plan" and not _programme_exists(args.year):
        return _fail(f"There is no programme for {args.year}-{(args.year + 1) % 100:02d}.")
    audit_context = (
        contextlib.nullcontext()
        if name in _UNTRACKED
        else pghistory.context(command=" ".join([PROG, *arguments])[:500])
    )
    try:
        with audit_context, _spinner(SPINNERS.get(name)):
            call_command(name, *positional, **options)
    except CommandError as error:
        return _fail(str(error), error.returncode)
    except KeyboardInterrupt:
        return 130
    return 0


@contextlib.contextmanager
def _spinner(message: str | None) -> Iterator[None]:
    """A spinner on a terminal's standard error for a long command that prints nothing."""
    if message is None:
        yield
        return
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    with console.status(message):
        yield


def _fail(message: str, code: int = BAD_INPUT) -> int:
    sys.stderr.write(f"{PROG}: error: {message}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
