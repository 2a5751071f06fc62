"""Reads for the findings pages (concerns, recommendations, notable positive practice), an
IRP's follow-up, and the chain of recommendations across an establishment's inspections.

Every read goes through `visible_to(user)`; each function makes a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from inspectorate.estate.models import Establishment
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.inspections.constants import (
    FOLLOW_UP_RECOMMENDATIONS_USUALLY,
    OFSTED_KEY_CONCERNS_USUALLY,
    ConcernKind,
    FollowUpKind,
    Stage,
)
from inspectorate.inspections.findings.services import DELETABLE_STAGES, SELECTABLE_STAGES
from inspectorate.inspections.models import (
    Concern,
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
    PositivePractice,
    Recommendation,
)
from inspectorate.programme.models import Event

# GOV.UK tag colours for progress levels, best to worst (JG-6, JG-7).
PROGRESS_TAGS = {
    "good_progress": "govuk-tag govuk-tag--green",
    "significant_progress": "govuk-tag govuk-tag--green",
    "reasonable_progress": "govuk-tag govuk-tag--blue",
    "insufficient_progress": "govuk-tag govuk-tag--orange",
    "no_meaningful_progress": "govuk-tag govuk-tag--red",
}


def progress_tag_class(level: Level) -> str:
    return PROGRESS_TAGS.get(level.slug, "govuk-tag govuk-tag--grey")


class ShowsProgress:
    """A row with a follow-up item's progress judgement, if the reader may see one."""

    judgement: Judgement | None

    @property
    def tag_class(self) -> str:
        """The tag colouring the judgement's level (none without a judgement)."""
        return progress_tag_class(self.judgement.level) if self.judgement else ""


def _stage(event: Event) -> tuple[Inspection | None, str]:
    inspection = Inspection.objects.filter(event=event).first()
    return inspection, inspection.stage if inspection else Stage.FIELDWORK


# The "Concerns and recommendations" page -------------------------------------------------


@dataclass(frozen=True)
class ConcernGroup:
    kind: str
    label: str
    concerns: list[Concern]


@dataclass(frozen=True)
class FindingsPage:
    inspection: Inspection | None
    stage: str
    concern_groups: list[ConcernGroup]
    recommendations: list[Recommendation]
    positive_practice: list[PositivePractice]
    ofsted_key_count: int
    can_change: bool
    can_delete: bool
    ofsted_key_limit: int = OFSTED_KEY_CONCERNS_USUALLY

    @property
    def ofsted_key_warning(self) -> bool:
        """IN-5: more than four Ofsted key concerns is shown as a warning, with its reason."""
        return self.ofsted_key_count > self.ofsted_key_limit

    @property
    def ofsted_key_reason(self) -> str:
        return self.inspection.ofsted_key_concerns_reason if self.inspection else ""

    @property
    def is_empty(self) -> bool:
        return not (
            any(group.concerns for group in self.concern_groups)
            or self.recommendations
            or self.positive_practice
        )


def _recommendations(user: Any, event: Event) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.visible_to(user)
        .filter(event=event)
        .select_related("concern")
        .prefetch_related(
            Prefetch(
                "previous",
                queryset=Recommendation.objects.visible_to(user).select_related("event"),
            )
        )
        .order_by("position", "pk")
    )


def findings_page(user: Any, event: Event) -> FindingsPage:
    """Concerns by kind, recommendations and notable positive practice: five queries, plus
    one for whether the user may change them."""
    inspection, stage = _stage(event)
    concerns = list(Concern.objects.visible_to(user).filter(event=event).order_by("position", "pk"))
    groups = [
        ConcernGroup(
            kind=kind.value,
            label=f"{kind.label}s",
            concerns=[concern for concern in concerns if concern.kind == kind],
        )
        for kind in ConcernKind
        if kind != ConcernKind.OFSTED_KEY or event.education_inspectorate
    ]
    lead = user.has_perm("inspections.change_findings", event)
    return FindingsPage(
        inspection=inspection,
        stage=stage,
        concern_groups=groups,
        recommendations=list(_recommendations(user, event)),
        positive_practice=list(
            PositivePractice.objects.visible_to(user)
            .filter(event=event)
            .select_related("follow_up__recommendation")
            .order_by("position", "pk")
        ),
        ofsted_key_count=sum(concern.kind == ConcernKind.OFSTED_KEY for concern in concerns),
        can_change=lead and stage != Stage.PUBLISHED,
        can_delete=lead and stage in DELETABLE_STAGES,
    )


def finding_for(user: Any, model: type[Any], event: Event, pk: int) -> Any:
    """One concern, recommendation or practice of `event`, if `user` sees it; else 404."""
    record = model.objects.visible_to(user).filter(event=event, pk=pk).first()
    if record is None:
        raise Http404("No such record.")
    return record


