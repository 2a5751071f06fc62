"""The grading engine: pure Python, no database.

`evaluate(framework, grades)` takes a `FrameworkDef` and the aspect grades of one inspection
(aspect code → level slug) and returns, for each derived judgement (overall effectiveness),
every grade of its scale with its status and the reasons for it, the most likely grade,
and the rules that fired, each citing its catalogue ID.

How the three rule kinds combine (JG-3, JG-4, JG-5):

* a **limit** caps the judgement at `max_grade` when its condition holds. With strength
  `must` a better grade is forbidden; with `most_unlikely` or `unlikely` it is allowed with
  a warning that needs an authorised override and a recorded reason. A limit may also say
  which grade is `likely` (limiting grades: "likely inadequate");
* a **likely** rule suggests a grade when its condition holds (JG-4);
* a **ladder** suggests the best of its steps whose condition holds (JG-5, the
  illustrative grade characteristics: outstanding when …, good when …).

The most likely grade is the worst of the suggestions, capped by every limit. Every other
allowed grade carries a warning: better than a limit or a suggestion, or worse than the
most likely grade. So when any rule suggests a grade, exactly one grade (the most likely)
needs no override; when none does (too few grades entered), there is no most likely grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inspectorate.frameworks.constants import OptionStatus, RuleKind, Strength
from inspectorate.frameworks.definition import (
    AllOf,
    AnyOf,
    AspectDef,
    Condition,
    FrameworkDef,
    GradeCondition,
    LevelDef,
    RuleDef,
    ScaleDef,
)
from inspectorate.lib.wording import lower_first


class GradeError(ValueError):
    """The grades given to the engine do not fit the framework (unknown aspect or level)."""


@dataclass(frozen=True)
class Reason:
    rule_id: str  # the catalogue ID the rule implements, e.g. "JG-3"
    rule_key: str  # the rule's key in its framework file
    text: str  # plain English

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.text}"


@dataclass(frozen=True)
class GradeOption:
    level: LevelDef
    status: str  # an OptionStatus
    reasons: tuple[Reason, ...]  # why it is forbidden or needs an override; empty if allowed

    @property
    def slug(self) -> str:
        return self.level.slug

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(reason.rule_id for reason in self.reasons))


@dataclass(frozen=True)
class Judgement:
    aspect: AspectDef
    scale: ScaleDef
    options: tuple[GradeOption, ...]  # best first, one per level of the scale
    most_likely: LevelDef | None
    reasons: tuple[Reason, ...]  # every rule that applied to these grades, in file order

    def option(self, slug: str) -> GradeOption:
        for option in self.options:
            if option.slug == slug:
                return option
        raise GradeError(f"'{slug}' is not a grade of {self.scale.name}")

    @property
    def allowed(self) -> tuple[str, ...]:
        """Grades not forbidden (some of them need an override)."""
        return tuple(o.slug for o in self.options if o.status != OptionStatus.FORBIDDEN)

    @property
    def forbidden(self) -> tuple[str, ...]:
        return tuple(o.slug for o in self.options if o.status == OptionStatus.FORBIDDEN)

    @property
    def warned(self) -> tuple[str, ...]:
        return tuple(o.slug for o in self.options if o.status == OptionStatus.WARNING)

    @property
    def best_allowed(self) -> LevelDef:
        return next(o.level for o in self.options if o.status != OptionStatus.FORBIDDEN)


@dataclass(frozen=True)
class Evaluation:
    framework: FrameworkDef
    grades: Mapping[str, str]
    judgements: Mapping[str, Judgement]  # by derived aspect code, in framework order


# Evaluation ---------------------------------------------------------------------------


def check_grades(framework: FrameworkDef, grades: Mapping[str, str]) -> None:
    """Raise GradeError naming the first aspect or level that does not fit the framework."""
    for code, level in grades.items():
        try:
            aspect = framework.aspect(code)
        except KeyError:
            raise GradeError(f"{framework.name} has no aspect '{code}'") from None
        if aspect.is_derived:
            raise GradeError(f"{aspect.label} is derived by the rules; it is not entered")
        scale = framework.scale(aspect.scale)
        if level not in scale.slugs:
            raise GradeError(f"'{level}' is not a grade of {scale.name} for {aspect.label}")


def holds(condition: Condition, framework: FrameworkDef, grades: Mapping[str, str]) -> bool:
    """Whether `condition` is true of `grades`. An aspect not graded satisfies nothing."""
    if isinstance(condition, AllOf):
        return all(holds(part, framework, grades) for part in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(holds(part, framework, grades) for part in condition.conditions)
    results = (_grade_matches(condition, code, framework, grades) for code in condition.aspects)
    return any(results) if condition.match == "any" else all(results)


def _grade_matches(
    condition: GradeCondition, code: str, framework: FrameworkDef, grades: Mapping[str, str]
) -> bool:
    given = grades.get(code)
    if given is None:
        return False
    scale = framework.scale_of(code)
    given_index, level_index = scale.index(given), scale.index(condition.level)
    if condition.op == "grade_is":
        return given_index == level_index
    if condition.op == "grade_at_most":
        return given_index >= level_index  # this grade or worse
    return given_index <= level_index  # grade_at_least: this grade or better


def evaluate(framework: FrameworkDef, grades: Mapping[str, str]) -> Evaluation:
    """Judge every derived aspect of `framework` from the aspect `grades` (code → level)."""
    check_grades(framework, grades)
    judgements = {
        aspect.code: _judge(framework, aspect, grades) for aspect in framework.derived_aspects
    }
    return Evaluation(framework=framework, grades=dict(grades), judgements=judgements)


@dataclass(frozen=True)
class _Bound:
    rule: RuleDef
    index: int  # a level position in the target's scale
    text: str
    when: Condition | None = None  # what made the rule suggest this grade

    @property
    def reason(self) -> Reason:
        return Reason(self.rule.rule_id, self.rule.key, self.text)


@dataclass
class _Bounds:
    """What the rules that hold say about one derived judgement."""

    hard: list[_Bound] = field(default_factory=list)  # limits that forbid better grades
    soft: list[_Bound] = field(default_factory=list)  # limits that warn about better grades
    suggested: list[_Bound] = field(default_factory=list)  # grades the rules say are likely
    reasons: list[Reason] = field(default_factory=list)


def _judge(framework: FrameworkDef, aspect: AspectDef, grades: Mapping[str, str]) -> Judgement:
    scale = framework.scale(aspect.scale)
    bounds = _bounds(framework, aspect, scale, grades)
    most_likely, basis = _most_likely(bounds)
    return Judgement(
        aspect=aspect,
        scale=scale,
        options=tuple(_options(scale, bounds, most_likely, basis)),
        most_likely=None if most_likely is None else scale.levels[most_likely],
        reasons=tuple(
            _unique(_overridden(framework, bounds.reasons, bounds.suggested, basis, most_likely))
        ),
    )


def _bounds(
    framework: FrameworkDef, aspect: AspectDef, scale: ScaleDef, grades: Mapping[str, str]
) -> _Bounds:
    bounds = _Bounds()
    for rule in framework.rules_for(aspect.code):
        if rule.kind == RuleKind.LADDER:
            _add_ladder_bound(bounds, rule, framework, scale, grades)
            continue
        assert rule.when is not None
        if not holds(rule.when, framework, grades):
            continue
        bounds.reasons.append(Reason(rule.rule_id, rule.key, rule.explanation))
        if rule.kind == RuleKind.LIMIT:
            assert rule.max_grade is not None
            bound = _Bound(rule, scale.index(rule.max_grade), rule.explanation)
            (bounds.hard if rule.strength == Strength.MUST else bounds.soft).append(bound)
        if rule.likely is not None:
            bounds.suggested.append(
                _Bound(rule, scale.index(rule.likely), rule.explanation, rule.when)
            )
    return bounds


def _add_ladder_bound(
    bounds: _Bounds,
    rule: RuleDef,
    framework: FrameworkDef,
    scale: ScaleDef,
    grades: Mapping[str, str],
) -> None:
    """A ladder suggests the grade of its first step that holds, if any."""
    step = next((s for s in rule.steps if holds(s.when, framework, grades)), None)
    if step is not None:
        bound = _Bound(rule, scale.index(step.grade), step.explanation, step.when)
        bounds.suggested.append(bound)
        bounds.reasons.append(bound.reason)


def _most_likely(bounds: _Bounds) -> tuple[int | None, list[_Bound]]:
    """The most likely grade's position, and the bounds a worse grade must answer to."""
    if not bounds.suggested:
        return None, []
    caps = bounds.hard + bounds.soft
    worst = max(b.index for b in bounds.suggested)
    most_likely = max([worst, *(b.index for b in caps)])
    # Why a worse grade needs a reason: the suggestions at or above the most likely grade,
    # and the limits that brought it down to where it is.
    basis = [b for b in bounds.suggested if b.index <= most_likely]
    basis += [b for b in caps if b.index == most_likely]
    return most_likely, basis


