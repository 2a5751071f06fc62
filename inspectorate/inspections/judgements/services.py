"""Judgements: the one writer of every grade an inspection gives, and the stages it passes.

- A judgement grades one framework aspect at one event (or one IRP follow-up item) and cites
  the evidence forms it rests on (IN-7). The framework must be used at that kind of event:
  healthy prison test scores are given at full inspections only (JG-8).
- A derived judgement (overall effectiveness) goes through the grading engine with the
  event's other grades: a forbidden grade is refused; a grade the rules warn against needs a
  recorded reason (JG-3, JG-4, JG-5).
- Judgements are provisional until the lead moderates them, once the inspection's days on
  site are over; a change after moderation makes that judgement provisional again. From the
  factual-accuracy check on, a judgement changes only as a recorded factual correction by the
  lead, approved by quality assurance (JG-9).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.permissions import require
from inspectorate.frameworks.constants import AppliesPer, OptionStatus
from inspectorate.frameworks.engine import Evaluation, GradeError, evaluate
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.frameworks.selectors import definition_from_models
from inspectorate.inspections.common import locked_inspection
from inspectorate.inspections.constants import (
    CORRECTION_ONLY_STAGES,
    FollowUpKind,
    JudgementStatus,
    Stage,
)
from inspectorate.inspections.models import (
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
    JudgementCorrection,
    JudgementEvidence,
)
from inspectorate.inspections.signals import inspection_published, judgement_recorded
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion, locked, saved
from inspectorate.lib.wording import lower_first
from inspectorate.programme.models import Event, today

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

FOLLOW_UP_APPLIES_PER = {
    FollowUpKind.RECOMMENDATION: AppliesPer.RECOMMENDATION,
    FollowUpKind.THEME: AppliesPer.THEME,
}


# Who may ---------------------------------------------------------------------------------


def _lead_only(actor: User, event: Event, permission: str, what: str) -> None:
    require(
        actor,
        permission,
        event,
        f"Only the team leader or the lead inspector for education on this event's team "
        f"can {what}.",
    )


def _require_open(inspection: Inspection) -> None:
    if inspection.stage in CORRECTION_ONLY_STAGES:
        raise ValidationError(
            "The judgements are locked: the report has reached the "
            f"{lower_first(inspection.get_stage_display())} stage. A judgement now changes only "
            "as a recorded factual correction by the lead inspector with quality "
            "assurance (JG-9)."
        )


def on_site_problem(event: Event, what: str, on: date | None = None) -> str:
    """Why `what` must wait for the end of the inspection's days on site ('' when it need
    not): moderation and the factual-accuracy check follow fieldwork."""
    day = on or today()
    if day > event.ends_on:
        return ""
    when = "has not started yet" if day < event.starts_on else "is still on site"
    return (
        f"The inspection {when}: it runs until {event.ends_on:%A %-d %B %Y}. "
        f"{what} from {event.ends_on + timedelta(days=1):%A %-d %B %Y}, once fieldwork is over"
    )


def _require_after_site(event: Event, what: str, on: date | None = None) -> None:
    problem = on_site_problem(event, what, on)
    if problem:
        raise ValidationError(f"{problem}.")


# Checks on one judgement -----------------------------------------------------------------


def _check_framework(event: Event, aspect: Aspect) -> None:
    framework = aspect.framework
    if not framework.applies_to(event.kind):
        rule = " (JG-8)" if framework.slug == "healthy-prison-tests" else ""
        raise ValidationError(
            {
                "aspect": f"{framework.name} is not used at an "
                f"{lower_first(event.get_kind_display())}{rule}: its aspects are not graded here"
            }
        )


def _check_subject(aspect: Aspect, follow_up: FollowUp | None, event: Event) -> None:
    if follow_up is None:
        if aspect.applies_per != AppliesPer.EVENT:
            raise ValidationError(
                {"aspect": f"{aspect.title} is judged per item followed up, not per event"}
            )
        return
    if follow_up.event_id != event.pk:
        raise ValidationError({"follow_up": "That item is not followed up at this event"})
    if aspect.applies_per != FOLLOW_UP_APPLIES_PER[FollowUpKind(follow_up.kind)]:
        scale = (
            "HMI Prisons' (JG-6)"
            if follow_up.kind == FollowUpKind.RECOMMENDATION
            else ("Ofsted's (JG-7)")
        )
        raise ValidationError(
            {"aspect": f"A {lower_first(follow_up.get_kind_display())} is judged on {scale} scale"}
        )


def _check_level(aspect: Aspect, level: Level) -> None:
    if level.scale_id != aspect.scale_id:
        raise ValidationError({"level": f"Choose a level of the {aspect.scale.name}"})


def _check_evidence(event: Event, aspect: Aspect, evidence: Sequence[EvidenceForm]) -> None:
    if aspect.is_derived:
        return  # derived from the other grades, which cite theirs
    if not evidence:
        raise ValidationError(
            {"evidence": "Cite at least one evidence form this judgement rests on (IN-7)"}
        )
    strangers = [form for form in evidence if form.event_id != event.pk]
    if strangers:
        raise ValidationError(
            {"evidence": "Cite only evidence recorded at this event (IN-7)"},
        )


# The grading engine for derived judgements -----------------------------------------------


def event_grades(event: Event, framework_id: int, *, replacing: Judgement | None = None) -> dict:
    """The event's entered grades under one framework: aspect code → level slug."""
    rows = Judgement.objects.filter(
        event=event, framework_id=framework_id, follow_up__isnull=True
    ).values_list("pk", "aspect__code", "aspect__kind", "level__slug")
    return {
        code: slug
        for pk, code, kind, slug in rows
        if kind != "derived" and (replacing is None or pk != replacing.pk)
    }