def paragraph_choices(event: Event) -> list[tuple[FollowUp, int, str]]:
    """The paragraphs of a review's report that notable positive practice may point to
    (RP-7): each follow-up's numbered paragraphs, its closing judgement last, as
    (follow-up, paragraph from 1, what it says)."""
    items = FollowUp.objects.filter(event=event).select_related("recommendation")
    choices: list[tuple[FollowUp, int, str]] = []
    for item in items.order_by("kind", "position", "pk"):
        texts = [*item.paragraphs, "The closing judgement"]
        choices += [(item, index, text) for index, text in enumerate(texts, start=1)]
    return choices


def concern_choices(event: Event) -> list[Concern]:
    """The concerns a recommendation of `event` may answer (the page's reader is its lead)."""
    return list(Concern.objects.filter(event=event).order_by("kind", "position", "pk"))


def previous_choices(user: Any, event: Event) -> list[Recommendation]:
    """Recommendations of earlier inspections of the establishment that `user` sees: those
    a recommendation of `event` may repeat."""
    return list(
        Recommendation.objects.visible_to(user)
        .filter(
            event__establishment_id=event.establishment_id,
            event__starts_on__lt=event.starts_on,
        )
        .select_related("event")
        .order_by("-event__starts_on", "position", "pk")
    )


# An IRP's follow-up ----------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRow(ShowsProgress):
    item: FollowUp
    number: int  # 1, 2, 3 ... within its kind, as the report lists them
    first_paragraph: int  # the display number of its first narrative paragraph
    paragraphs: list[str]  # empty when the reader may not see the narrative yet
    judgement: Judgement | None


@dataclass(frozen=True)
class FollowUpPage:
    follows_up: Event | None
    inspection: Inspection | None
    stage: str
    recommendations: list[FollowUpRow]
    themes: list[FollowUpRow]
    details_visible: bool  # narratives and judgements: findings readers only (never the
    # establishment before publication)
    can_change: bool  # narratives and judgements
    can_select: bool  # the selection of items
    themes_apply: bool
    announced: bool
    limit: int = FOLLOW_UP_RECOMMENDATIONS_USUALLY

    @property
    def over_limit(self) -> bool:
        return len(self.recommendations) > self.limit

    @property
    def reason(self) -> str:
        return self.inspection.follow_up_reason if self.inspection else ""


def _rows(items: list[FollowUp], details: bool) -> list[FollowUpRow]:
    """Rows numbered 1, 2, 3 ... with their narrative paragraphs numbered on across the
    items, as the report's section will number them."""
    rows = []
    paragraph = 1
    for number, item in enumerate(items, start=1):
        paragraphs = item.paragraphs if details else []
        judgements = list(item.judgements.all()) if details else []
        rows.append(
            FollowUpRow(
                item=item,
                number=number,
                first_paragraph=paragraph,
                paragraphs=paragraphs,
                judgement=judgements[0] if judgements else None,
            )
        )
        paragraph += len(paragraphs)
    return rows


def follow_up_items(user: Any, event: Event, *, details: bool) -> list[FollowUp]:
    items = (
        FollowUp.objects.visible_to(user)
        .filter(event=event)
        .select_related("recommendation__concern", "recommendation__event")
        .order_by("kind", "position", "pk")
    )
    if details:
        items = items.prefetch_related(
            Prefetch(
                "judgements",
                queryset=Judgement.objects.visible_to(user).select_related("level"),
            )
        )
    return list(items)


def follow_up_page(user: Any, event: Event) -> FollowUpPage:
    inspection, stage = _stage(event)
    details = user.has_perm("inspections.see_findings", event)
    items = follow_up_items(user, event, details=details)
    lead = user.has_perm("inspections.change_findings", event)
    return FollowUpPage(
        follows_up=event.follows_up,
        inspection=inspection,
        stage=stage,
        recommendations=_rows(
            [item for item in items if item.kind == FollowUpKind.RECOMMENDATION], details
        ),
        themes=_rows([item for item in items if item.kind == FollowUpKind.THEME], details),
        details_visible=details,
        can_change=lead and stage != Stage.PUBLISHED,
        can_select=lead and stage in SELECTABLE_STAGES,
        themes_apply=bool(event.education_inspectorate),
        announced=event.announced_on is not None,
    )


@dataclass(frozen=True)
class Candidate:
    recommendation: Recommendation
    chosen: bool
    judged: bool


def follow_up_candidates(event: Event) -> list[Candidate]:
    """The recommendations of the followed-up full inspection, marked if chosen. For the
    IRP's leads, who choose among them whether or not they were on that inspection's team:
    two queries."""
    if event.follows_up is None:
        return []
    chosen = {
        item.recommendation_id: item
        for item in FollowUp.objects.filter(
            event=event, kind=FollowUpKind.RECOMMENDATION
        ).prefetch_related("judgements")
    }
    return [
        Candidate(
            recommendation=recommendation,
            chosen=recommendation.pk in chosen,
            judged=recommendation.pk in chosen and bool(chosen[recommendation.pk].judgements.all()),
        )
        for recommendation in Recommendation.objects.filter(event=event.follows_up)
        .select_related("concern")
        .order_by("position", "pk")
    ]