def _options(
    scale: ScaleDef, bounds: _Bounds, most_likely: int | None, basis: list[_Bound]
) -> list[GradeOption]:
    options = []
    for level in scale.levels:
        i = level.position
        forbidding = [b.reason for b in bounds.hard if i < b.index]
        if forbidding:
            options.append(GradeOption(level, OptionStatus.FORBIDDEN, tuple(forbidding)))
            continue
        warnings = [b.reason for b in bounds.soft + bounds.suggested if i < b.index]
        if most_likely is not None and i > most_likely:
            likely_label = lower_first(scale.levels[most_likely].label)
            warnings += [
                Reason(
                    b.rule.rule_id, b.rule.key, f"The most likely grade is {likely_label}. {b.text}"
                )
                for b in basis
            ]
        status = OptionStatus.WARNING if warnings else OptionStatus.ALLOWED
        options.append(GradeOption(level, status, tuple(_unique(warnings))))
    return options


def _overridden(
    framework: FrameworkDef,
    reasons: list[Reason],
    suggested: list[_Bound],
    basis: list[_Bound],
    most_likely: int | None,
) -> list[Reason]:
    """The reasons, each suggestion of a better grade than the most likely one restated as
    overridden: naming what it would suggest and the rules that override it (JG-5's 'likely
    outstanding' never stands beside JG-4's 'likely inadequate')."""
    if most_likely is None:
        return reasons
    scale_of = framework.scale(framework.aspect(suggested[0].rule.target).scale)
    likely = lower_first(scale_of.levels[most_likely].label)
    by = ", ".join(dict.fromkeys(b.rule.rule_id for b in basis if b.index == most_likely))
    restated = {}
    for bound in suggested:
        if bound.index < most_likely and bound.when is not None:
            grade = lower_first(scale_of.levels[bound.index].label)
            because = describe_condition(bound.when, framework)
            restated[bound.reason] = Reason(
                bound.rule.rule_id,
                bound.rule.key,
                f"On its own this rule would suggest {grade}, as {because}; {by} overrides "
                f"it, so the most likely grade is {likely}.",
            )
    return [restated.get(reason, reason) for reason in reasons]


