"""Every write about an inspection's findings: concerns, recommendations, notable positive
practice, and an IRP's follow-up items (the recommendations and Ofsted themes it follows up,
with their narrative paragraphs and progress judgements).

Only the event's leads (the HMI Prisons team leader and the education lead inspector) write
them. Each write locks the event's inspection record first, so the 'normally' counts of
IN-5 and IN-6 cannot be raced past by two people adding at once. Rules that hold 'normally'
raise `OverrideNeeded` until a reason is given; the reason is stored on the inspection
record. Progress judgements are written by `judgement_services.judgement_record`, on the
scale the item's kind is judged on (JG-6, JG-7).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict, TypeVar, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from inspectorate.accounts.permissions import require
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.inspections.common import known_fields, locked_inspection
from inspectorate.inspections.constants import (
    FOLLOW_UP_FRAMEWORK,
    FOLLOW_UP_RECOMMENDATIONS_USUALLY,
    OFSTED_KEY_CONCERNS_USUALLY,
    ConcernKind,
    FollowUpKind,
    Stage,
)
from inspectorate.inspections.models import (
    Concern,
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
    PositivePractice,
    Recommendation,
)
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion, locked, saved
from inspectorate.lib.wording import long_date, lower_first
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Event, today

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

__all__ = [
    "OverrideNeeded",
    "StaleVersion",
    "concern_add",
    "concern_delete",
    "concern_edit",
    "finding_move",
    "follow_up_edit",
    "follow_up_judge",
    "follow_up_remove",
    "follow_up_select",
    "follow_up_theme_add",
    "positive_practice_add",
    "positive_practice_delete",
    "positive_practice_edit",
    "progress_aspect",
    "recommendation_add",
    "recommendation_delete",
    "recommendation_edit",
]

FindingT = TypeVar("FindingT", Concern, Recommendation, PositivePractice)

# A report paragraph reference: section and paragraph, for example "1.12".
PARAGRAPH_REFERENCE = re.compile(r"^\d{1,3}\.\d{1,3}$")
# Findings are removed only before the report goes to the establishment for checking.
DELETABLE_STAGES = frozenset({Stage.FIELDWORK, Stage.MODERATED})
# The follow-up selection changes only while the record is still the team's.
SELECTABLE_STAGES = DELETABLE_STAGES


# Shared checks -----------------------------------------------------------------------------


def _lead_only(actor: User, event: Event) -> None:
    require(
        actor,
        "inspections.change_findings",
        event,
        "Only the team leader or the lead inspector for education on this event's team can "
        "change its concerns, recommendations and follow-up.",
    )


def _require_irp(event: Event) -> None:
    if event.kind != EventKind.IRP:
        raise ValidationError(
            {"event": "Only an independent review of progress (IRP) has follow-up items."}
        )


def _require_not_published(inspection: Inspection, what: str) -> None:
    if inspection.stage == Stage.PUBLISHED:
        raise PermissionDenied(f"The report is published: its {what} can no longer change.")


def _require_deletable(inspection: Inspection, what: str) -> None:
    if inspection.stage not in DELETABLE_STAGES:
        raise PermissionDenied(
            f"The report has gone for its {lower_first(inspection.get_stage_display())}: "
            f"{what} can no longer be deleted."
        )


def _finding_delete(
    actor: User,
    finding: FindingT,
    version: int,
    what: str,
    check: Callable[[FindingT], None] | None = None,
) -> None:
    """Delete a finding at `version`, only while its report is still the team's
    (DELETABLE_STAGES); `check` refuses the locked record for a reason of its kind."""
    _lead_only(actor, finding.event)
    with transaction.atomic():
        inspection = locked_inspection(finding.event)
        current = locked(type(finding), finding.pk, version)
        _require_deletable(inspection, what)
        if check is not None:
            check(current)
        current.delete()


def _text(value: str) -> str:
    """Text as typed, with Windows line endings and outer blank space removed."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _paragraph_reference(value: str, *, required: bool) -> str:
    reference = value.strip()
    if not reference:
        if required:
            raise ValidationError(
                {"paragraph_reference": "Enter the paragraph reference, for example 1.12"}
            )
        return ""
    if not PARAGRAPH_REFERENCE.match(reference):
        raise ValidationError(
            {
                "paragraph_reference": "Paragraph reference must be a section number, a full "
                "stop and a paragraph number, for example 1.12"
            }
        )
    return reference


