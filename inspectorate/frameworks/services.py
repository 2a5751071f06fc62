"""Writes: loading framework files, saving assessments, choosing and overriding grades."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inspectorate.frameworks.constants import DATA_DIR, EventKind, OptionStatus
from inspectorate.frameworks.definition import (
    FrameworkDef,
    FrameworkFileError,
    checksum,
    parse_framework,
)
from inspectorate.frameworks.engine import Evaluation, GradeError, Judgement, evaluate
from inspectorate.frameworks.models import (
    Aspect,
    Assessment,
    AssessmentGrade,
    Framework,
    GradeDecision,
    Level,
    Rule,
    Scale,
)
from inspectorate.frameworks.selectors import definition_from_models
from inspectorate.lib.models import attributes
from inspectorate.lib.versions import StaleVersion, saved
from inspectorate.lib.wording import lower_first

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

# Loading framework files -------------------------------------------------------------------


class FrameworkLoadError(ValueError):
    """Nothing was loaded; `problems` says why, file by file."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class LoadOutcome:
    slug: str
    version: str
    file: str
    created: bool  # False: the same version was already loaded from the same content

    def __str__(self) -> str:
        verb = "Loaded" if self.created else "Unchanged"
        return f"{verb}: {self.slug} {self.version} ({self.file})"


@dataclass(frozen=True)
class _Parsed:
    definition: FrameworkDef
    document: Mapping[str, Any]
    checksum: str
    file: str


def framework_files(directory: Path = DATA_DIR) -> list[Path]:
    """The framework files shipped with the service, in name order."""
    return sorted(directory.glob("*.json"))


def frameworks_load(
    *, actor: User | None, paths: Iterable[Path] | None = None
) -> list[LoadOutcome]:
    """Load framework files; all or nothing. `actor` None means the command line.

    Idempotent: a version already loaded from the same content is left as it is. A file
    whose version is loaded with different content is refused: a change needs a new version.
    """
    if actor is not None and not actor.has_perm("frameworks.load_frameworks"):
        raise PermissionDenied("Only a system administrator can load frameworks.")
    files = list(paths) if paths is not None else framework_files()
    if not files:
        raise FrameworkLoadError(["No framework files were given."])
    parsed: list[_Parsed] = []
    problems: list[str] = []
    for path in files:
        item = _parse_file(Path(path), problems)
        if item is not None:
            parsed.append(item)
    problems += _duplicate_version_problems(parsed)
    if problems:
        raise FrameworkLoadError(problems)
    return _store(parsed)


def _parse_file(path: Path, problems: list[str]) -> _Parsed | None:
    """The file read and checked, or None with what is wrong with it added to `problems`."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        definition = parse_framework(document, source=path.name)
    except json.JSONDecodeError as error:
        problems.append(
            f"{path.name}: not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"
        )
        return None
    except OSError as error:
        problems.append(f"{path.name}: cannot be read: {error.strerror}")
        return None
    except FrameworkFileError as error:
        problems.extend(f"{path.name}: {problem}" for problem in error.problems)
        return None
    return _Parsed(definition, document, checksum(document), path.name)


def _duplicate_version_problems(parsed: list[_Parsed]) -> list[str]:
    problems = []
    seen: dict[tuple[str, str], str] = {}
    for item in parsed:
        key = (item.definition.slug, item.definition.version)
        if key in seen:
            problems.append(
                f"{item.file}: {key[0]} version {key[1]} is also in {seen[key]}; "
                "each version is loaded from one file."
            )
        seen[key] = item.file
    return problems


def _store(parsed: list[_Parsed]) -> list[LoadOutcome]:
    """Creates the versions not loaded yet; refuses all if a loaded one has changed."""
    problems: list[str] = []
    outcomes: list[LoadOutcome] = []
    with transaction.atomic():
        loaded = {
            (f.slug, f.version): f
            for f in Framework.objects.select_for_update().filter(
                slug__in=[p.definition.slug for p in parsed]
            )
        }
        for item in parsed:
            current = loaded.get((item.definition.slug, item.definition.version))
            if current is not None and current.checksum != item.checksum:
                problems.append(_changed_content_problem(item, current))
            elif current is None and not problems:
                _create(item)
            outcomes.append(
                LoadOutcome(
                    item.definition.slug, item.definition.version, item.file, current is None
                )
            )
        if problems:
            transaction.set_rollback(True)
            raise FrameworkLoadError(problems)
    return outcomes


def _changed_content_problem(item: _Parsed, current: Framework) -> str:
    return (
        f"{item.file}: {item.definition.slug} version {item.definition.version} is "
        f"already loaded (from {current.source_file} on "
        f"{current.loaded_at:%d %B %Y}) with different content. A changed framework "
        "needs a new version number; the loaded version is never changed, because "
        "judgements record it (JG-1)."
    )


def _create(item: _Parsed) -> Framework:
    definition = item.definition
    framework = Framework.objects.create(
        **attributes(definition, "slug", "version", "name", "description", "source", "valid_from"),
        event_kinds=list(definition.event_kinds),
        establishment_kinds=list(definition.establishment_kinds),
        supersedes=list(definition.supersedes),
        source_file=item.file,
        checksum=item.checksum,
    )
    scales: dict[str, Scale] = {}
    for position, scale_def in enumerate(definition.scales):
        scale = Scale.objects.create(
            framework=framework,
            position=position,
            **attributes(scale_def, "slug", "name", "description"),
        )
        scales[scale.slug] = scale
        Level.objects.bulk_create(
            Level(
                scale=scale,
                **attributes(level, "slug", "label", "value", "definition", "position"),
            )
            for level in scale_def.levels
        )
    aspects: dict[str, Aspect] = {}
    for position, aspect_def in enumerate(definition.aspects):
        aspects[aspect_def.code] = Aspect.objects.create(
            framework=framework,
            parent=aspects[aspect_def.parent] if aspect_def.parent else None,
            scale=scales[aspect_def.scale],
            position=position,
            **attributes(aspect_def, "code", "title", "question", "guidance", "kind", "required"),
            applies_per=aspect_def.applies_per,
        )
    raw_rules = list(item.document.get("rules", []))
    Rule.objects.bulk_create(
        Rule(
            framework=framework,
            target=aspects[rule.target],
            definition=raw,
            position=position,
            **attributes(rule, "key", "rule_id", "kind", "explanation"),
        )
        for position, (rule, raw) in enumerate(zip(definition.rules, raw_rules, strict=True))
    )
    return framework


# Assessments ---------------------------------------------------------------------------


def grade_field(code: str) -> str:
    """The name under which the aspect's grade is given and its problems reported."""
    return f"grade_{code}"