def _unique(reasons: list[Reason]) -> list[Reason]:
    return list(dict.fromkeys(reasons))


# Plain English -------------------------------------------------------------------------


def describe_condition(condition: Condition, framework: FrameworkDef) -> str:
    """A condition in words: 'safeguarding (C3) is inadequate'."""
    if isinstance(condition, AllOf | AnyOf):
        joiner = " and " if isinstance(condition, AllOf) else " or "
        parts = [
            f"({describe_condition(part, framework)})"
            if isinstance(part, AllOf | AnyOf)
            else describe_condition(part, framework)
            for part in condition.conditions
        ]
        return joiner.join(parts)
    aspects = [framework.aspect(code) for code in condition.aspects]
    scale = framework.scale(aspects[0].scale)
    level = scale.level(condition.level)
    label = lower_first(level.label)
    if condition.op == "grade_at_most" and level.position < len(scale.levels) - 1:
        label = f"{label} or worse"
    elif condition.op == "grade_at_least" and level.position > 0:
        label = f"at least {label}"
    names = [lower_first(aspect.label) for aspect in aspects]
    if len(names) == 1:
        return f"{names[0]} is graded {label}"
    first = ", ".join(names[:-1])
    if condition.match == "any":
        opening = "either" if len(names) == 2 else "any of"
        return f"{opening} {first} or {names[-1]} is graded {label}"
    quantity = "both" if len(names) == 2 else "all"
    return f"{first} and {names[-1]} are {quantity} graded {label}"


def describe_rule(rule: RuleDef, framework: FrameworkDef) -> str:
    """A rule in words, from its data alone (the framework page shows it with the text)."""
    target = framework.aspect(rule.target)
    scale = framework.scale(target.scale)
    name = lower_first(target.title)

    def label(slug: str | None) -> str:
        return lower_first(scale.level(slug).label) if slug else ""

    if rule.kind == RuleKind.LADDER:
        steps = [
            f"{label(step.grade)} when {describe_condition(step.when, framework)}"
            for step in rule.steps
        ]
        return f"{target.title} is likely to be " + "; ".join(steps) + "."
    assert rule.when is not None
    when = describe_condition(rule.when, framework)
    if rule.kind == RuleKind.LIKELY:
        return f"If {when}, {name} is likely to be {label(rule.likely)}."
    phrase = Strength(rule.strength or Strength.MOST_UNLIKELY).label
    text = f"If {when}, {name} {phrase} {label(rule.max_grade)}"
    if rule.likely:
        text += f"; it is likely to be {label(rule.likely)}"
    return text + "."


def rule_effect(rule: RuleDef) -> str:
    """What the rule does to a grade outside it: forbid it, or ask for a recorded reason."""
    if rule.forbids:
        return "A better grade is not allowed."
    if rule.kind == RuleKind.LIMIT:
        return "A better grade needs an authorised override with a recorded reason."
    return "Any other grade needs an authorised override with a recorded reason."
