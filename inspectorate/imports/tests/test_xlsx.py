"""Excel exports: typed cells, a bold frozen header, and never a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from inspectorate.lib.csvio import write_csv
from inspectorate.lib.xlsxio import csv_to_xlsx, write_xlsx


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_rows_keep_their_types_and_the_header_is_frozen() -> None:
    data = write_xlsx(
        "A very long sheet title that Excel would refuse",
        ["code", "opened_on", "places", "tags", "open"],
        [["LE", date(1847, 1, 1), 1200, ["a", "b"], True], ["HL", None, None, [], False]],
    )
    sheet = _sheet(data)
    assert sheet.title == "A very long sheet title that Ex"  # 31 characters at most
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "LE"
    assert rows[1][1].date() == date(1847, 1, 1)
    assert rows[1][2] == 1200
    assert rows[1][3] == "a; b"
    assert rows[1][4] is True
    assert rows[2][1] is None


def test_text_that_looks_like_a_formula_stays_text() -> None:
    sheet = _sheet(write_xlsx("t", ["name"], [["=HYPERLINK(1)"], ["-12"], ["@x"]]))
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["'=HYPERLINK(1)", "-12", "'@x"]
    assert all(cell.data_type == "s" for cell in cells)


def test_a_csv_export_converts_with_dates_and_chosen_numbers() -> None:
    text = write_csv(
        ["code", "company", "places", "opened_on", "note"],
        [["LE", "01234567", 12, date(2001, 2, 3), "=1+1"], ["HL", "", None, None, "2001-02-30"]],
    )
    rows = list(
        _sheet(csv_to_xlsx(text, title="E", whole_numbers={"places"})).iter_rows(values_only=True)
    )
    assert rows[0] == ("Code", "Company", "Places", "Opened on", "Note")
    assert rows[1][:3] == ("LE", "01234567", 12)  # the company number keeps its leading zero
    assert rows[1][3].date() == date(2001, 2, 3)
    assert rows[1][4] == "'=1+1"
    assert rows[2] == ("HL", None, None, None, "2001-02-30")  # not a real date: left as text


# Issue 15, finding 6: OWASP's list of formula starts includes a tab and a carriage return.
FORMULA_CELLS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def quoted(text: str) -> str:
    """The cell as exported: a quote in front, line breaks as '\n'."""
    return "'" + text.replace("\r", "\n")


@pytest.mark.parametrize("text", FORMULA_CELLS)
def test_a_csv_cell_with_any_formula_start_is_quoted(text: str) -> None:
    rows = list(csv.reader(io.StringIO(write_csv(["v"], [[text]]), newline="")))
    assert rows[1] == [quoted(text)]


@pytest.mark.parametrize("text", FORMULA_CELLS)
def test_an_excel_cell_with_any_formula_start_is_quoted_text(text: str) -> None:
    written = _sheet(write_xlsx("t", ["v"], [[text]]))["A2"]
    converted = _sheet(csv_to_xlsx(write_csv(["v"], [[text]]), title="t"))["A2"]
    for cell in (written, converted):
        assert cell.value == quoted(text)
        assert cell.data_type == "s"


@pytest.mark.parametrize("number", ["-3", "+44", "-1.5", "-2e3"])
def test_a_signed_number_stays_a_number(number: str) -> None:
    assert write_csv(["v"], [[number]]).splitlines()[1] == number
    assert _sheet(write_xlsx("t", ["v"], [[number]]))["A2"].value == number


def test_a_carriage_return_inside_a_cell_cannot_start_a_row() -> None:
    text = write_csv(["a", "b"], [["x\r=1+1", "y"]])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], ["x\n=1+1", "y"]]
