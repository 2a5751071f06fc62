"""The command line's exports: establishments, inspectors, the programme and published
judgements, as CSV or Excel, through the same selectors and services as the web downloads so
permissions and confidentiality (PG-3) are the same."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from inspectorate.estate.constants import (
    EstablishmentKind,
    EstablishmentStatus,
    Nation,
    Region,
    SecurityCategory,
)
from inspectorate.inspectors.constants import Clearance, DbsLevel, Grade, Organisation
from inspectorate.lib.xlsxio import Kind, SheetColumn, choices, csv_to_xlsx

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

FORMATS = ("csv", "xlsx")
EXPORT_PATH = "cli:export"  # what the access log records as the place the export came from


class ExportRefused(Exception):
    """The export was not made; the message says why."""


@dataclass(frozen=True)
class ExportRequest:
    kind: str
    format: str
    actor: User
    year: int | None = None  # the programme's April; None means the current programme


# The workbooks show labels where the CSVs keep the stored codes (the importers read both).
ESTABLISHMENT_SHEET = (
    SheetColumn("code", "Code", Kind.IDENTIFIER),
    choices("kind", EstablishmentKind, "Kind"),
    choices("nation", Nation, "Nation"),
    choices("region", Region, "Region"),
    choices("security_category", SecurityCategory, "Security category"),
    SheetColumn("max_inspectors_on_site", "Most inspectors on site", Kind.NUMBER),
    SheetColumn("probation_group", "Probation group", Kind.NUMBER),
    SheetColumn("operator_company_number", "Operator's company number", Kind.IDENTIFIER),
    choices("status", EstablishmentStatus, "Status"),
)
INSPECTOR_SHEET = (
    choices("organisation", Organisation, "Organisation"),
    choices("grade", Grade, "Grade"),
    choices("home_region", Region, "Home region"),
    choices("dbs_level", DbsLevel, "DBS level"),
    SheetColumn("dbs_checked_on", "DBS checked on", Kind.DATE),
    SheetColumn("dbs_renewal_due_on", "DBS renewal due on", Kind.DATE),
    choices("clearance", Clearance, "Security clearance"),
)


def _require(actor: User, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise ExportRefused(message)


def _establishments(request: ExportRequest) -> bytes:
    from inspectorate.estate.selectors import establishments_export_csv

    _require(
        request.actor,
        "estate.export_establishments",
        f"{request.actor.get_username()} may not export establishments.",
    )
    text = establishments_export_csv(request.actor)
    if request.format == "csv":
        return text.encode()
    return csv_to_xlsx(text, title="Establishments", columns=ESTABLISHMENT_SHEET)


def _inspectors(request: ExportRequest) -> bytes:
    from inspectorate.inspectors.services import inspectors_export

    try:
        text = inspectors_export(actor=request.actor, path=EXPORT_PATH)
    except PermissionDenied as refused:
        raise ExportRefused(f"{request.actor.get_username()} may not export inspectors.") from (
            refused
        )
    if request.format == "csv":
        return text.encode()
    return csv_to_xlsx(text, title="Inspectors", columns=INSPECTOR_SHEET)


def _programme(request: ExportRequest) -> bytes:
    from inspectorate.programme import selectors
    from inspectorate.programme.models import Programme

    _require(
        request.actor,
        "programme.export_events",
        f"{request.actor.get_username()} may not export the programme.",
    )
    programme = (
        Programme.objects.filter(year=request.year).first()
        if request.year is not None
        else selectors.current_programme()
    )
    if programme is None:
        wanted = f"{request.year}-{(request.year + 1) % 100:02d}" if request.year else "this year"
        raise ExportRefused(f"There is no programme for {wanted}.")
    if request.format == "csv":
        return selectors.events_export_csv(request.actor, programme, path=EXPORT_PATH).encode()
    return selectors.events_export_xlsx(request.actor, programme, path=EXPORT_PATH)


def _judgements(request: ExportRequest) -> bytes:
    from inspectorate.inspections.open_data import JUDGEMENTS

    # published, so open data: anyone may have it
    return JUDGEMENTS.csv().encode() if request.format == "csv" else JUDGEMENTS.xlsx()


EXPORTERS: dict[str, Callable[[ExportRequest], bytes]] = {
    "establishments": _establishments,
    "inspectors": _inspectors,
    "programme": _programme,
    "judgements": _judgements,
}


def export_data(request: ExportRequest) -> bytes:
    """The file's bytes; ExportRefused (nothing made) if the kind, format or actor is wrong."""
    if request.kind not in EXPORTERS:
        raise ExportRefused(
            f"'{request.kind}' cannot be exported: choose from {', '.join(EXPORTERS)}."
        )
    if request.format not in FORMATS:
        raise ExportRefused(f"'{request.format}' is not a format: choose csv or xlsx.")
    if request.year is not None and request.kind != "programme":
        raise ExportRefused("--year applies to the programme only.")
    return EXPORTERS[request.kind](request)
