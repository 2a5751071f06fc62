"""`inspectorate backup` then `inspectorate restore` into a scratch database (slow: one test)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from inspectorate.cli import main
from inspectorate.programme.tests.test_programme_helpers import (
    make_establishment,
    make_event,
    make_programme,
)
from inspectorate.shell.backup import configured_database, row_counts, user_tables


def _on_same_server(database: str) -> str:
    """A URL of `database` on the server the tests use (the embedded one, or DATABASE_URL's):
    a backup made by one PostgreSQL version restores into the same version."""
    parts = urlsplit(configured_database().url)
    return urlunsplit(parts._replace(path="/" + database))


def _scratch_url() -> str:
    return _on_same_server(urlsplit(configured_database().url).path.lstrip("/") + "_restore")


def _admin(url: str, statement: str) -> None:
    with psycopg.connect(_on_same_server("postgres"), autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture
def scratch():
    url = _scratch_url()
    name = urlsplit(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{name}"')
    yield url
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        return row_counts(cursor, user_tables(cursor))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_with_identical_row_counts_and_a_verified_chain(
    capsys, tmp_path, scratch
) -> None:
    leeds = make_establishment("LE", "HMP Leeds")
    make_event(make_programme(2026), leeds, starts_on=date(2027, 1, 11))
    dump = tmp_path / "inspectorate.dump"

    assert main(["backup", str(dump)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Backed up ")
    assert dump.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))

    assert main(["restore", str(dump), "--database", scratch]) == 0
    out = capsys.readouterr().out
    assert "row counts identical to the backup" in out
    assert "Audit chain intact" in out

    source = configured_database()
    with source.connect() as connection, connection.cursor() as cursor:
        expected = row_counts(cursor, user_tables(cursor))
    restored = _counts(scratch)
    assert restored == expected
    assert restored["public.estate_establishment"] == 1
    assert restored["public.audit_chainlink"] > 0

    # Restoring again over a database that now holds tables is refused without --replace.
    assert main(["restore", str(dump), "--database", scratch]) == 2
    assert "add --replace" in capsys.readouterr().err
    assert main(["restore", str(dump), "--database", scratch, "--replace"]) == 0
    assert _counts(scratch) == expected
