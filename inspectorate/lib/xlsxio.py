"""The one Excel (.xlsx) writer: every .xlsx export goes through `write_xlsx`.

Every workbook has one sheet with a bold, frozen header row, a filter on every column, and
columns as wide as what they hold. Cells are typed: dates as dates, numbers as numbers, and
identifiers (establishment codes, URNs, UKPRNs, company numbers such as 02984969) as text cells
with the text number format, so no spreadsheet drops a leading zero or shows 1.2E+7. Stored
codes are shown by their labels (a column's `labels`). Text never becomes a formula: it goes
through csvio.spreadsheet_safe, the one rule every CSV cell follows too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from inspectorate.lib.csvio import IDENTIFIER_COLUMNS, spreadsheet_safe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE_NUMBER = re.compile(r"^-?(0|[1-9][0-9]{0,14})$")
SHEET_TITLE_MAX = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN = re.compile(r"[][:*?/\\]")  # Excel refuses these in a sheet's name
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WIDTH_MIN, WIDTH_MAX = 8, 60


class Kind(StrEnum):
    TEXT = "text"
    IDENTIFIER = "identifier"  # always a text cell, even when it is all digits
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True)
class SheetColumn:
    """One column: its machine name (the CSV header), the heading people read, its kind,
    and for stored codes the labels to show instead."""

    name: str
    heading: str = ""
    kind: Kind = Kind.TEXT
    labels: Mapping[str, str] | Callable[[Any], str] | None = field(default=None, compare=False)

    @property
    def title(self) -> str:
        return self.heading or self.name.replace("_", " ").capitalize()

    def label(self, value: Any) -> Any:
        if self.labels is None or value in (None, ""):
            return value
        if callable(self.labels):
            return self.labels(value)
        return self.labels.get(str(value), value)


def choices(name: str, text_choices: Any, heading: str = "") -> SheetColumn:
    """A column of stored codes of a TextChoices, shown by their labels."""
    labels = {str(value): str(label) for value, label in text_choices.choices}
    return SheetColumn(name, heading, Kind.TEXT, labels)


def write_xlsx(
    title: str, columns: Sequence[SheetColumn | str], rows: Iterable[Sequence[Any]]
) -> bytes:
    """A workbook with one sheet named `title`: headings, then one typed row per item."""
    specs = [c if isinstance(c, SheetColumn) else SheetColumn(c) for c in columns]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:SHEET_TITLE_MAX] or "Sheet"
    sheet.append([spec.title for spec in specs])
    widths = [len(spec.title) + 3 for spec in specs]  # room for the filter button
    for values in rows:
        cells = [_cell(spec, value) for spec, value in zip(specs, values, strict=False)]
        sheet.append([value for value, _ in cells])
        for index, (value, number_format) in enumerate(cells):
            target = sheet.cell(row=sheet.max_row, column=index + 1)
            if number_format:
                target.number_format = number_format
            widths[index] = max(widths[index], _shown_width(value))
    for index, cell in enumerate(sheet[1]):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(widths[index], WIDTH_MIN), WIDTH_MAX)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(specs), 1))}{max(sheet.max_row, 1)}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(spec: SheetColumn, value: Any) -> tuple[Any, str]:
    """The value to store and its number format (empty: the default)."""
    value = spec.label(value)
    if value is None or value == "":
        return None, TEXT_FORMAT if spec.kind == Kind.IDENTIFIER else ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    if spec.kind == Kind.IDENTIFIER:
        return spreadsheet_safe(str(value)), TEXT_FORMAT
    if isinstance(value, bool):
        return value, ""  # a Boolean cell: TRUE or FALSE in the spreadsheet's language
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), DATETIME_FORMAT  # Excel has no time zones
    if isinstance(value, date):
        return value, DATE_FORMAT
    if isinstance(value, int | float | Decimal):
        return value, ""
    return spreadsheet_safe(str(value)), ""


def _shown_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    longest = max((len(line) for line in str(value).split("\n")), default=0)
    return longest + 2


def csv_to_xlsx(
    text: str,
    *,
    title: str,
    whole_numbers: Collection[str] = (),
    columns: Sequence[SheetColumn] = (),
) -> bytes:
    """The workbook of a CSV export, typed back: YYYY-MM-DD cells become dates, the cells of
    the `whole_numbers` columns numbers; `columns` give headings, labels and identifier
    columns (kept as text) by name."""
    reader = csv.reader(io.StringIO(text, newline=""))  # a quoted cell may hold a "\r"
    header = next(reader, [])
    known = {spec.name: spec for spec in columns}
    specs = [
        known.get(name) or SheetColumn(name, kind=_kind(name, whole_numbers)) for name in header
    ]
    rows = (
        [
            _typed(cell, specs[i] if i < len(specs) else SheetColumn(""))
            for i, cell in enumerate(row)
        ]
        for row in reader
    )
    return write_xlsx(title, specs, rows)


def _kind(name: str, whole_numbers: Collection[str]) -> Kind:
    if name in IDENTIFIER_COLUMNS:
        return Kind.IDENTIFIER
    return Kind.NUMBER if name in whole_numbers else Kind.TEXT


def _typed(text: str, spec: SheetColumn) -> Any:
    if text == "":
        return None
    if spec.kind == Kind.IDENTIFIER:
        return text
    if spec.kind == Kind.NUMBER and WHOLE_NUMBER.match(text):
        return int(text)
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text