def _require_text(value: str, field: str, what: str) -> str:
    text = _text(value)
    if not text:
        raise ValidationError({field: f"Enter the {what}"})
    return text


def _next_position(queryset: models.QuerySet[Any]) -> int:
    last = queryset.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


# Concerns (IN-5) -------------------------------------------------------------------------


def _check_concern_kind(event: Event, kind: str) -> None:
    if kind not in ConcernKind.values:
        raise ValidationError({"kind": "Select the kind of concern"})
    if kind == ConcernKind.OFSTED_KEY and not event.education_inspectorate:
        raise ValidationError(
            {
                "kind": "No education inspectorate takes part in this event: choose a priority "
                "or key concern"
            }
        )


def _check_ofsted_key_concerns(inspection: Inspection, *, count: int, override_reason: str) -> None:
    """IN-5: more than four Ofsted key concerns needs a recorded reason."""
    if count <= OFSTED_KEY_CONCERNS_USUALLY:
        return
    reason = _text(override_reason)
    if not reason:
        raise OverrideNeeded(
            {
                "override_reason": (
                    f"IN-5: Ofsted usually identifies no more than "
                    f"{OFSTED_KEY_CONCERNS_USUALLY} key concerns; this makes {count}. "
                    "Enter why this inspection needs more."
                )
            }
        )
    saved(inspection, ofsted_key_concerns_reason=reason)


def _ofsted_key_count(event: Event, *, excluding: int | None = None) -> int:
    concerns = Concern.objects.filter(event=event, kind=ConcernKind.OFSTED_KEY)
    if excluding is not None:
        concerns = concerns.exclude(pk=excluding)
    return concerns.count()


class ConcernFields(TypedDict):
    """What concern_add and concern_edit take about the concern (an edit names its
    paragraph reference, "" for none)."""

    kind: str
    text: str
    paragraph_reference: NotRequired[str]


def _checked_concern(event: Event, fields: ConcernFields) -> dict[str, Any]:
    """The concern's kind, text and paragraph reference, trimmed; ValidationError for a kind
    the event may not have, no text or a malformed reference."""
    _check_concern_kind(event, fields["kind"])
    return {
        "kind": fields["kind"],
        "text": _require_text(fields["text"], "text", "concern"),
        "paragraph_reference": _paragraph_reference(
            fields.get("paragraph_reference", ""), required=False
        ),
    }


def concern_add(
    *, actor: User, event: Event, override_reason: str = "", **fields: Unpack[ConcernFields]
) -> Concern:
    """Add a concern at the end of its kind's list. OverrideNeeded (IN-5) when it would be
    Ofsted's fifth key concern and no reason is given."""
    known_fields(fields, ConcernFields)
    _lead_only(actor, event)
    values = _checked_concern(event, fields)
    kind = values["kind"]
    with transaction.atomic():
        inspection = locked_inspection(event)
        _require_not_published(inspection, "concerns")
        if kind == ConcernKind.OFSTED_KEY:
            count = _ofsted_key_count(event) + 1
            _check_ofsted_key_concerns(inspection, count=count, override_reason=override_reason)
        return Concern.objects.create(
            event=event,
            **values,
            position=_next_position(Concern.objects.filter(event=event, kind=kind)),
        )


def concern_edit(
    *,
    actor: User,
    concern: Concern,
    version: int,
    override_reason: str = "",
    **fields: Unpack[ConcernFields],
) -> Concern:
    """Change a concern. Changing its kind moves it to the end of the new kind's list."""
    known_fields(fields, ConcernFields, required=("paragraph_reference",))
    event = concern.event
    _lead_only(actor, event)
    changes = _checked_concern(event, fields)
    kind = changes.pop("kind")
    with transaction.atomic():
        inspection = locked_inspection(event)
        current = locked(Concern, concern.pk, version)
        _require_not_published(inspection, "concerns")
        if kind != current.kind:
            if kind == ConcernKind.OFSTED_KEY:
                count = _ofsted_key_count(event, excluding=current.pk) + 1
                _check_ofsted_key_concerns(inspection, count=count, override_reason=override_reason)
            changes["kind"] = kind
            changes["position"] = _next_position(Concern.objects.filter(event=event, kind=kind))
        return saved(current, **changes)