def derived_evaluation(event: Event, aspect: Aspect) -> Evaluation:
    definition = definition_from_models(aspect.framework)
    try:
        return evaluate(definition, event_grades(event, aspect.framework_id))
    except GradeError as error:  # a grade saved under another version of the framework
        raise ValidationError({"level": str(error)}) from None


def _engine_verdict(
    event: Event, aspect: Aspect, level: Level, override_reason: str
) -> tuple[Level | None, list[str]]:
    """The most likely level and the rules overridden; refuses what the engine forbids and
    asks for a reason where it warns (JG-3, JG-4, JG-5)."""
    judgement = derived_evaluation(event, aspect).judgements[aspect.code]
    option = judgement.option(level.slug)
    if option.status == OptionStatus.FORBIDDEN:
        raise ValidationError(
            {"level": "; ".join(str(reason) for reason in option.reasons) or "Not allowed"}
        )
    most_likely = (
        Level.objects.filter(scale_id=aspect.scale_id, slug=judgement.most_likely.slug).first()
        if judgement.most_likely
        else None
    )
    if option.status != OptionStatus.WARNING:
        return most_likely, []
    if not override_reason.strip():
        warning = "; ".join(str(reason) for reason in option.reasons) or (
            "The grades entered do not yet suggest a grade for this judgement"
        )
        raise OverrideNeeded({"level": warning})
    return most_likely, list(option.rule_ids)


# Recording -------------------------------------------------------------------------------


def _existing(event: Event, aspect: Aspect, follow_up: FollowUp | None) -> Judgement | None:
    return (
        Judgement.objects.select_for_update(of=("self",))
        .filter(event=event, aspect=aspect, follow_up=follow_up)
        .first()
    )


def _cite(judgement: Judgement, evidence: Sequence[EvidenceForm]) -> None:
    JudgementEvidence.objects.filter(judgement=judgement).delete()
    JudgementEvidence.objects.bulk_create(
        JudgementEvidence(judgement=judgement, evidence=form)
        for form in dict.fromkeys(evidence)  # each cited once, in the order given
    )


