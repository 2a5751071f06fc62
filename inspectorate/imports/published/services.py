"""Import a published report: read the file, plan, and (when confirmed) commit (HI-2).

The screens, the API and the command line all come here. `report_review` writes nothing;
`report_import` writes the whole plan in one transaction or nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from inspectorate.imports.published.commit import ImportResult, commit_import
from inspectorate.imports.published.parsed import ParsedReport
from inspectorate.imports.published.plan import ImportPlan, plan_import
from inspectorate.imports.published.reading import (
    ACCEPTED,
    MAX_REPORT_BYTES,
    NotImportable,
    read_report,
)

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

__all__ = ["ACCEPTED", "MAX_REPORT_BYTES", "NotImportable", "report_import", "report_review"]


def _require(actor: User) -> None:
    if not actor.has_perm("imports.import_report"):
        raise PermissionDenied(
            "Only the programme coordinator and system administrators can import reports."
        )


def report_review(
    *, actor: User, data: bytes, filename: str, parsed: ParsedReport | None = None
) -> ImportPlan:
    """What importing the file would do, item by item. Writes nothing. `parsed`: the file
    read already (by a worker process)."""
    _require(actor)
    if parsed is None:
        parsed = read_report(data, filename)
    return plan_import(parsed, actor, data=data, filename=filename)


def report_import(*, actor: User, data: bytes, filename: str) -> tuple[ImportPlan, ImportResult]:
    """Plan and commit the file in one go: all or nothing; the same file again changes
    nothing. ImportRefused (nothing written) when the plan has refusals."""
    plan = report_review(actor=actor, data=data, filename=filename)
    return plan, commit_import(plan, actor)