def concern_delete(*, actor: User, concern: Concern, version: int) -> None:
    """Delete a concern (fieldwork and moderation only); its recommendations stay, unlinked."""
    _finding_delete(actor, concern, version, "concerns")


# Recommendations -------------------------------------------------------------------------


def _check_reference_free(event: Event, reference: str, *, excluding: int | None) -> None:
    taken = Recommendation.objects.filter(event=event, paragraph_reference=reference)
    if excluding is not None:
        taken = taken.exclude(pk=excluding)
    if taken.exists():
        raise ValidationError(
            {
                "paragraph_reference": f"Another recommendation of this inspection already "
                f"has paragraph reference {reference}: enter a different one"
            }
        )


def _check_concern(event: Event, concern: Concern | None) -> None:
    if concern is not None and concern.event_id != event.pk:
        raise ValidationError({"concern": "Choose a concern of this inspection"})


def _check_previous(
    event: Event, previous: Recommendation | None, *, itself: int | None = None
) -> None:
    """A repeated recommendation names one made at an earlier inspection of the same
    establishment."""
    if previous is None:
        return
    earlier = previous.event
    if (
        previous.pk == itself
        or earlier.establishment_id != event.establishment_id
        or earlier.starts_on >= event.starts_on
    ):
        raise ValidationError(
            {
                "previous": "The recommendation it repeats must be one made at an earlier "
                f"inspection of {event.establishment.name}"
            }
        )


def _saving_recommendation(
    record: Recommendation, changes: dict[str, Any] | None = None
) -> Recommendation:
    """Save a new `record`, or `changes` to a locked one (`saved`), turning a lost race for
    the paragraph reference into the same field error."""
    try:
        with transaction.atomic():
            if changes is None:
                record.save()
            else:
                saved(record, **changes)
    except IntegrityError as error:
        if "one_recommendation_per_paragraph" not in str(error):
            raise
        raise ValidationError(
            {
                "paragraph_reference": f"Another recommendation of this inspection already "
                f"has paragraph reference {record.paragraph_reference}: enter a different one"
            }
        ) from error
    return record


class RecommendationFields(TypedDict):
    """What recommendation_add and recommendation_edit take about the recommendation: the
    concern it answers and the earlier recommendation it repeats, if any (an edit names
    both, None for none)."""

    text: str
    paragraph_reference: str
    concern: NotRequired[Concern | None]
    previous: NotRequired[Recommendation | None]


def _checked_recommendation(
    event: Event, fields: RecommendationFields, *, itself: int | None = None
) -> dict[str, Any]:
    """The recommendation's values, its text and reference trimmed; ValidationError for
    a missing text or reference, or a concern or earlier recommendation it may not name."""
    text = _require_text(fields["text"], "text", "recommendation")
    reference = _paragraph_reference(fields["paragraph_reference"], required=True)
    concern, previous = fields.get("concern"), fields.get("previous")
    _check_concern(event, concern)
    _check_previous(event, previous, itself=itself)
    return {
        "text": text,
        "paragraph_reference": reference,
        "concern": concern,
        "previous": previous,
    }


def recommendation_add(
    *, actor: User, event: Event, **fields: Unpack[RecommendationFields]
) -> Recommendation:
    """Add a recommendation at the end of the list. Its paragraph reference ('1.12') is
    unique within the inspection; `previous` is the earlier recommendation it repeats."""
    known_fields(fields, RecommendationFields)
    _lead_only(actor, event)
    values = _checked_recommendation(event, fields)
    with transaction.atomic():
        inspection = locked_inspection(event)
        _require_not_published(inspection, "recommendations")
        _check_reference_free(event, values["paragraph_reference"], excluding=None)
        position = _next_position(Recommendation.objects.filter(event=event))
        return _saving_recommendation(Recommendation(event=event, position=position, **values))