@dataclass(frozen=True)
class FollowUpDetail:
    row: FollowUpRow
    aspect: Aspect | None
    levels: list[Level]
    evidence: list[EvidenceForm] = field(default_factory=list)


def follow_up_for(user: Any, event: Event, pk: int) -> FollowUp:
    item = (
        FollowUp.objects.visible_to(user)
        .filter(event=event, pk=pk)
        .select_related("recommendation__concern", "recommendation__event")
        .prefetch_related(
            Prefetch(
                "judgements",
                queryset=Judgement.objects.visible_to(user).select_related("level"),
            )
        )
        .first()
    )
    if item is None:
        raise Http404("No such follow-up item.")
    return item


def judgement_evidence_choices(user: Any, event: Event, aspect: Aspect) -> list[EvidenceForm]:
    """The event's evidence forms tagged with the progress aspect, for the judgement to
    cite (IN-7)."""
    return list(
        EvidenceForm.objects.visible_to(user)
        .filter(event=event, aspect=aspect)
        .select_related("author")
        .order_by("evidence_on", "pk")
    )


def scale_levels(aspect: Aspect) -> list[Level]:
    return list(Level.objects.filter(scale_id=aspect.scale_id).order_by("position"))


# The chain of recommendations across inspections ----------------------------------------


@dataclass(frozen=True)
class ChainJudgement(ShowsProgress):
    """One IRP's follow-up of a recommendation, with its progress judgement if the reader
    may see it."""

    event: Event
    follow_up: FollowUp
    judgement: Judgement | None


@dataclass(frozen=True)
class ChainLink:
    """One recommendation in the chain: inspection → concern → recommendation → IRP
    judgements → the later recommendation it became."""

    recommendation: Recommendation
    follow_ups: list[ChainJudgement]
    previous: Recommendation | None
    repeated_by: list[Recommendation]

    @property
    def event(self) -> Event:
        return self.recommendation.event

    @property
    def concern(self) -> Concern | None:
        return self.recommendation.concern


@dataclass(frozen=True)
class ChainInspection:
    event: Event
    links: list[ChainLink]


def recommendation_chain(user: Any, establishment: Establishment) -> list[ChainLink]:
    """Every recommendation `user` may see made at `establishment`, oldest inspection first,
    each with its IRP follow-ups and judgements and the recommendations that repeated it.

    Three queries whatever the length: the recommendations (with event and concern), their
    follow-ups (with the IRP), and the judgements. Earlier and later recommendations are at
    the same establishment, so they are found among the first query's rows."""
    judgements = Judgement.objects.visible_to(user).select_related("level")
    follow_ups = (
        FollowUp.objects.visible_to(user)
        .select_related("event")
        .prefetch_related(Prefetch("judgements", queryset=judgements))
        .order_by("event__starts_on", "pk")
    )
    recommendations = list(
        Recommendation.objects.visible_to(user)
        .filter(event__establishment=establishment)
        .select_related("event", "concern")
        .prefetch_related(Prefetch("follow_ups", queryset=follow_ups))
        .order_by("event__starts_on", "event_id", "position", "pk")
    )
    by_pk = {recommendation.pk: recommendation for recommendation in recommendations}
    repeated: dict[int, list[Recommendation]] = {}
    for recommendation in recommendations:
        if recommendation.previous_id in by_pk:
            repeated.setdefault(recommendation.previous_id, []).append(recommendation)
    return [
        ChainLink(
            recommendation=recommendation,
            follow_ups=[
                ChainJudgement(
                    event=item.event,
                    follow_up=item,
                    judgement=next(iter(item.judgements.all()), None),
                )
                for item in recommendation.follow_ups.all()
            ],
            previous=by_pk.get(recommendation.previous_id) if recommendation.previous_id else None,
            repeated_by=repeated.get(recommendation.pk, []),
        )
        for recommendation in recommendations
    ]


def chain_by_inspection(links: list[ChainLink]) -> list[ChainInspection]:
    groups: list[ChainInspection] = []
    for link in links:
        if not groups or groups[-1].event.pk != link.event.pk:
            groups.append(ChainInspection(event=link.event, links=[]))
        groups[-1].links.append(link)
    return groups


def recommendation_chain_context(establishment: Establishment, user: Any) -> dict[str, Any]:
    """Context for templates/inspections/includes/recommendation_chain.html on the
    establishment page."""
    links = recommendation_chain(user, establishment)
    return {
        "recommendation_chain": links,
        "recommendation_chain_inspections": chain_by_inspection(links),
    }
