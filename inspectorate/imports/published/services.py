"""Import a published report: read the file, plan, and (when confirmed) commit (HI-2).

The screens, the API and the command line all come here. `report_review` writes nothing;
`report_import` writes the whole plan in one transaction or nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from inspectorate.imports.published.commit import ImportResult, commit_import
from inspectorate.imports.published.parsed import ParsedReport
from inspectorate.imports.published.plan import ImportPlan, plan_import, sniff_format

MAX_REPORT_BYTES = 25 * 1024 * 1024  # published reports run to about 100 pages, 5 MB
ACCEPTED = "a PDF, a Word document (.docx) or a plain text file"


class NotImportable(ValueError):
    """The file cannot be imported at all (too large, not a report): nothing was written."""


def _require(actor: Any) -> None:
    if not actor.has_perm("imports.import_report"):
        raise PermissionDenied(
            "Only the programme coordinator and system administrators can import reports."
        )


def report_parse(*, data: bytes, filename: str) -> ParsedReport:
    """The report read from the file; NotImportable when it is not one."""
    if not data:
        raise NotImportable(f"{filename} is empty")
    if len(data) > MAX_REPORT_BYTES:
        raise NotImportable(
            f"{filename} is larger than {MAX_REPORT_BYTES // (1024 * 1024)} MB: "
            "a published report is smaller"
        )
    if sniff_format(data) is None:
        raise NotImportable(f"{filename} is not {ACCEPTED}")
    # The parser is another module's work, loaded only when a file is read.
    from inspectorate.imports.published.parse import NotAReport, parse_report

    try:
        return parse_report(data, filename)
    except NotAReport as problem:
        raise NotImportable(f"{filename} is not a published report: {problem}") from problem


def report_review(*, actor: Any, data: bytes, filename: str) -> ImportPlan:
    """What importing the file would do, item by item. Writes nothing."""
    _require(actor)
    parsed = report_parse(data=data, filename=filename)
    return plan_import(parsed, actor, data=data, filename=filename)


def report_import(*, actor: Any, data: bytes, filename: str) -> tuple[ImportPlan, ImportResult]:
    """Plan and commit the file in one go: all or nothing; the same file again changes
    nothing. ImportRefused (nothing written) when the plan has refusals."""
    plan = report_review(actor=actor, data=data, filename=filename)
    return plan, commit_import(plan, actor)