def recommendation_edit(
    *,
    actor: User,
    recommendation: Recommendation,
    version: int,
    **fields: Unpack[RecommendationFields],
) -> Recommendation:
    known_fields(fields, RecommendationFields, required=("concern", "previous"))
    event = recommendation.event
    _lead_only(actor, event)
    values = _checked_recommendation(event, fields, itself=recommendation.pk)
    with transaction.atomic():
        inspection = locked_inspection(event)
        current = locked(Recommendation, recommendation.pk, version)
        _require_not_published(inspection, "recommendations")
        _check_reference_free(event, values["paragraph_reference"], excluding=current.pk)
        return _saving_recommendation(current, values)


def recommendation_delete(*, actor: User, recommendation: Recommendation, version: int) -> None:
    """Delete a recommendation (fieldwork and moderation only) that no IRP follows up."""
    _finding_delete(actor, recommendation, version, "recommendations", _require_not_followed_up)


def _require_not_followed_up(recommendation: Recommendation) -> None:
    if FollowUp.objects.filter(recommendation=recommendation).exists():
        raise ValidationError(
            "An independent review of progress follows up this recommendation, so it "
            "cannot be deleted."
        )


# Notable positive practice ---------------------------------------------------------------


def _paragraph_link(
    event: Event, follow_up: FollowUp | None, paragraph: int | None
) -> tuple[FollowUp | None, int | None]:
    """The paragraph notable positive practice points to (RP-7): the `paragraph`th numbered
    paragraph of a follow-up of the same review, its closing judgement being the last."""
    if follow_up is None:
        if paragraph is not None:
            raise ValidationError(
                {"paragraph": "Choose the recommendation or theme the paragraph belongs to"}
            )
        return None, None
    follow_up = FollowUp.objects.get(pk=follow_up.pk)  # its narrative as saved now
    if follow_up.event_id != event.pk:
        raise ValidationError(
            {"follow_up": "The paragraph must be in one of this review's recommendations or themes"}
        )
    count = len(follow_up.paragraphs) + 1  # the closing judgement is numbered too
    if paragraph is None or not 1 <= paragraph <= count:
        raise ValidationError(
            {"paragraph": f"Paragraph must be a number from 1 to {count}, the item's paragraphs"}
        )
    return follow_up, paragraph


class PracticeFields(TypedDict):
    """What positive_practice_add and positive_practice_edit take about the practice (an
    edit names its paragraph reference, "" for none)."""

    text: str
    paragraph_reference: NotRequired[str]
    follow_up: NotRequired[FollowUp | None]
    paragraph: NotRequired[int | None]


def _practice_text(fields: PracticeFields) -> dict[str, Any]:
    """The practice's text and paragraph reference, trimmed; ValidationError for no text or a
    malformed reference."""
    return {
        "text": _require_text(fields["text"], "text", "notable positive practice"),
        "paragraph_reference": _paragraph_reference(
            fields.get("paragraph_reference", ""), required=False
        ),
    }


def _practice_link(event: Event, fields: PracticeFields) -> dict[str, Any]:
    """The review paragraph the practice points to, checked against the saved narrative."""
    follow_up, paragraph = _paragraph_link(event, fields.get("follow_up"), fields.get("paragraph"))
    return {"follow_up": follow_up, "paragraph": paragraph}


def positive_practice_add(
    *, actor: User, event: Event, **fields: Unpack[PracticeFields]
) -> PositivePractice:
    """`follow_up` and `paragraph` link it to the paragraph of the review it is about; the
    report prints that paragraph's current number. `paragraph_reference` is the number as
    written, for a record that is not linked (an imported report)."""
    known_fields(fields, PracticeFields)
    _lead_only(actor, event)
    values = _practice_text(fields)
    with transaction.atomic():
        inspection = locked_inspection(event)
        _require_not_published(inspection, "notable positive practice")
        return PositivePractice.objects.create(
            event=event,
            **values,
            **_practice_link(event, fields),
            position=_next_position(PositivePractice.objects.filter(event=event)),
        )


