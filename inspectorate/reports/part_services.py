"""Writes of a report's editable parts: the signature and month under the summary, the team
list and its order, the glossary, the 'About this report' text, and the areas, theme
references and theme sources of an IRP's follow-up items.

Who may: whoever may edit the report's narrative (the event's leads, while the report is
editable: `reports.edit`). Every save names the version the page was
opened at; a stale one is refused with StaleVersion (the page answers 409). The records are
audited, so each save is in the report's (or the item's) history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from inspectorate.accounts.permissions import require
from inspectorate.inspections.constants import FollowUpKind
from inspectorate.inspections.findings.services import PARAGRAPH_REFERENCE
from inspectorate.inspections.models import FollowUp, Recommendation
from inspectorate.lib.versions import StaleVersion, locked, saved
from inspectorate.reports import parts
from inspectorate.reports.constants import EDITABLE_STAGES
from inspectorate.reports.models import Report
from inspectorate.reports.services import _require_stage

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

__all__ = [
    "ItemChange",
    "StaleVersion",
    "report_about_update",
    "report_glossary_update",
    "report_items_update",
    "report_signature_update",
    "report_team_update",
]

NAME_MAX = 200
TERM_MAX = 200


def _editable(actor: User, report: Report, version: int | None) -> Report:
    """The report locked for this transaction, after the checks every part shares."""
    require(actor, "reports.write", report, message="Only the event's leads edit its reports.")
    current = locked(Report, report.pk, version)
    _require_stage(current, *EDITABLE_STAGES, doing="the report is edited")
    return current


def report_signature_update(
    *, actor: User, report: Report, signatory: str, report_month: date, version: int | None
) -> Report:
    """Who signs the summary and the month under it (also the month titles give)."""
    name = " ".join(signatory.split())
    if len(name) > NAME_MAX:
        raise ValidationError({"signatory": f"The name must be {NAME_MAX} characters or fewer"})
    with transaction.atomic():
        current = _editable(actor, report, version)
        return saved(current, signatory=name, report_month=report_month.replace(day=1))


def report_about_update(*, actor: User, report: Report, text: str, version: int | None) -> Report:
    """The 'About this report' paragraphs; blank restores the default wording."""
    clean = text.replace("\r\n", "\n").strip()
    with transaction.atomic():
        current = _editable(actor, report, version)
        default = parts.default_about(current.event)
        return saved(current, about_text="" if clean == default else clean)


def report_glossary_update(
    *, actor: User, report: Report, entries: Sequence[tuple[str, str]], version: int | None
) -> Report:
    """The glossary: terms with their definitions, in alphabetical order of term. An entry
    with neither is dropped; a term without a definition, or twice, is refused."""
    items: list[tuple[str, str]] = []
    errors: list[str] = []
    for term, definition in entries:
        term, definition = " ".join(term.split()), definition.strip()
        if not term and not definition:
            continue
        if not term:
            errors.append(f"Enter the term that '{definition[:40]}' defines")
        elif not definition:
            errors.append(f"Enter the definition of '{term}'")
        elif len(term) > TERM_MAX:
            errors.append(f"The term '{term[:40]}…' must be {TERM_MAX} characters or fewer")
        elif term.lower() in {t.lower() for t, _ in items}:
            errors.append(f"The glossary already defines '{term}': define each term once")
        else:
            items.append((term, definition))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _editable(actor, report, version)
        ordered = sorted(items, key=lambda item: item[0].lower())
        return saved(current, glossary=[list(item) for item in ordered])


@dataclass(frozen=True)
class TeamEntry:
    """One line of the team list as the form sends it: a team member ('member-<pk>') or an
    extra (key '' or 'extra-<n>', with a name), at `position`; `remove` drops an extra."""

    key: str
    position: int
    name: str = ""
    role: str = ""
    remove: bool = False


def report_team_update(
    *, actor: User, report: Report, entries: Sequence[TeamEntry], version: int | None
) -> Report:
    """The team list in the order of the entries' positions (ties keep the page's order).
    Every team member stays listed; extras, such as the Chief Inspector, come and go."""
    with transaction.atomic():
        current = _editable(actor, report, version)
        rows = {row.key: row for row in parts.team_rows(current)}
        ordered = sorted(enumerate(entries), key=lambda pair: (pair[1].position, pair[0]))
        stored: list[dict[str, Any]] = []
        for _, entry in ordered:
            row = rows.pop(entry.key, None)
            if row is not None and not row.is_extra:
                stored.append(row.stored())
                continue
            name = " ".join(entry.name.split())
            if entry.remove or not name:
                continue
            if len(name) > NAME_MAX:
                raise ValidationError({"name": f"A name must be {NAME_MAX} characters or fewer"})
            stored.append({"name": name, "role": " ".join(entry.role.split()), "organisation": ""})
        # Members the page did not list (they joined since it was opened) keep their place
        # at the end.
        stored += [row.stored() for row in rows.values() if not row.is_extra]
        return saved(current, team_order=stored)


@dataclass(frozen=True)
class ItemChange:
    """What the report editor changes on one follow-up item: a recommendation's area; a
    theme's paragraph reference and the recommendations it came from. `version` is the
    version of the record changed (the recommendation's for an area, else the item's)."""

    follow_up_id: int
    version: int | None
    area: str = ""
    paragraph_reference: str = ""
    from_recommendations: tuple[int, ...] = ()


def _reference(value: str, item: FollowUp) -> str:
    reference = value.strip()
    if reference and not PARAGRAPH_REFERENCE.match(reference):
        raise ValidationError(
            {
                "paragraph_reference": f"The paragraph reference of theme '{item.theme[:40]}' "
                "must be a section number and a paragraph number, for example 1.3"
            }
        )
    return reference


def report_items_update(
    *, actor: User, report: Report, changes: Sequence[ItemChange], version: int | None = None
) -> Report:
    """Areas of the recommendations an IRP follows up, and its themes' paragraph
    references and source recommendations (of the full inspection it follows up), each
    record checked against the version the page was opened at. All or nothing."""
    with transaction.atomic():
        current = _editable(actor, report, version)
        event = current.event
        sources = set(
            Recommendation.objects.filter(event__pk=event.follows_up_id or 0).values_list(
                "pk", flat=True
            )
        )
        for change in changes:
            item = FollowUp.objects.select_related("recommendation").get(
                pk=change.follow_up_id, event=event
            )
            if item.kind == FollowUpKind.RECOMMENDATION and item.recommendation is not None:
                _area_update(item.recommendation, change)
            elif item.kind == FollowUpKind.THEME:
                _theme_update(item, change, sources)
        return current


def _area_update(recommendation: Recommendation, change: ItemChange) -> None:
    area = " ".join(change.area.split())
    if len(area) > 300:
        raise ValidationError({"area": "An area must be 300 characters or fewer"})
    record = locked(Recommendation, recommendation.pk, change.version)
    if record.area != area:
        saved(record, area=area)


def _theme_update(item: FollowUp, change: ItemChange, sources: set[int]) -> None:
    reference = _reference(change.paragraph_reference, item)
    chosen = set(change.from_recommendations)
    if not chosen <= sources:
        raise ValidationError(
            {"from_recommendations": "Choose recommendations of the inspection followed up"}
        )
    record = locked(FollowUp, item.pk, change.version)
    linked = set(record.from_recommendations.values_list("pk", flat=True))
    if record.paragraph_reference != reference or linked != chosen:
        saved(record, paragraph_reference=reference)
        record.from_recommendations.set(chosen)