def judgement_record(
    *,
    actor: User,
    event: Event,
    aspect: Aspect,
    level: Level,
    evidence: Sequence[EvidenceForm] = (),
    rationale: str = "",
    follow_up: FollowUp | None = None,
    override_reason: str = "",
    version: int | None = None,
) -> Judgement:
    """Record (or change) the judgement of `aspect` at `event`, or of one follow-up item.

    `version` is the judgement's version when the form was opened (None when there was no
    judgement yet): a judgement saved by someone else meanwhile is a StaleVersion and
    nothing is written. A derived judgement the rules warn against raises OverrideNeeded
    unless `override_reason` says why.
    """
    _lead_only(actor, event, "inspections.record_judgements", "record judgements")
    _check_framework(event, aspect)
    _check_subject(aspect, follow_up, event)
    _check_level(aspect, level)
    _check_evidence(event, aspect, evidence)
    with transaction.atomic():
        inspection = locked_inspection(event)
        _require_open(inspection)
        existing = _existing(event, aspect, follow_up)
        if existing is not None and existing.version != version:
            raise StaleVersion(existing)
        if existing is None and version is not None:
            raise ValidationError("The judgement you were changing has been removed")
        most_likely, overridden = (
            _engine_verdict(event, aspect, level, override_reason)
            if aspect.is_derived
            else (None, [])
        )
        values: dict[str, Any] = {
            "level": level,
            "rationale": rationale.strip(),
            "most_likely": most_likely,
            "overridden_rules": overridden,
            "override_reason": override_reason.strip() if overridden else "",
            "status": JudgementStatus.PROVISIONAL,
            "decided_by": actor,
            "decided_at": timezone.now(),
        }
        if existing is None:
            judgement = Judgement.objects.create(
                event=event,
                framework=aspect.framework,
                aspect=aspect,
                follow_up=follow_up,
                **values,
            )
        else:
            judgement = saved(existing, **values)
        _cite(judgement, evidence)
        judgement_recorded.send(sender=Judgement, judgement=judgement, actor=actor)
        if inspection.stage == Stage.MODERATED:
            saved(inspection, stage=Stage.FIELDWORK, moderated_at=None, moderated_by=None)
    return judgement


# Moderation and the stages after it ------------------------------------------------------


def moderation_problems(event: Event) -> list[str]:
    """What stops the event's judgements being moderated, in words (empty: nothing)."""
    from inspectorate.inspections.judgements.selectors import framework_aspects_for

    on_site = on_site_problem(event, "The judgements can be moderated")
    problems: list[str] = [on_site] if on_site else []
    judged: dict[tuple[int, int | None], str] = {
        (aspect_id, follow_up_id): level
        for aspect_id, follow_up_id, level in Judgement.objects.filter(event=event).values_list(
            "aspect_id", "follow_up_id", "level__slug"
        )
    }
    for aspect in framework_aspects_for(event):
        if aspect.required and (aspect.pk, None) not in judged:
            problems.append(f"{aspect.title} ({aspect.code}) has no judgement yet")
    for item in FollowUp.objects.filter(event=event).select_related("recommendation"):
        if not any(follow_up_id == item.pk for _, follow_up_id in judged):
            problems.append(f"{item} has no progress judgement yet")
    problems.extend(_inconsistent_derived(event))
    return problems


def _inconsistent_derived(event: Event) -> list[str]:
    """Derived judgements the current grades no longer allow as recorded."""
    problems = []
    derived = Judgement.objects.filter(
        event=event, follow_up__isnull=True, aspect__kind="derived"
    ).select_related("aspect__framework", "level")
    for judgement in derived:
        verdict = derived_evaluation(event, judgement.aspect).judgements[judgement.aspect.code]
        option = verdict.option(judgement.level.slug)
        if option.status == OptionStatus.FORBIDDEN or (
            option.status == OptionStatus.WARNING and not judgement.override_reason
        ):
            problems.append(
                f"{judgement.aspect.title} is {lower_first(judgement.level.label)}, which the "
                "grades now recorded do not support: record it again"
            )
    return problems


