"""CSV import and export shared by every app that exchanges spreadsheets.

An import is all or nothing: every row is parsed and checked first; any bad row is reported
with its line number (the header is line 1) and field, and nothing is written. Rows are then
matched to records by a natural key and only records whose values differ are written, so
importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models

from inspectorate.lib.versions import save_changes
from inspectorate.lib.wording import count_noun

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A cell starting with one of these is run as a formula by spreadsheets (OWASP: CSV
# injection); a tab or carriage return is skipped by some before they look for '='.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
CSV_SPECIAL = (",", '"', "\n", "\r")  # a field holding one of these is quoted (RFC 4180)


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}, {self.field}: {self.message}"


class ImportRejected(Exception):
    """The file was not imported; `errors` says where and why."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors[:5]))


class CellError(ValueError):
    """Raised by a column parser with a message for the person who wrote the file."""


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any] = str
    required: bool = True
    help: str = ""
    max_length: int | None = None  # checked before parsing: the database would refuse it


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"{count_noun(self.rows, 'row')} read: {self.created} created, "
            f"{self.updated} updated, "
            f"{self.unchanged} unchanged."
        )

    def upsert(
        self, current: models.Model | None, values: Mapping[str, Any], create: Callable[[], Any]
    ) -> None:
        """One row's write, counted: `create()` when no record matched it, else `values` set
        on the matched `current` and saved only when they change something."""
        if current is None:
            create()
            self.created += 1
        elif save_changes(current, values):
            self.updated += 1
        else:
            self.unchanged += 1


# Parsers for common cell types ---------------------------------------------------------


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CellError(f"'{text}' is not a whole number") from None


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in {"yes", "true", "1", "y"}:
        return True
    if lowered in {"no", "false", "0", "n"}:
        return False
    raise CellError(f"'{text}' should be yes or no")


def parse_choice(choices: type[models.TextChoices]) -> Callable[[str], str]:
    """Accept a choice by its stored value or its label, case-insensitively."""
    by_text = {str(value).lower(): str(value) for value in choices.values}
    by_text.update({str(label).lower(): str(value) for value, label in choices.choices})

    def parse(text: str) -> str:
        try:
            return by_text[text.lower()]
        except KeyError:
            allowed = ", ".join(str(value) for value in choices.values)
            raise CellError(f"'{text}' is not one of: {allowed}") from None

    return parse


def choice_column(
    name: str, choices: type[models.TextChoices], help: str = "", *, required: bool = True
) -> Column:
    """A column holding one of `choices` (`parse_choice`); its help lists the stored values
    unless `help` words it."""
    listed = ", ".join(str(value) for value in choices.values)
    return Column(name, parse_choice(choices), required=required, help=help or listed)


def parse_list(text: str) -> list[str]:
    """Several values in one cell, separated by semicolons."""
    return [item.strip() for item in text.split(";") if item.strip()]


