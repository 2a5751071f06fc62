"""Reads for the judgements page: the frameworks used at an event, each aspect with its
judgement and the evidence it cites, and the grading engine's explanation of every derived
judgement. A fixed number of queries whatever the aspects, judgements or evidence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from inspectorate.frameworks.constants import AppliesPer, OptionStatus
from inspectorate.frameworks.engine import Judgement as EngineJudgement
from inspectorate.frameworks.engine import evaluate
from inspectorate.frameworks.models import Aspect, Framework, Level
from inspectorate.frameworks.selectors import definition_from_models
from inspectorate.inspections.fieldwork.selectors import applicable_frameworks
from inspectorate.inspections.models import (
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
    JudgementCorrection,
)
from inspectorate.programme.models import Event


def frameworks_for(event: Event) -> list[Framework]:
    """The frameworks graded once per event at `event` (JG-1, JG-8): those used for its kind
    of event and establishment, in the version in force when it starts (else the earliest),
    leaving out those graded only per item followed up (an IRP's progress scales)."""
    chosen = applicable_frameworks(event)
    with_event_aspects = set(
        Aspect.objects.filter(framework__in=chosen, applies_per=AppliesPer.EVENT).values_list(
            "framework_id", flat=True
        )
    )
    return [f for f in chosen if f.pk in with_event_aspects]


def framework_aspects_for(event: Event) -> list[Aspect]:
    """Every aspect graded once per event at `event`, framework by framework, in order."""
    frameworks = frameworks_for(event)
    order = {framework.pk: index for index, framework in enumerate(frameworks)}
    aspects = Aspect.objects.filter(
        framework__in=frameworks, applies_per=AppliesPer.EVENT
    ).select_related("framework", "scale", "parent")
    return sorted(aspects, key=lambda aspect: (order[aspect.framework_id], aspect.position))


def aspect_for(event: Event, pk: int) -> Aspect:
    """One aspect graded at `event` (404 for any other)."""
    for aspect in framework_aspects_for(event):
        if aspect.pk == pk:
            return aspect
    raise Http404("That aspect is not graded at this event.")


@dataclass
class AspectRow:
    aspect: Aspect
    depth: int
    judgement: Judgement | None
    evidence: list[EvidenceForm] = field(default_factory=list)
    corrections: list[JudgementCorrection] = field(default_factory=list)
    engine: EngineJudgement | None = None  # derived aspects only

    @property
    def limits(self) -> list[str]:
        """The engine's reasons, in words, for every grade it limits (derived only)."""
        if self.engine is None:
            return []
        return [str(reason) for reason in self.engine.reasons]

    @property
    def most_likely_label(self) -> str:
        if self.engine is None or self.engine.most_likely is None:
            return ""
        return self.engine.most_likely.label


@dataclass
class FrameworkSection:
    framework: Framework
    rows: list[AspectRow]

    @property
    def judged(self) -> int:
        return sum(1 for row in self.rows if row.judgement is not None)


@dataclass
class JudgementsPage:
    inspection: Inspection | None
    sections: list[FrameworkSection]
    follow_ups: list[tuple[FollowUp, Judgement | None]]
    problems: list[str]

    @property
    def stage(self) -> str:
        return self.inspection.stage if self.inspection else "fieldwork"

    @property
    def stage_label(self) -> str:
        return self.inspection.get_stage_display() if self.inspection else "Fieldwork"


def _depths(aspects: list[Aspect]) -> dict[int, int]:
    depth: dict[int, int] = {}
    for aspect in aspects:  # parents come before children in framework order
        depth[aspect.pk] = depth.get(aspect.parent_id, -1) + 1 if aspect.parent_id else 0
    return depth


def _judgements(user: Any, event: Event) -> list[Judgement]:
    return list(
        Judgement.objects.visible_to(user)
        .filter(event=event)
        .select_related("level", "most_likely", "decided_by")
        .prefetch_related(
            Prefetch(
                "citations__evidence",
                queryset=EvidenceForm.objects.select_related("author", "aspect"),
            ),
            Prefetch(
                "corrections",
                queryset=JudgementCorrection.objects.select_related(
                    "previous_level", "new_level", "corrected_by", "approved_by"
                ),
            ),
        )
    )


def _engine_judgements(
    frameworks: list[Framework], aspects: list[Aspect], by_aspect: dict[int, Judgement]
) -> dict[int, EngineJudgement]:
    """The engine's view of every derived aspect, from the grades entered (pure Python)."""
    out: dict[int, EngineJudgement] = {}
    for framework in frameworks:
        mine = [a for a in aspects if a.framework_id == framework.pk]
        if not any(a.is_derived for a in mine):
            continue
        grades = {
            a.code: by_aspect[a.pk].level.slug
            for a in mine
            if not a.is_derived and a.pk in by_aspect
        }
        evaluation = evaluate(definition_from_models(framework), grades)
        for aspect in mine:
            if aspect.is_derived and aspect.code in evaluation.judgements:
                out[aspect.pk] = evaluation.judgements[aspect.code]
    return out


def judgements_page(user: Any, event: Event) -> JudgementsPage:
    """Everything the judgements page shows for `user` (who may see the findings)."""
    from inspectorate.inspections.judgements.services import moderation_problems

    aspects = framework_aspects_for(event)
    frameworks = list({a.framework_id: a.framework for a in aspects}.values())
    judgements = _judgements(user, event)
    by_aspect = {j.aspect_id: j for j in judgements if j.follow_up_id is None}
    by_item = {j.follow_up_id: j for j in judgements if j.follow_up_id is not None}
    engine = _engine_judgements(frameworks, aspects, by_aspect)
    depths = _depths(aspects)
    rows: dict[int, list[AspectRow]] = defaultdict(list)
    for aspect in aspects:
        judgement = by_aspect.get(aspect.pk)
        rows[aspect.framework_id].append(
            AspectRow(
                aspect=aspect,
                depth=depths[aspect.pk],
                judgement=judgement,
                evidence=[c.evidence for c in judgement.citations.all()] if judgement else [],
                corrections=list(judgement.corrections.all()) if judgement else [],
                engine=engine.get(aspect.pk),
            )
        )
    items = list(
        FollowUp.objects.filter(event=event)
        .select_related("recommendation")
        .order_by("kind", "position", "pk")
    )
    return JudgementsPage(
        inspection=Inspection.objects.filter(event=event).first(),
        sections=[FrameworkSection(f, rows[f.pk]) for f in frameworks],
        follow_ups=[(item, by_item.get(item.pk)) for item in items],
        problems=moderation_problems(event),
    )


@dataclass(frozen=True)
class LevelChoice:
    level: Level
    status: str  # an OptionStatus: allowed, needs an override, forbidden
    reasons: tuple[str, ...]

    @property
    def forbidden(self) -> bool:
        return self.status == OptionStatus.FORBIDDEN

    @property
    def warned(self) -> bool:
        return self.status == OptionStatus.WARNING


def level_choices(event: Event, aspect: Aspect) -> list[LevelChoice]:
    """The aspect's levels, best first; for a derived aspect each carries the engine's
    status and reasons (JG-3, JG-4, JG-5)."""
    levels = list(Level.objects.filter(scale_id=aspect.scale_id).order_by("position"))
    if not aspect.is_derived:
        return [LevelChoice(level, OptionStatus.ALLOWED, ()) for level in levels]
    from inspectorate.inspections.judgements.services import derived_evaluation

    verdict = derived_evaluation(event, aspect).judgements[aspect.code]
    return [
        LevelChoice(
            level,
            verdict.option(level.slug).status,
            tuple(str(reason) for reason in verdict.option(level.slug).reasons),
        )
        for level in levels
    ]


def evidence_choices(user: Any, event: Event, aspect: Aspect) -> list[EvidenceForm]:
    """The event's evidence forms, those tagged with `aspect` first (IN-7)."""
    forms = list(
        EvidenceForm.objects.visible_to(user)
        .filter(event=event)
        .select_related("author", "aspect")
        .order_by("evidence_on", "pk")
    )
    return sorted(forms, key=lambda form: form.aspect_id != aspect.pk)


def judgement_for(user: Any, event: Event, pk: int) -> Judgement:
    judgement = (
        Judgement.objects.visible_to(user)
        .select_related("aspect__scale", "aspect__framework", "level", "event")
        .filter(event=event, pk=pk)
        .first()
    )
    if judgement is None:
        raise Http404("No such judgement.")
    return judgement


def aspect_judgement(user: Any, event: Event, aspect: Aspect) -> Judgement | None:
    """The judgement of `aspect` at `event` (not of a follow-up item), if recorded."""
    return (
        Judgement.objects.visible_to(user)
        .filter(event=event, aspect=aspect, follow_up__isnull=True)
        .prefetch_related("citations")
        .first()
    )