def positive_practice_edit(
    *,
    actor: User,
    practice: PositivePractice,
    version: int,
    **fields: Unpack[PracticeFields],
) -> PositivePractice:
    known_fields(fields, PracticeFields, required=("paragraph_reference",))
    _lead_only(actor, practice.event)
    values = _practice_text(fields)
    with transaction.atomic():
        inspection = locked_inspection(practice.event)
        current = locked(PositivePractice, practice.pk, version)
        _require_not_published(inspection, "notable positive practice")
        return saved(current, **values, **_practice_link(current.event, fields))


def positive_practice_delete(*, actor: User, practice: PositivePractice, version: int) -> None:
    _finding_delete(actor, practice, version, "notable positive practice")


# Order -----------------------------------------------------------------------------------


def _siblings(record: models.Model) -> models.QuerySet[Any]:
    """The records `record` is ordered among: its event's, and for a concern its kind's."""
    if isinstance(record, Concern):
        return Concern.objects.filter(event_id=record.event_id, kind=record.kind)
    if isinstance(record, Recommendation):
        return Recommendation.objects.filter(event_id=record.event_id)
    if isinstance(record, PositivePractice):
        return PositivePractice.objects.filter(event_id=record.event_id)
    if isinstance(record, FollowUp):
        return FollowUp.objects.filter(event_id=record.event_id, kind=record.kind)
    raise TypeError(f"{type(record).__name__} is not ordered by position.")


def finding_move(
    *, actor: User, record: FindingT | FollowUp, direction: Literal["up", "down"]
) -> None:
    """Move a concern, recommendation, practice or follow-up item one place up or down.

    Positions are renumbered 0, 1, 2... in the current order; the records' versions are
    left alone, so moving does not refuse someone's open edit of the text."""
    event = record.event
    _lead_only(actor, event)
    with transaction.atomic():
        inspection = locked_inspection(event)
        _require_not_published(inspection, "order")
        rows = list(_siblings(record).select_for_update().order_by("position", "pk"))
        index = next((i for i, row in enumerate(rows) if row.pk == record.pk), None)
        if index is None:
            return
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])


# IRP follow-up (IN-6) --------------------------------------------------------------------


def _announced(event: Event) -> bool:
    """IN-6: the selection is made when the IRP is announced; the announcement recorded
    (even for a later day) fixes it."""
    return event.announced_on is not None


def _record_follow_up_reason(inspection: Inspection, summary: str, reason: str) -> None:
    """Append the reason to the IN-6 record: why more than 15, or why changed after the
    announcement. Earlier reasons are kept: each was a separate decision."""
    entry = f"{long_date(today())}, {summary}: {reason}"
    kept = inspection.follow_up_reason.strip()
    saved(inspection, follow_up_reason=f"{kept}\n\n{entry}" if kept else entry)


def _change_warnings(event: Event, change: str) -> dict[str, str]:
    if not _announced(event):
        return {}
    assert event.announced_on is not None
    return {
        "reason": (
            f"IN-6: the items to follow up were chosen when the IRP was announced on "
            f"{long_date(event.announced_on)} and the establishment has been told them. "
            f"Enter why {change} now."
        )
    }


def _require_selectable(inspection: Inspection) -> None:
    if inspection.stage not in SELECTABLE_STAGES:
        raise PermissionDenied("The report has gone for checking: the follow-up is fixed.")


def _changing(event: Event, inspection: Inspection, summary: str, reason: str) -> None:
    """IN-6: once the IRP is announced, a change (`summary`) to what it follows up needs a
    reason (OverrideNeeded until one is given), kept on the inspection record."""
    warnings = _change_warnings(event, f"you are {summary}")
    clean_reason = _text(reason)
    if warnings and not clean_reason:
        raise OverrideNeeded(warnings)
    if warnings:
        _record_follow_up_reason(inspection, summary, clean_reason)


def _require_unjudged(items: Iterable[FollowUp]) -> None:
    judged = [item for item in items if item.judgements.exists()]
    if judged:
        names = ", ".join(_item_name(item) for item in judged)
        raise ValidationError(
            {
                "recommendations": f"Progress has already been judged for {names}, so it stays "
                "followed up"
            }
        )


def _item_name(item: FollowUp) -> str:
    if item.recommendation is not None:
        return f"recommendation {item.recommendation.paragraph_reference}"
    return f"the theme '{item.theme}'"