# Reading and writing -------------------------------------------------------------------


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([RowError(0, "file", "is larger than 5 MB")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        raise ImportRejected(
            [RowError(0, "file", f"is not UTF-8 text (line {line}); save it as 'CSV UTF-8'")]
        ) from None


EXTRA = "\0extra"  # where DictReader puts cells beyond the header's columns


def _printable(name: str) -> str:
    return name.replace("\0", "\\0")


def _csv_problem(problem: csv.Error) -> str:
    if "field larger than field limit" in str(problem):
        return f"has a cell longer than {csv.field_size_limit():,} characters"
    return f"cannot be read as CSV ({problem})"


def _header(reader: csv.DictReader[str]) -> list[str]:
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except csv.Error as problem:
        raise ImportRejected([RowError(1, "file", _csv_problem(problem))]) from None
    if not header:
        raise ImportRejected([RowError(1, "file", "is empty: the first line names the columns")])
    errors = [
        RowError(1, _printable(name), "contains a NUL character") for name in header if "\0" in name
    ]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(1, name, "column appears more than once"))
        seen.add(name)
    if errors:
        raise ImportRejected(errors)
    return header


def _raw_rows(reader: csv.DictReader[str], errors: list[RowError]) -> Iterator[dict[Any, Any]]:
    """The rows as read; a line the csv module cannot read ends the file with an error."""
    rows = iter(reader)
    while True:
        try:
            yield next(rows)
        except StopIteration:
            return
        except csv.Error as problem:
            # DictReader.line_num is only updated by a row read whole: ask its reader.
            errors.append(RowError(reader.reader.line_num, "file", _csv_problem(problem)))
            return


def _cell_errors(line: int, raw: Mapping[Any, Any], width: int) -> list[RowError]:
    errors = []
    extra = raw.get(EXTRA)
    if extra:
        errors.append(
            RowError(line, "row", f"has {width + len(extra)} cells; the header names {width}")
        )
    for key, value in raw.items():
        if key != EXTRA and value and "\0" in value:
            errors.append(RowError(line, _printable(key.strip()), "contains a NUL character"))
    return errors


def read_rows(data: bytes | str, columns: Sequence[Column]) -> list[ParsedRow]:
    """Parse every row; raise ImportRejected listing every problem if any row is bad."""
    # newline="": the csv module reads \r\n, \n and a lone \r as line ends itself.
    reader = csv.DictReader(io.StringIO(_decode(data), newline=""), restkey=EXTRA)
    header = _header(reader)
    missing = [c.name for c in columns if c.required and c.name not in header]
    if missing:
        raise ImportRejected([RowError(1, name, "column is missing") for name in missing])
    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    for raw in _raw_rows(reader, errors):
        line = reader.line_num  # the physical line, counting blank lines and the header
        problems = _cell_errors(line, raw, len(header))
        if problems:
            errors.extend(problems)
            continue
        cells = {(key or "").strip(): (value or "").strip() for key, value in raw.items()}
        if not any(cells.values()):
            continue  # blank lines are allowed
        values, row_errors = _parse_row(line, cells, columns)
        errors.extend(row_errors)
        rows.append(ParsedRow(line, values))
    if errors:
        raise ImportRejected(errors)
    return rows


def _parse_row(
    line: int, cells: Mapping[str, str], columns: Sequence[Column]
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in columns:
        text = cells.get(column.name, "")
        if not text:
            if column.required:
                errors.append(RowError(line, column.name, "is empty"))
            values[column.name] = None
            continue
        if column.max_length is not None and len(text) > column.max_length:
            errors.append(
                RowError(line, column.name, f"must be {column.max_length} characters or fewer")
            )
            continue
        try:
            values[column.name] = column.parse(text)
        except CellError as error:
            errors.append(RowError(line, column.name, str(error)))
    return values, errors


def check_unique(rows: Iterable[ParsedRow], key: str) -> None:
    """Refuse a file that names the same record twice."""
    first_line: dict[Any, int] = {}
    errors = []
    for row in rows:
        value = row.values[key]
        if value in first_line:
            errors.append(RowError(row.line, key, f"repeats line {first_line[value]}"))
        else:
            first_line[value] = row.line
    if errors:
        raise ImportRejected(errors)


# Columns that hold identifiers: codes and numbers whose leading zeros and exact digits matter
# (a company number 02984969, a URN, a UKPRN). The one rule for every export: in CSV they are
# always double-quoted, in .xlsx they are text cells (xlsxio). Double quotes are what CSV has to
# say "this is text": LibreOffice Calc keeps a quoted field as text with its CSV import option
# "Format quoted field as text" (filter option 7), and Excel users have the .xlsx beside it. The
# other trick in circulation, ="02984969", is a formula: it would break the formula rule below,
# and every program that is not a spreadsheet (pandas, R, the importers here) would read it as
# data with an equals sign.
IDENTIFIER_COLUMNS = frozenset(
    {
        "code",
        "establishment_code",
        "operator_company_number",
        "company_number",
        "provider_ukprn",
        "ukprn",
        "URN",
        "UKPRN",
        "urn",
        "Inspection number",
        "Previous inspection number",
        "Establishment code",
        "inspection_number",
        "previous_inspection_number",
    }
)


def write_csv(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], *, identifiers: Iterable[str] = ()
) -> str:
    """CSV text with a header; dates as YYYY-MM-DD, lists joined with '; ', None as empty;
    identifier columns (IDENTIFIER_COLUMNS, and `identifiers`) always quoted."""
    quoted = [name in IDENTIFIER_COLUMNS or name in set(identifiers) for name in columns]
    lines = [_csv_line(list(columns), [False] * len(quoted))]
    for row in rows:
        lines.append(_csv_line([_cell(value) for value in row], quoted))
    return "".join(lines)


def _csv_line(cells: Sequence[str], quoted: Sequence[bool]) -> str:
    """One RFC 4180 record, ended with \n like csv.writer(lineterminator="\n")."""
    fields = []
    for index, text in enumerate(cells):
        force = quoted[index] if index < len(quoted) else False
        if (force and text != "") or any(mark in text for mark in CSV_SPECIAL):
            text = '"' + text.replace('"', '""') + '"'
        fields.append(text)
    return ",".join(fields) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return spreadsheet_safe(str(value))


def spreadsheet_safe(text: str) -> str:
    """`text` as a cell no spreadsheet runs as a formula: every export (CSV and Excel)
    writes text through this. A leading formula character gets a quote in front; a plain
    signed number ('-3', '+1.5') stays as it is. Line breaks become '\n': Python's CSV
    writer leaves a field with a bare '\r' unquoted, and a spreadsheet would end the row
    there and read what follows as a new row."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(text):
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n")