def judgements_moderate(*, actor: User, event: Event, version: int | None = None) -> Inspection:
    """The lead confirms the event's judgements after moderation: every required aspect and
    every follow-up item judged, derived judgements consistent with the grades (JG-9)."""
    _lead_only(actor, event, "inspections.moderate_judgements", "moderate the judgements")
    with transaction.atomic():
        inspection = locked_inspection(event, version)
        _require_open(inspection)
        if inspection.stage == Stage.MODERATED:
            raise ValidationError("The judgements are already moderated")
        problems = moderation_problems(event)
        if problems:
            raise ValidationError(problems)
        Judgement.objects.filter(event=event).update(status=JudgementStatus.MODERATED)
        return saved(
            inspection,
            stage=Stage.MODERATED,
            moderated_at=timezone.now(),
            moderated_by=actor,
        )


def _require_report_manager(actor: User, event: Event) -> None:
    require(
        actor,
        "inspections.advance_report",
        event,
        "Only the event's leads, quality assurance or programme staff can.",
    )


def factual_accuracy_start(
    *, actor: User, event: Event, version: int | None = None, on: date | None = None
) -> Inspection:
    """The draft goes to the establishment for its factual-accuracy check (`on`, by default
    today): from now on a judgement changes only by a recorded factual correction (JG-9)."""
    _require_report_manager(actor, event)
    with transaction.atomic():
        inspection = locked_inspection(event, version)
        _require_after_site(event, "The factual-accuracy check can start", on)
        if inspection.stage != Stage.MODERATED:
            raise ValidationError(
                "The judgements must be moderated before the factual-accuracy check starts"
            )
        return saved(inspection, stage=Stage.FACTUAL_ACCURACY, factual_accuracy_from=on or today())


def inspection_publish(
    *, actor: User, event: Event, published_on: date | None = None
) -> Inspection:
    """The report is published: the findings become visible to the establishment, and
    what follows from the published outcome starts (SC-1, `inspection_published`)."""
    _require_report_manager(actor, event)
    with transaction.atomic():
        inspection = locked_inspection(event)
        if inspection.stage != Stage.FACTUAL_ACCURACY:
            raise ValidationError("Only a report past its factual-accuracy check is published")
        inspection = saved(inspection, stage=Stage.PUBLISHED, published_on=published_on or today())
        inspection_published.send(sender=Inspection, inspection=inspection, actor=actor)
        return inspection


# Factual corrections (JG-9) --------------------------------------------------------------


def _check_approver(actor: User, approved_by: Any) -> None:
    if approved_by is None or not approved_by.has_perm("inspections.approve_correction"):
        raise ValidationError(
            {"approved_by": "Choose the quality assurance reviewer who approved it (JG-9)"}
        )
    if approved_by.pk == actor.pk:
        raise ValidationError(
            {"approved_by": "Quality assurance is someone other than the lead inspector (JG-9)"}
        )


def judgement_correct(
    *,
    actor: User,
    judgement: Judgement,
    level: Level,
    factual_error: str,
    approved_by: Any,
    version: int | None,
) -> JudgementCorrection:
    """Change a judgement after the factual-accuracy check: only for a factual error with
    significant bearing, by the lead inspector with quality assurance, recorded (JG-9)."""
    event = judgement.event
    _lead_only(actor, event, "inspections.correct_judgement", "correct a judgement")
    if not factual_error.strip():
        raise ValidationError(
            {"factual_error": "Describe the factual error and its bearing on the grade (JG-9)"}
        )
    _check_approver(actor, approved_by)
    with transaction.atomic():
        inspection = locked_inspection(event)
        if inspection.stage not in CORRECTION_ONLY_STAGES:
            raise ValidationError(
                "Before the factual-accuracy check, change the judgement itself: a factual "
                "correction is for judgements already sent to the establishment"
            )
        current = locked(Judgement, judgement.pk, version)
        _check_level(current.aspect, level)
        if level.pk == current.level_id:
            raise ValidationError({"level": "Choose a different level: this is the one recorded"})
        correction = JudgementCorrection.objects.create(
            judgement=current,
            previous_level_id=current.level_id,
            new_level=level,
            factual_error=factual_error.strip(),
            corrected_by=actor,
            approved_by=approved_by,
        )
        saved(current, level=level, decided_by=actor, decided_at=timezone.now())
        judgement_recorded.send(sender=Judgement, judgement=current, actor=actor)
    return correction