def follow_up_select(
    *,
    actor: User,
    event: Event,
    recommendations: Sequence[Recommendation],
    version: int | None,
    reason: str = "",
) -> list[FollowUp]:
    """Choose the recommendations of the followed-up full inspection that this IRP follows
    up: those not chosen before are added, those no longer chosen removed.

    `version` is the inspection record's (the selection's) version when the form was
    opened. OverrideNeeded (IN-6) for more than 15, and for any change once the IRP is
    announced, until a reason is given; the reason is kept on the inspection record."""
    _require_irp(event)
    _lead_only(actor, event)
    source = event.follows_up
    if source is None:
        raise ValidationError(
            {
                "recommendations": "This IRP does not name the full inspection it follows up: "
                "the programme coordinator records it on the event"
            }
        )
    chosen = {recommendation.pk for recommendation in recommendations}
    with transaction.atomic():
        inspection = locked_inspection(event, version)
        _require_selectable(inspection)
        of_source = dict(
            Recommendation.objects.filter(event=source, pk__in=chosen).values_list(
                "pk", "paragraph_reference"
            )
        )
        if set(of_source) != chosen:
            raise ValidationError(
                {"recommendations": f"Choose recommendations made at the {source}"}
            )
        current = {
            item.recommendation_id: item
            for item in FollowUp.objects.select_for_update(of=("self",))
            .select_related("recommendation")
            .filter(event=event, kind=FollowUpKind.RECOMMENDATION)
        }
        added = sorted(chosen - current.keys())
        removed = [item for pk, item in current.items() if pk not in chosen]
        if not added and not removed:
            return list(current.values())
        _require_unjudged(removed)
        summary = _selection_summary(of_source, added, removed, total=len(chosen))
        warnings = _change_warnings(event, f"you are {summary}")
        if len(chosen) > FOLLOW_UP_RECOMMENDATIONS_USUALLY:
            warnings["reason"] = " ".join(
                filter(
                    None,
                    [
                        f"IN-6: an IRP usually follows up no more than "
                        f"{FOLLOW_UP_RECOMMENDATIONS_USUALLY} recommendations; you have "
                        f"chosen {len(chosen)}. Enter why this IRP needs more.",
                        warnings.get("reason", ""),
                    ],
                )
            )
        clean_reason = _text(reason)
        if warnings and not clean_reason:
            raise OverrideNeeded(warnings)
        for item in removed:
            item.delete()
        _create_recommendation_items(event, source, added)
        if warnings:
            _record_follow_up_reason(inspection, summary, clean_reason)
        else:
            saved(inspection)
        return list(
            FollowUp.objects.filter(event=event, kind=FollowUpKind.RECOMMENDATION)
            .select_related("recommendation")
            .order_by("position", "pk")
        )


def _selection_summary(
    references: dict[int, str], added: Sequence[int], removed: Sequence[FollowUp], total: int
) -> str:
    parts = []
    if added:
        parts.append("adding " + ", ".join(references[pk] for pk in added))
    if removed:
        parts.append(
            "removing "
            + ", ".join(
                item.recommendation.paragraph_reference for item in removed if item.recommendation
            )
        )
    return f"{' and '.join(parts)} ({total} recommendations chosen)"


def _create_recommendation_items(event: Event, source: Event, added: Sequence[int]) -> None:
    """New items after the existing ones, in the order of the full inspection's report."""
    position = _next_position(
        FollowUp.objects.filter(event=event, kind=FollowUpKind.RECOMMENDATION)
    )
    for recommendation in Recommendation.objects.filter(event=source, pk__in=added).order_by(
        "position", "pk"
    ):
        FollowUp.objects.create(
            event=event,
            kind=FollowUpKind.RECOMMENDATION,
            recommendation=recommendation,
            position=position,
        )
        position += 1


