"""The command line's exports: establishments, inspectors, the programme and published
judgements, as CSV or Excel, through the same selectors and services as the web downloads so
permissions and confidentiality (PG-3) are the same."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from inspectorate.imports.xlsxio import csv_to_xlsx

FORMATS = ("csv", "xlsx")
EXPORT_PATH = "cli:export"  # what the access log records as the place the export came from


class ExportRefused(Exception):
    """The export was not made; the message says why."""


@dataclass(frozen=True)
class ExportRequest:
    kind: str
    format: str
    actor: Any
    year: int | None = None  # the programme's April; None means the current programme


def _require(actor: Any, permission: str, message: str) -> None:
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
    return csv_to_xlsx(
        text, title="Establishments", whole_numbers={"max_inspectors_on_site", "probation_group"}
    )


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
    return csv_to_xlsx(text, title="Inspectors")


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
    from inspectorate.inspections.open_data import published_judgements_csv

    text = published_judgements_csv()  # published, so open data: anyone may have it
    if request.format == "csv":
        return text.encode()
    return csv_to_xlsx(text, title="Published judgements")


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
