"""Excel (.xlsx) exports beside the CSV ones: the same columns and rows, one sheet.

Dates are written as dates and whole-number columns as numbers, so a spreadsheet sorts and
filters them properly; everything else is text. Text is never stored as a formula: it goes
through csvio.spreadsheet_safe, like every CSV cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from inspectorate.imports.csvio import spreadsheet_safe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE_NUMBER = re.compile(r"^-?(0|[1-9][0-9]{0,14})$")
SHEET_TITLE_MAX = 31  # Excel's limit


def write_xlsx(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A workbook with one sheet named `title`: a bold, frozen header and one row per item."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:SHEET_TITLE_MAX]
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) + 2)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_to_xlsx(text: str, *, title: str, whole_numbers: Collection[str] = ()) -> bytes:
    """The workbook of a CSV export, typed back: YYYY-MM-DD cells become dates and the cells
    of the `whole_numbers` columns become numbers; other cells stay exactly as in the CSV."""
    reader = csv.reader(io.StringIO(text, newline=""))  # a quoted cell may hold a "\r"
    header = next(reader, [])
    numeric = [name in whole_numbers for name in header]
    rows = (
        [_typed(cell, numeric[i] if i < len(numeric) else False) for i, cell in enumerate(row)]
        for row in reader
    )
    return write_xlsx(title, header, rows)


def _typed(text: str, numeric: bool) -> Any:
    if text == "":
        return None
    if numeric and WHOLE_NUMBER.match(text):
        return int(text)
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value
