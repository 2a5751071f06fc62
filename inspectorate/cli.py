"""`inspectorate`: the command line for system administrators.

Every subcommand is a Django management command, and its options are declared once, in that
command's `add_arguments` (`manage.py <name>` takes the same ones). This front end only
names the commands, finds them without starting Django (so `inspectorate --help` is quick),
hands the rest of the command line to the command's own parser, and turns a refusal into a
message on standard error and an exit code. A management command added to any of the
service's apps appears here by itself, as its name with dashes; `NAMES` gives a shorter or
grouped name where an administrator expects one (one line).

Why not click or django-typer over the services: the management commands already hold the
options, their checks and their help, and the site's operators use `manage.py` too; a second
declaration beside them is what drifted before.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from inspectorate.lib.command_options import programme_year

__all__ = ["build_parser", "main", "programme_year"]

PROG = "inspectorate"
BAD_INPUT = 2
PACKAGE = Path(__file__).resolve().parent

# The command line's name for a management command, where it is not the command's own name
# with dashes. A name of two words makes the first a group ("report render").
NAMES = {
    "serve_demo": "serve",
    "load_demo": "load-demo",
    "import_data": "import",
    "export_data": "export",
    "plan_programme": "plan",
    "render_report": "report render",
    "import_report": "import report",
    "audit_verify": "audit verify",
    "audit_checkpoint": "audit checkpoint",
    "backup_db": "backup",
    "restore_db": "restore",
}
# Django's own commands that administrators run through this front end, with their help.
DJANGO_COMMANDS = {"migrate": "Create or update the database tables (safe to repeat)."}
# Schema migrations run raw SQL that pghistory's context injection would corrupt (as in manage.py).
_UNTRACKED = {"migrate"}
SPINNERS = {"load_demo": "Loading the demo data (about a minute)…"}
# Options every Django command has; they stay usable but are left out of the help.
_DJANGO_BASE_OPTIONS = {
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}

DESCRIPTION = """\
Run and look after Inspectorate: serve it, migrate and load the demo, import and export
spreadsheets, plan a programme, render reports, verify the audit trail, back up and restore.

The command line is for system administrators: whoever runs it can read the database. It
acts as the built-in account 'inspectorate-cli' (system administrator and programme
coordinator; it cannot sign in), so exports include everything, the confidential programme
too, and each confidential record exported is logged (PG-3). Add --as USERNAME to an export
to get exactly what that person could download from the site.

Results go to standard output; progress, warnings and errors to standard error.
Exit codes: 0 done; 2 the command line is wrong (an unknown kind, a missing file, a bad year
or format, a programme that does not exist): nothing was written; 1 a check failed or nothing
was found (audit chain, backup or restore, no plan)."""

EXAMPLES = """\
examples:
  inspectorate export programme --year 2026-27 --format xlsx --output programme.xlsx
  inspectorate import establishments establishments.csv
  inspectorate import report reports.zip --dry-run
  inspectorate backup inspectorate.dump"""


@dataclass(frozen=True)
class Command:
    name: str  # on this command line: "export", "report render"
    management: str  # the management command: "export_data"
    help: str


def _help_of(source: Path) -> str:
    """The `help` of a management command's class, read from its file without importing it."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        value = getattr(node, "value", None)
        if "help" in names and isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value
    return ""


@cache
def commands() -> dict[str, Command]:
    """Every command of the command line, by its name, found without starting Django."""
    found = {name: Command(name, name, help_) for name, help_ in DJANGO_COMMANDS.items()}
    for source in sorted(PACKAGE.glob("*/management/commands/*.py")):
        management = source.stem
        if management.startswith("_"):
            continue
        name = NAMES.get(management, management.replace("_", "-"))
        found[name] = Command(name, management, _help_of(source))
    return dict(sorted(found.items()))


def _groups() -> dict[str, dict[str, Command]]:
    grouped: dict[str, dict[str, Command]] = {}
    for command in commands().values():
        if " " in command.name:
            group, action = command.name.split(" ", 1)
            grouped.setdefault(group, {})[action] = command
    return grouped


def _summary(text: str) -> str:
    """The first sentence of a command's help, for the list of commands."""
    return text.split(". ")[0].strip().rstrip(".")


def build_parser() -> argparse.ArgumentParser:
    """The top level: the commands and their one-line help (each command parses the rest)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    listing = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    groups = _groups()
    entries = {name: _summary(c.help) for name, c in commands().items() if " " not in name}
    for group, actions in groups.items():
        grouped = "; ".join(f"{a}: {_summary(c.help)}" for a, c in actions.items())
        # A command may also be a group's name ("import" and "import report").
        entries[group] = f"{entries[group]}; {grouped}" if group in entries else grouped
    for name, summary in sorted(entries.items()):
        listing.add_parser(name, help=summary, add_help=False)
    return parser


class _Version(argparse.Action):
    """--version, looked up only when asked for (reading the package metadata is slow)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        sys.stdout.write(f"{PROG} {_version()}\n")
        parser.exit()


def _group_parser(group: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{PROG} {group}")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, command in _groups()[group].items():
        actions.add_parser(action, help=_summary(command.help), add_help=False)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PROG)
    except PackageNotFoundError:
        return "unknown"


def resolve(arguments: list[str]) -> tuple[Command, list[str]]:
    """The command named at the start of `arguments`, and the arguments that are its own.
    Raises SystemExit as argparse does for help, --version or an unknown name."""
    if not arguments or arguments[0].startswith("-"):
        build_parser().parse_args(arguments[:1])  # help, version, or the usage error
    word, rest = arguments[0], arguments[1:]
    groups = _groups()
    if word in groups:
        if rest and rest[0] in groups[word]:
            return groups[word][rest[0]], rest[1:]
        if word not in commands():  # a group that is not also a command of its own
            _group_parser(word).parse_args(rest[:1])
    if word in commands():
        return commands()[word], rest
    build_parser().parse_args([word])  # "invalid choice: ...", exit code 2
    raise AssertionError("unreachable: argparse exits on an unknown command")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (the console script exits with it)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        command, own = resolve(arguments)
    except SystemExit as exit_:  # --help, --version (0) or a bad command line (2), explained
        return exit_.code if isinstance(exit_.code, int) else BAD_INPUT
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django

    django.setup()
    return _run(command, own, arguments)


def _run(command: Command, own: list[str], arguments: list[str]) -> int:
    import pghistory
    from django.core.management import get_commands, load_command_class
    from django.core.management.base import CommandError

    handler = load_command_class(get_commands()[command.management], command.management)
    # Called from a command line: argparse explains a bad option and exits 2.
    handler._called_from_command_line = True  # type: ignore[attr-defined]
    parser = handler.create_parser(PROG, command.name)
    for action in parser._actions:
        if _DJANGO_BASE_OPTIONS.intersection(action.option_strings):
            action.help = argparse.SUPPRESS
    try:
        options = vars(parser.parse_args(own))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else BAD_INPUT
    positional = options.pop("args", ())
    options["skip_checks"] = True  # as call_command: the checks belong to deployment
    audit_context = (
        contextlib.nullcontext()
        if command.management in _UNTRACKED
        else pghistory.context(command=" ".join([PROG, *arguments])[:500])
    )
    try:
        with audit_context, _spinner(SPINNERS.get(command.management)):
            handler.execute(*positional, **options)
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
