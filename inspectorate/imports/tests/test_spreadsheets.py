"""Every spreadsheet export works in the programs people open it in: each .xlsx (one writer)
has labels not stored codes, typed cells, column widths, a filter row and a frozen header;
identifiers such as the company number 02984969 stay text in .xlsx and in CSV (quoted, which
LibreOffice Calc keeps as text with "Format quoted field as text"); one formula rule."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from inspectorate.accounts.operator import system_actor
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.models import Inspector
from inspectorate.lib.csvio import write_csv
from inspectorate.lib.xlsxio import Kind, SheetColumn, choices, write_xlsx
from inspectorate.programme.constants import EventKind
from inspectorate.programme.tests.test_milestone_helpers import make_establishment, make_event
from inspectorate.shell.exports import EXPORTERS, ExportRequest, export_data

COMPANY = "02984969"


def sheet_of(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def assert_house_style(sheet: Worksheet) -> None:
    """A bold frozen header, a filter over every column and row, and set column widths."""
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert (
        sheet.auto_filter.ref
        == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    )
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        assert width >= len(str(cell.value)), f"{cell.value} is wider than its column"


def test_the_writer_types_cells_shows_labels_and_sizes_columns() -> None:
    columns = [
        SheetColumn("company", "Company number", Kind.IDENTIFIER),
        choices("kind", EventKind, "Kind"),
        SheetColumn("starts_on", "Starts on", Kind.DATE),
        SheetColumn("places", "Places", Kind.NUMBER),
        SheetColumn("note", "Note"),
    ]
    long_note = "A note long enough to widen its column beyond the heading"
    sheet = sheet_of(
        write_xlsx(
            "t",
            columns,
            [
                [COMPANY, "full_inspection", date(2027, 7, 12), 1200, long_note],
                [None, "irp", None, None, "=cmd|' /C calc'!A0"],
            ],
        )
    )
    assert_house_style(sheet)
    assert [c.value for c in sheet[1]] == ["Company number", "Kind", "Starts on", "Places", "Note"]
    company, kind, starts, places, _note = sheet[2]
    assert (company.value, company.data_type, company.number_format) == (COMPANY, "s", "@")
    assert kind.value == "Full inspection"
    assert sheet["B3"].value == "Independent review of progress"
    assert starts.is_date
    assert starts.value.date() == date(2027, 7, 12)
    assert (places.value, places.data_type) == (1200, "n")
    assert sheet.column_dimensions["E"].width >= len(long_note)
    assert sheet["E3"].value.startswith("'=")  # the formula rule, as in CSV
    assert sheet["A3"].number_format == "@"  # an empty identifier cell is typed text too


def test_an_identifier_column_is_quoted_in_csv() -> None:
    text = write_csv(["code", "operator_company_number", "places"], [["LE", COMPANY, 12]])
    assert text.splitlines() == ["code,operator_company_number,places", f'"LE","{COMPANY}",12']
    assert list(csv.reader(io.StringIO(text)))[1] == ["LE", COMPANY, "12"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EXPORTERS))
def test_every_xlsx_export_has_the_house_style(kind: str) -> None:
    leeds = make_establishment("LE", "HMP Leeds")
    Establishment.objects.filter(pk=leeds.pk).update(
        operator="Serco", operator_company_number=COMPANY, opened_on=date(1847, 1, 1)
    )
    Inspector.objects.create(
        name="Ann Jones", email="ann@example.gov.uk", organisation="ofsted", grade="ofsted_hmi"
    )
    make_event(leeds, starts_on=date(2027, 1, 11))
    data = export_data(ExportRequest(kind=kind, format="xlsx", actor=system_actor(), year=None))
    sheet = sheet_of(data)
    assert_house_style(sheet)
    headings = [cell.value for cell in sheet[1]]
    assert all(heading and "_" not in heading for heading in headings), headings
    rows = [dict(zip(headings, row, strict=False)) for row in sheet.iter_rows(2, values_only=True)]
    if kind == "establishments":
        (row,) = rows
        assert row["Operator's company number"] == COMPANY
        assert sheet["A2"].number_format == "@"
        assert row["Kind"] == "Prison"
        assert row["Nation"] == "England"
        assert row["Opened on"].date() == date(1847, 1, 1)
    if kind == "inspectors":
        assert rows[0]["Organisation"] == "Ofsted"
    if kind == "programme":
        assert rows[0]["Kind"] == "Full inspection"
        assert rows[0]["Status"] == "Planned"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Calc is its own package (Debian's libreoffice-calc); Writer alone cannot open a CSV.
CALC = SOFFICE is not None and Path("/usr/lib/libreoffice/program/libsclo.so").exists()
# LibreOffice's CSV filter options: comma, double quote, UTF-8, from line 1, no column
# formats, English (UK), and the seventh, "Format quoted field as text".
QUOTED_AS_TEXT = "CSV:44,34,76,1,,2057,true"


def convert(tmp_path: Path, text: str, options: str) -> Worksheet:
    source = tmp_path / "establishments.csv"
    source.write_text(text)
    out = tmp_path / options.replace(":", "-").replace(",", "_")
    out.mkdir()
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            f"--infilter={options}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return sheet_of((out / "establishments.xlsx").read_bytes())


@pytest.mark.skipif(not CALC, reason="LibreOffice Calc is not installed")
def test_libreoffice_calc_keeps_the_company_number_of_the_csv(tmp_path: Path) -> None:
    text = write_csv(["code", "operator_company_number", "places"], [["LE", COMPANY, 12]])
    sheet = convert(tmp_path, text, QUOTED_AS_TEXT)
    assert sheet["B2"].value == COMPANY  # kept as text, leading zero and all
    assert sheet["C2"].value == 12  # an unquoted number is still a number
    # Without the option Calc reads the digits as a number: why the files say to tick it.
    plain = convert(tmp_path, text, "CSV:44,34,76,1,,2057,false")
    assert plain["B2"].value == int(COMPANY)