def choice_field(code: str) -> str:
    return f"choice_{code}"


def reason_field(code: str) -> str:
    return f"reason_{code}"


class OverrideRefused(PermissionDenied):
    """The actor may not choose a grade the rules warn about; `field` names the choice."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def framework_check_event(framework: Framework | FrameworkDef, event_kind: str) -> None:
    """Refuse to grade under a framework at an event it is not used for (JG-8)."""
    if event_kind not in EventKind.values:
        raise ValidationError({"event_kind": "Choose what kind of event is being graded"})
    if not framework.applies_to(event_kind):
        label = lower_first(EventKind(event_kind).label)
        article = "an" if label[0] in "aeiou" else "a"
        used_for = " or ".join(lower_first(EventKind(kind).label) for kind in framework.event_kinds)
        raise ValidationError(
            {
                "event_kind": (
                    f"{framework.name} cannot be scored at {article} {label}: "
                    f"it is used only at a {used_for}"
                )
            }
        )


def _check_grades(definition: FrameworkDef, grades: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    graded = {aspect.code for aspect in definition.graded_aspects}
    for code in grades:
        if code not in graded:
            errors[grade_field(code)] = f"{code} is not an aspect graded in {definition.name}"
    for aspect in definition.graded_aspects:
        level = grades.get(aspect.code)
        scale = definition.scale(aspect.scale)
        if level is None:
            if aspect.required:
                errors[grade_field(aspect.code)] = f"Choose a grade for {lower_first(aspect.title)}"
        elif level not in scale.slugs:
            errors[grade_field(aspect.code)] = (
                f"'{level}' is not a grade of {scale.name}; choose one of "
                + ", ".join(lower_first(level.label) for level in scale.levels)
            )
    return errors


def _check_choice(
    *, actor: User, judgement: Judgement, level: str | None, reason: str
) -> tuple[list[str], dict[str, str]]:
    """The rule IDs the chosen grade overrides, and any problems with the choice."""
    code = judgement.aspect.code
    name = lower_first(judgement.aspect.title)
    if not level:
        return [], {choice_field(code): f"Choose a grade for {name}"}
    if level not in judgement.scale.slugs:
        return [], {choice_field(code): f"'{level}' is not a grade of {judgement.scale.name}"}
    option = judgement.option(level)
    label = lower_first(option.level.label)
    if option.status == OptionStatus.FORBIDDEN:
        why = " ".join(str(reason) for reason in option.reasons)
        return [], {choice_field(code): f"{judgement.aspect.title} cannot be {label}. {why}"}
    if option.status == OptionStatus.ALLOWED:
        return [], {}
    rule_ids = list(option.rule_ids)
    if not actor.has_perm("frameworks.override_grade_warning"):
        raise OverrideRefused(
            f"The rules ({', '.join(rule_ids)}) warn against {label} for {name}. Only an Ofsted "
            "lead inspector or an HMI Prisons team leader can override them",
            field=choice_field(code),
        )
    if not reason.strip():
        return rule_ids, {
            reason_field(code): (
                f"Give the reason for grading {name} {label}: the rules "
                f"({', '.join(rule_ids)}) warn against it"
            )
        }
    return rule_ids, {}


@transaction.atomic
def assessment_create(
    *,
    actor: User,
    framework: Framework,
    event_kind: str,
    grades: Mapping[str, str],
    choices: Mapping[str, str] | None = None,
    reasons: Mapping[str, str] | None = None,
    establishment: Any = None,
    title: str = "",
) -> Assessment:
    """Save the aspect grades of one inspection and the derived grades chosen from them.

    `grades` and `choices` map aspect codes to level slugs; `reasons` holds the override
    reason for each derived judgement whose chosen grade the rules warn about. A forbidden
    grade is refused; a warned one needs an authorised lead inspector and a reason.
    """
    if not actor.has_perm("frameworks.create_assessment"):
        raise PermissionDenied(
            "Only lead inspectors, team leaders and quality assurance save assessments."
        )
    choices = choices or {}
    reasons = reasons or {}
    framework_check_event(framework, event_kind)
    if (
        establishment is not None
        and framework.establishment_kinds
        and establishment.kind not in framework.establishment_kinds
    ):
        raise ValidationError(
            {
                "establishment": (
                    f"{framework.name} is used for "
                    + ", ".join(framework.establishment_kind_labels).lower()
                    + f", not for {establishment.name} "
                    f"({lower_first(establishment.get_kind_display())})"
                )
            }
        )
    definition = definition_from_models(framework)
    errors = _check_grades(definition, grades)
    if errors:
        raise ValidationError(errors)
    evaluation = evaluate(definition, grades)
    overridden: dict[str, list[str]] = {}
    for code, judgement in evaluation.judgements.items():
        rule_ids, problems = _check_choice(
            actor=actor, judgement=judgement, level=choices.get(code), reason=reasons.get(code, "")
        )
        overridden[code] = rule_ids
        errors.update(problems)
    if errors:
        raise ValidationError(errors)

    aspects = {aspect.code: aspect for aspect in framework.aspects.select_related("scale")}
    levels = {
        (level.scale_id, level.slug): level
        for level in Level.objects.filter(scale__framework=framework)
    }
    assessment = Assessment.objects.create(
        framework=framework,
        establishment=establishment,
        event_kind=event_kind,
        title=title.strip(),
        created_by=actor,
    )
    AssessmentGrade.objects.bulk_create(
        AssessmentGrade(
            assessment=assessment,
            aspect=aspects[code],
            level=levels[(aspects[code].scale_id, level)],
        )
        for code, level in grades.items()
    )
    now = timezone.now()
    for code, judgement in evaluation.judgements.items():
        aspect = aspects[code]
        likely = judgement.most_likely
        GradeDecision.objects.create(
            assessment=assessment,
            aspect=aspect,
            level=levels[(aspect.scale_id, choices[code])],
            most_likely=levels[(aspect.scale_id, likely.slug)] if likely else None,
            overridden_rules=overridden[code],
            override_reason=reasons.get(code, "").strip(),
            decided_by=actor,
            decided_at=now,
        )
    return assessment


def assessment_evaluation(assessment: Assessment) -> Evaluation:
    """The engine's view of a saved assessment's grades, under its own framework version."""
    definition = definition_from_models(assessment.framework)
    grades = {grade.aspect.code: grade.level.slug for grade in assessment.grades.all()}
    try:
        return evaluate(definition, grades)
    except GradeError as error:  # only if the database was edited by hand
        raise ValidationError(str(error)) from error


@transaction.atomic
def grade_decision_change(
    *, actor: User, decision: GradeDecision, level: str, reason: str, expected_version: int
) -> GradeDecision:
    """Change the grade chosen for a derived judgement; an override needs a reason (audited)."""
    if not actor.has_perm("frameworks.create_assessment"):
        raise PermissionDenied(
            "Only lead inspectors, team leaders and quality assurance change assessments."
        )
    current = (
        GradeDecision.objects.select_for_update()
        .select_related("assessment__framework", "aspect")
        .get(pk=decision.pk)
    )
    name = f"{current.aspect.title} in {current.assessment}"
    if current.version != expected_version:
        raise StaleVersion(
            current,
            f"{name} was changed by someone else after you opened it (now version "
            f"{current.version}, you had version {expected_version}). Reload the page "
            "and make your change again.",
            field=choice_field(current.aspect.code),
        )
    evaluation = assessment_evaluation(current.assessment)
    judgement = evaluation.judgements[current.aspect.code]
    rule_ids, problems = _check_choice(actor=actor, judgement=judgement, level=level, reason=reason)
    if problems:
        raise ValidationError(problems)
    current.level = Level.objects.get(scale_id=current.aspect.scale_id, slug=level)
    current.overridden_rules = rule_ids
    current.override_reason = reason.strip()
    current.decided_by = actor
    current.decided_at = timezone.now()
    saved(current)
    Assessment.objects.filter(pk=current.assessment_id).update(version=F("version") + 1)
    return current
