"""The shared CSV reader: every bad row reported with its line and field, or nothing at all."""

from __future__ import annotations

import pytest

from inspectorate.estate.constants import Nation
from inspectorate.lib.csvio import (
    Column,
    ImportRejected,
    RowError,
    check_unique,
    parse_choice,
    parse_date,
    parse_int,
    read_rows,
    write_csv,
)

COLUMNS = [
    Column("code"),
    Column("nation", parse_choice(Nation)),
    Column("opened", parse_date, required=False),
    Column("capacity", parse_int, required=False),
]


def test_good_rows_are_parsed_with_their_line_numbers() -> None:
    rows = read_rows(
        b"code,nation,opened,capacity\nLE,England,2020-01-02,12\n\nCF,wales,,\n", COLUMNS
    )
    assert [(row.line, row.values["code"], row.values["nation"]) for row in rows] == [
        (2, "LE", "england"),
        (4, "CF", "wales"),
    ]
    assert rows[0].values["capacity"] == 12
    assert rows[1].values["opened"] is None


def test_every_bad_cell_is_reported_by_line_and_column() -> None:
    data = "code,nation,opened,capacity\nLE,Narnia,2020-13-01,12\n,England,,many\n"
    with pytest.raises(ImportRejected) as rejected:
        read_rows(data, COLUMNS)
    assert rejected.value.errors == [
        RowError(2, "nation", "'Narnia' is not one of: england, wales, scotland, northern_ireland"),
        RowError(2, "opened", "'2020-13-01' is not a date; write it as YYYY-MM-DD"),
        RowError(3, "code", "is empty"),
        RowError(3, "capacity", "'many' is not a whole number"),
    ]


def test_a_missing_column_is_reported_on_the_header_line() -> None:
    with pytest.raises(ImportRejected) as rejected:
        read_rows("code,opened\nLE,\n", COLUMNS)
    assert rejected.value.errors == [RowError(1, "nation", "column is missing")]


def test_a_file_that_is_not_utf8_is_refused_clearly() -> None:
    with pytest.raises(ImportRejected, match="not UTF-8"):
        read_rows("code,nation\nLE,Ynys Môn\n".encode("latin-1"), COLUMNS)


def test_a_record_named_twice_is_refused() -> None:
    rows = read_rows("code,nation\nLE,England\nLE,Wales\n", COLUMNS)
    with pytest.raises(ImportRejected) as rejected:
        check_unique(rows, "code")
    assert rejected.value.errors == [RowError(3, "code", "repeats line 2")]


def test_exported_cells_cannot_run_as_spreadsheet_formulas() -> None:
    text = write_csv(["name", "count", "when"], [["=HYPERLINK(1)", -3, None]])
    assert text.splitlines()[1] == "'=HYPERLINK(1),-3,"