def follow_up_theme_add(*, actor: User, event: Event, theme: str, reason: str = "") -> FollowUp:
    """Add an Ofsted theme to follow up (when an education inspectorate takes part).
    Once the IRP is announced this needs a reason (IN-6), kept on the inspection record."""
    _require_irp(event)
    _lead_only(actor, event)
    if not event.education_inspectorate:
        raise ValidationError(
            {"theme": "No education inspectorate takes part in this IRP, so it has no themes"}
        )
    clean_theme = _require_text(theme, "theme", "theme")
    if len(clean_theme) > FollowUp._meta.get_field("theme").max_length:  # type: ignore[operator]
        raise ValidationError({"theme": "Theme must be 300 characters or fewer"})
    with transaction.atomic():
        inspection = locked_inspection(event)
        _require_selectable(inspection)
        themes = FollowUp.objects.filter(event=event, kind=FollowUpKind.THEME)
        if themes.filter(theme__iexact=clean_theme).exists():
            raise ValidationError({"theme": "This IRP already follows up that theme"})
        _changing(event, inspection, f"adding the theme '{clean_theme}'", reason)
        return FollowUp.objects.create(
            event=event,
            kind=FollowUpKind.THEME,
            theme=clean_theme,
            position=_next_position(themes),
        )


def follow_up_remove(*, actor: User, follow_up: FollowUp, version: int, reason: str = "") -> None:
    """Stop following up one item. Refused once its progress is judged; once the IRP is
    announced it needs a reason (IN-6)."""
    event = follow_up.event
    _require_irp(event)
    _lead_only(actor, event)
    with transaction.atomic():
        inspection = locked_inspection(event)
        current = locked(FollowUp, follow_up.pk, version)
        _require_selectable(inspection)
        if current.judgements.exists():
            raise ValidationError(
                f"Progress has already been judged for {_item_name(current)}, so it stays "
                "followed up."
            )
        _changing(event, inspection, f"removing {_item_name(current)}", reason)
        current.delete()


def follow_up_edit(
    *, actor: User, follow_up: FollowUp, narrative: str, version: int, theme: str | None = None
) -> FollowUp:
    """Save an item's narrative: the report's paragraphs, one per blank-line-separated
    block. A theme's wording may be corrected too."""
    event = follow_up.event
    _lead_only(actor, event)
    changes: dict[str, Any] = {"narrative": _text(narrative)}
    if follow_up.kind == FollowUpKind.THEME and theme is not None:
        changes["theme"] = _require_text(theme, "theme", "theme")
    with transaction.atomic():
        inspection = locked_inspection(event)
        current = locked(FollowUp, follow_up.pk, version)
        _require_not_published(inspection, "follow-up narrative")
        return saved(current, **changes)


# Progress judgements (JG-6, JG-7) --------------------------------------------------------


def progress_aspect(kind: str, event: Event) -> Aspect:
    """The aspect an item of `kind` is judged on: REC of hmip-irp-progress for a
    recommendation (JG-6), THEME of ofsted-irp-themes for a theme (JG-7); the framework
    version in force when the IRP starts, else the earliest loaded."""
    slug = FOLLOW_UP_FRAMEWORK[FollowUpKind(kind)]
    code = "REC" if kind == FollowUpKind.RECOMMENDATION else "THEME"
    aspects = Aspect.objects.select_related("framework", "scale").filter(
        framework__slug=slug, code=code
    )
    aspect = (
        aspects.filter(framework__valid_from__lte=event.starts_on)
        .order_by("-framework__valid_from")
        .first()
        or aspects.order_by("framework__valid_from").first()
    )
    if aspect is None:
        raise ValidationError(
            {"level": f"The {slug} framework is not loaded: ask a system administrator"}
        )
    return aspect


def follow_up_judge(
    *,
    actor: User,
    follow_up: FollowUp,
    level: Level,
    evidence: Sequence[EvidenceForm] = (),
    rationale: str = "",
    version: int | None = None,
) -> Judgement:
    """Record the progress judgement of one follow-up item, on the scale of its kind
    (JG-6, JG-7), through the judgements' one writer."""
    from inspectorate.inspections.judgements.services import judgement_record

    aspect = progress_aspect(follow_up.kind, follow_up.event)
    if level.scale_id != aspect.scale_id:
        raise ValidationError({"level": f"Choose a level of the {aspect.scale.name}"})
    return judgement_record(
        actor=actor,
        event=follow_up.event,
        aspect=aspect,
        level=level,
        evidence=evidence,
        rationale=rationale,
        follow_up=follow_up,
        version=version,
    )
