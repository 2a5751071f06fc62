"""A framework as frozen data: parsed and checked from its JSON document. No database here.

A framework file is JSON (see data/*.json and README.md in that folder). `parse_framework`
checks every part of it and reports every problem with its place in the file, so a new
framework is a new file, never new code. The grading engine (engine.py) evaluates the
`FrameworkDef` this module builds; the loader stores the same document in the database,
and `definition_from_models` in selectors.py rebuilds an identical `FrameworkDef` from it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TypeAlias, TypeVar

from inspectorate.estate.constants import EstablishmentKind
from inspectorate.frameworks.constants import (
    FILE_FORMAT,
    AppliesPer,
    AspectKind,
    ConditionOp,
    EventKind,
    RuleKind,
    Strength,
)
from inspectorate.lib.document_error import DocumentError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
VERSION_RE = re.compile(r"^[0-9]+(?:\.[0-9]+)*$")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
RULE_ID_RE = re.compile(r"^[A-Z]{2,4}-[0-9]+$")


class FrameworkFileError(DocumentError):
    """A framework document is not valid; `problems` lists each, with its place in the file."""


# The definition ----------------------------------------------------------------------


class _Slugged(Protocol):
    @property
    def slug(self) -> str: ...


_S = TypeVar("_S", bound=_Slugged)


def _with_slug(items: Sequence[_S], slug: str, missing: str) -> _S:
    """The item of `items` whose slug is `slug`; KeyError (`missing`, and the slug) if none."""
    for item in items:
        if item.slug == slug:
            return item
    raise KeyError(f"{missing} '{slug}'")


@dataclass(frozen=True)
class LevelDef:
    slug: str
    label: str
    value: int
    definition: str
    position: int  # 0 is the best level of its scale


@dataclass(frozen=True)
class ScaleDef:
    slug: str
    name: str
    description: str
    levels: tuple[LevelDef, ...]  # best first

    def level(self, slug: str) -> LevelDef:
        return _with_slug(self.levels, slug, f"{self.name} has no level")

    def index(self, slug: str) -> int:
        return self.level(slug).position

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(level.slug for level in self.levels)


@dataclass(frozen=True)
class AspectDef:
    code: str
    title: str
    question: str
    parent: str | None
    scale: str
    kind: str
    required: bool
    applies_per: str
    guidance: str = ""

    @property
    def is_derived(self) -> bool:
        return self.kind == AspectKind.DERIVED

    @property
    def label(self) -> str:
        return f"{self.title} ({self.code})"


@dataclass(frozen=True)
class GradeCondition:
    """`aspects` (any or all of them) graded `op` `level`: is, at most (or worse), at least."""

    aspects: tuple[str, ...]
    match: str  # "any" or "all"
    op: str  # a ConditionOp
    level: str


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


Condition: TypeAlias = GradeCondition | AllOf | AnyOf


@dataclass(frozen=True)
class LadderStep:
    grade: str
    when: Condition
    explanation: str


@dataclass(frozen=True)
class RuleDef:
    """One rule of a framework, as data. `rule_id` is the catalogue ID it implements (JG-3)."""

    key: str
    rule_id: str
    kind: str  # a RuleKind
    target: str
    explanation: str
    source: str = ""
    when: Condition | None = None  # limit and likely
    max_grade: str | None = None  # limit
    strength: str | None = None  # limit
    likely: str | None = None  # limit (optional) and likely
    steps: tuple[LadderStep, ...] = ()  # ladder, best grade first

    @property
    def forbids(self) -> bool:
        return self.kind == RuleKind.LIMIT and self.strength == Strength.MUST


@dataclass(frozen=True)
class FrameworkDef:
    slug: str
    name: str
    version: str
    valid_from: date
    source: str
    description: str
    establishment_kinds: tuple[str, ...]
    event_kinds: tuple[str, ...]
    scales: tuple[ScaleDef, ...]
    aspects: tuple[AspectDef, ...]
    rules: tuple[RuleDef, ...]
    # Frameworks this one replaces from its start date, for the kinds it applies to.
    supersedes: tuple[str, ...] = ()
    _aspects_by_code: dict[str, AspectDef] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._aspects_by_code.update({aspect.code: aspect for aspect in self.aspects})

    def applies_to(self, event_kind: str) -> bool:
        """Whether this framework is used at events of `event_kind` (JG-8)."""
        return event_kind in self.event_kinds

    def aspect(self, code: str) -> AspectDef:
        try:
            return self._aspects_by_code[code]
        except KeyError:
            raise KeyError(f"{self.name} has no aspect '{code}'") from None

    def scale(self, slug: str) -> ScaleDef:
        return _with_slug(self.scales, slug, f"{self.name} has no scale")

    def scale_of(self, code: str) -> ScaleDef:
        return self.scale(self.aspect(code).scale)

    @property
    def derived_aspects(self) -> tuple[AspectDef, ...]:
        return tuple(a for a in self.aspects if a.is_derived)

    @property
    def graded_aspects(self) -> tuple[AspectDef, ...]:
        """The aspects inspectors grade once per event (the inputs of the engine)."""
        return tuple(
            a for a in self.aspects if not a.is_derived and a.applies_per == AppliesPer.EVENT
        )

    def rules_for(self, code: str) -> tuple[RuleDef, ...]:
        return tuple(rule for rule in self.rules if rule.target == code)

    def children_of(self, code: str | None) -> tuple[AspectDef, ...]:
        return tuple(a for a in self.aspects if a.parent == code)


def condition_aspects(condition: Condition) -> Iterator[str]:
    """Every aspect code a condition reads."""
    if isinstance(condition, GradeCondition):
        yield from condition.aspects
    else:
        for part in condition.conditions:
            yield from condition_aspects(part)


def rule_aspects(rule: RuleDef) -> set[str]:
    codes: set[str] = set()
    if rule.when is not None:
        codes.update(condition_aspects(rule.when))
    for step in rule.steps:
        codes.update(condition_aspects(step.when))
    return codes


# Checksums ---------------------------------------------------------------------------


def canonical_json(document: Mapping[str, Any]) -> str:
    """The document with sorted keys and no insignificant whitespace."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(document: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical document: re-indenting a file does not change it."""
    return hashlib.sha256(canonical_json(document).encode()).hexdigest()


# The parser --------------------------------------------------------------------------


class _Checker:
    """Collects problems, each with its place in the document (`rules[2].when.aspect`)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.problem(where, "must be an object")
            return {}
        return value

    def items(self, value: Any, where: str, *, minimum: int = 0) -> list[Any]:
        if not isinstance(value, list):
            self.problem(where, "must be a list")
            return []
        if len(value) < minimum:
            self.problem(where, f"must have at least {minimum} entries")
        return value

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = True,
        pattern: re.Pattern[str] | None = None,
    ) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{where}.{key}" if where else key, "is required")
            return ""
        if not isinstance(value, str):
            self.problem(f"{where}.{key}" if where else key, "must be text")
            return ""
        if pattern is not None and not pattern.match(value):
            self.problem(f"{where}.{key}" if where else key, f"'{value}' is not in the form needed")
        return value.strip()

    def choice(self, data: Mapping[str, Any], key: str, where: str, choices: Sequence[str]) -> str:
        value = self.text(data, key, where)
        if value and value not in choices:
            self.problem(f"{where}.{key}", f"'{value}' is not one of {', '.join(sorted(choices))}")
        return value

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(data) - allowed):
            self.problem(f"{where}.{key}" if where else key, "is not a known field")


_TOP_KEYS = {
    "format",
    "slug",
    "name",
    "version",
    "valid_from",
    "source",
    "description",
    "applies_to",
    "scales",
    "aspects",
    "rules",
    "supersedes",
}
_LEVEL_KEYS = {"slug", "label", "value", "definition"}
_SCALE_KEYS = {"slug", "name", "description", "levels"}
_ASPECT_KEYS = {
    "code",
    "title",
    "question",
    "parent",
    "scale",
    "kind",
    "required",
    "applies_per",
    "guidance",
}
_RULE_KEYS = {
    "key",
    "id",
    "kind",
    "target",
    "explanation",
    "source",
    "when",
    "max_grade",
    "strength",
    "likely",
    "steps",
}


def parse_framework(document: Any, *, source: str = "") -> FrameworkDef:
    """Check a framework document and build its definition; raise FrameworkFileError."""
    check = _Checker()
    data = check.mapping(document, "the file")
    if not data:
        raise FrameworkFileError(check.problems or ["the file is empty"], source=source)
    check.unknown_keys(data, _TOP_KEYS, "")
    if data.get("format") != FILE_FORMAT:
        check.problem("format", f"must be {FILE_FORMAT}")
    slug = check.text(data, "slug", "", pattern=SLUG_RE)
    name = check.text(data, "name", "")
    version = check.text(data, "version", "", pattern=VERSION_RE)
    valid_from_text = check.text(data, "valid_from", "")
    valid_from = date.min
    if valid_from_text:
        try:
            valid_from = date.fromisoformat(valid_from_text)
        except ValueError:
            check.problem("valid_from", f"'{valid_from_text}' is not a date (YYYY-MM-DD)")
    applies = check.mapping(data.get("applies_to"), "applies_to")
    event_kinds = _codes(check, applies, "event_kinds", "applies_to", EventKind.values, 1)
    establishment_kinds = _codes(
        check, applies, "establishment_kinds", "applies_to", EstablishmentKind.values, 0
    )
    check.unknown_keys(applies, {"event_kinds", "establishment_kinds"}, "applies_to")
    supersedes = _supersedes(check, data.get("supersedes", []), slug)

    scales = _scales(check, data.get("scales"))
    scales_by_slug = {scale.slug: scale for scale in scales}
    aspects = _aspects(check, data.get("aspects"), scales_by_slug)
    by_code = {aspect.code: aspect for aspect in aspects}
    rules = _rules(_Refs(check, by_code, scales_by_slug), data.get("rules", []))

    if check.problems:
        raise FrameworkFileError(check.problems, source=source)
    return FrameworkDef(
        slug=slug,
        name=name,
        version=version,
        valid_from=valid_from,
        source=check.text(data, "source", "", required=False),
        description=check.text(data, "description", "", required=False),
        establishment_kinds=establishment_kinds,
        event_kinds=event_kinds,
        scales=scales,
        aspects=aspects,
        rules=rules,
        supersedes=supersedes,
    )


def _supersedes(check: _Checker, value: Any, slug: str) -> tuple[str, ...]:
    """The slugs of the frameworks this one replaces from its `valid_from`."""
    slugs = check.items(value, "supersedes")
    for other in slugs:
        if not isinstance(other, str) or not SLUG_RE.match(other):
            check.problem("supersedes", f"'{other}' is not a framework slug")
        elif other == slug:
            check.problem("supersedes", "a framework cannot replace itself")
    if len(set(map(str, slugs))) != len(slugs):
        check.problem("supersedes", "lists a framework twice")
    return tuple(str(other) for other in slugs)


def _codes(
    check: _Checker,
    data: Mapping[str, Any],
    key: str,
    where: str,
    allowed: Sequence[str],
    minimum: int,
) -> tuple[str, ...]:
    values = check.items(data.get(key, []), f"{where}.{key}", minimum=minimum)
    for value in values:
        if value not in allowed:
            check.problem(f"{where}.{key}", f"'{value}' is not one of {', '.join(sorted(allowed))}")
    if len(set(values)) != len(values):
        check.problem(f"{where}.{key}", "lists a value twice")
    return tuple(str(value) for value in values)


def _scales(check: _Checker, value: Any) -> tuple[ScaleDef, ...]:
    scales: list[ScaleDef] = []
    for i, raw in enumerate(check.items(value, "scales", minimum=1)):
        where = f"scales[{i}]"
        data = check.mapping(raw, where)
        check.unknown_keys(data, _SCALE_KEYS, where)
        slug = check.text(data, "slug", where, pattern=SLUG_RE)
        if slug in {scale.slug for scale in scales}:
            check.problem(f"{where}.slug", f"'{slug}' is used by another scale")
        levels: list[LevelDef] = []
        for j, raw_level in enumerate(
            check.items(data.get("levels"), f"{where}.levels", minimum=2)
        ):
            level_where = f"{where}.levels[{j}]"
            level = check.mapping(raw_level, level_where)
            check.unknown_keys(level, _LEVEL_KEYS, level_where)
            level_slug = check.text(level, "slug", level_where, pattern=SLUG_RE)
            number = level.get("value")
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                check.problem(f"{level_where}.value", "must be a whole number from 1")
                number = 0
            if level_slug in {lv.slug for lv in levels}:
                check.problem(f"{level_where}.slug", f"'{level_slug}' is used twice in the scale")
            if number and number in {lv.value for lv in levels}:
                check.problem(f"{level_where}.value", f"{number} is used twice in the scale")
            levels.append(
                LevelDef(
                    slug=level_slug,
                    label=check.text(level, "label", level_where),
                    value=number,
                    definition=check.text(level, "definition", level_where),
                    position=j,
                )
            )
        scales.append(
            ScaleDef(
                slug=slug,
                name=check.text(data, "name", where),
                description=check.text(data, "description", where, required=False),
                levels=tuple(levels),
            )
        )
    return tuple(scales)


def _aspects(check: _Checker, value: Any, scales: Mapping[str, ScaleDef]) -> tuple[AspectDef, ...]:
    aspects: list[AspectDef] = []
    seen: set[str] = set()
    for i, raw in enumerate(check.items(value, "aspects", minimum=1)):
        where = f"aspects[{i}]"
        data = check.mapping(raw, where)
        check.unknown_keys(data, _ASPECT_KEYS, where)
        code = check.text(data, "code", where, pattern=CODE_RE)
        if code in seen:
            check.problem(f"{where}.code", f"'{code}' is used by another aspect")
        parent = data.get("parent")
        if parent is not None and parent not in seen:
            check.problem(f"{where}.parent", f"'{parent}' must be an aspect listed before this one")
        scale = check.text(data, "scale", where)
        if scale and scale not in scales:
            check.problem(f"{where}.scale", f"'{scale}' is not one of the file's scales")
        kind = check.choice(data, "kind", where, AspectKind.values)
        applies_per = data.get("applies_per", AppliesPer.EVENT.value)
        if applies_per not in AppliesPer.values:
            check.problem(
                f"{where}.applies_per",
                f"'{applies_per}' is not one of {', '.join(AppliesPer.values)}",
            )
        required = data.get("required", kind in {AspectKind.MAIN, AspectKind.CONTRIBUTORY})
        if not isinstance(required, bool):
            check.problem(f"{where}.required", "must be true or false")
            required = False
        if kind == AspectKind.DERIVED and required:
            check.problem(f"{where}.required", "a derived judgement is computed, not entered")
        seen.add(code)
        aspects.append(
            AspectDef(
                code=code,
                title=check.text(data, "title", where),
                question=check.text(data, "question", where, required=False),
                parent=parent if isinstance(parent, str) else None,
                scale=scale,
                kind=kind,
                required=required,
                applies_per=str(applies_per),
                guidance=check.text(data, "guidance", where, required=False),
            )
        )
    return tuple(aspects)


@dataclass(frozen=True)
class _Refs:
    """What the rules may refer to (the file's aspects and scales, by code and slug), with
    the checker their problems go to."""

    check: _Checker
    aspects: Mapping[str, AspectDef]
    scales: Mapping[str, ScaleDef]


def _rules(refs: _Refs, value: Any) -> tuple[RuleDef, ...]:
    rules: list[RuleDef] = []
    for i, raw in enumerate(refs.check.items(value, "rules")):
        used = {rule.key for rule in rules}
        rules.append(_rule(refs, raw, f"rules[{i}]", used))
    return tuple(rules)


@dataclass
class _RuleSpot:
    """Where one rule is read: its data and what it may refer to."""

    refs: _Refs
    data: Mapping[str, Any]
    where: str
    target_scale: ScaleDef | None

    @property
    def check(self) -> _Checker:
        return self.refs.check

    def target_level(self, name: str, *, required: bool) -> str | None:
        level = self.data.get(name)
        if level is None:
            if required:
                self.check.problem(f"{self.where}.{name}", "is required")
            return None
        scale = self.target_scale
        if scale is not None and level not in scale.slugs:
            self.check.problem(f"{self.where}.{name}", f"'{level}' is not a level of {scale.name}")
        return str(level)

    def condition(self, value: Any, where: str) -> Condition:
        return _condition(self.refs, value, where)


@dataclass
class _RuleParts:
    """What a rule of one kind reads beyond the fields every rule has."""

    fields: frozenset[str] = frozenset()
    when: Condition | None = None
    max_grade: str | None = None
    strength: str | None = None
    likely: str | None = None
    steps: list[LadderStep] = field(default_factory=list)


_COMMON_RULE_FIELDS = frozenset({"key", "id", "kind", "target", "explanation", "source"})


def _rule(refs: _Refs, raw: Any, where: str, used_keys: set[str]) -> RuleDef:
    check = refs.check
    data = check.mapping(raw, where)
    check.unknown_keys(data, _RULE_KEYS, where)
    key = check.text(data, "key", where, pattern=SLUG_RE)
    if key in used_keys:
        check.problem(f"{where}.key", f"'{key}' is used by another rule")
    rule_id = check.text(data, "id", where, pattern=RULE_ID_RE)
    kind = check.choice(data, "kind", where, RuleKind.values)
    target = check.text(data, "target", where)
    spot = _RuleSpot(refs, data, where, _target_scale(refs, target, where))
    parts = _rule_parts(spot, kind)
    allowed_fields = _COMMON_RULE_FIELDS | parts.fields
    for name in sorted(set(data) & (_RULE_KEYS - allowed_fields)):
        check.problem(f"{where}.{name}", f"is not used by a '{kind}' rule")
    return RuleDef(
        key=key,
        rule_id=rule_id,
        kind=kind,
        target=target,
        explanation=check.text(data, "explanation", where),
        source=check.text(data, "source", where, required=False),
        when=parts.when,
        max_grade=parts.max_grade,
        strength=parts.strength or None,
        likely=parts.likely,
        steps=tuple(parts.steps),
    )


def _target_scale(refs: _Refs, target: str, where: str) -> ScaleDef | None:
    """The scale of the derived judgement a rule targets, once the target is checked."""
    if not target:
        return None
    aspect = refs.aspects.get(target)
    if aspect is None:
        refs.check.problem(f"{where}.target", f"'{target}' is not one of the file's aspects")
    elif not aspect.is_derived:
        refs.check.problem(f"{where}.target", f"'{target}' is not a derived judgement")
    else:
        return refs.scales.get(aspect.scale)
    return None


def _rule_parts(spot: _RuleSpot, kind: str) -> _RuleParts:
    if kind == RuleKind.LIMIT:
        return _limit_parts(spot)
    if kind == RuleKind.LIKELY:
        return _RuleParts(
            fields=frozenset({"when", "likely"}),
            when=spot.condition(spot.data.get("when"), f"{spot.where}.when"),
            likely=spot.target_level("likely", required=True),
        )
    if kind == RuleKind.LADDER:
        return _RuleParts(fields=frozenset({"steps"}), steps=_ladder_steps(spot))
    return _RuleParts()


def _limit_parts(spot: _RuleSpot) -> _RuleParts:
    check, where, target_scale = spot.check, spot.where, spot.target_scale
    when = spot.condition(spot.data.get("when"), f"{where}.when")
    max_grade = spot.target_level("max_grade", required=True)
    strength = check.choice(spot.data, "strength", where, Strength.values)
    likely = spot.target_level("likely", required=False)
    if target_scale and max_grade in target_scale.slugs and likely in target_scale.slugs:
        assert max_grade is not None
        assert likely is not None
        if target_scale.index(likely) < target_scale.index(max_grade):
            check.problem(f"{where}.likely", f"'{likely}' is better than max_grade '{max_grade}'")
    return _RuleParts(
        fields=frozenset({"when", "max_grade", "strength", "likely"}),
        when=when,
        max_grade=max_grade,
        strength=strength,
        likely=likely,
    )


def _ladder_steps(spot: _RuleSpot) -> list[LadderStep]:
    check, where, target_scale = spot.check, spot.where, spot.target_scale
    steps: list[LadderStep] = []
    positions: list[int] = []
    for j, raw_step in enumerate(check.items(spot.data.get("steps"), f"{where}.steps", minimum=1)):
        step_where = f"{where}.steps[{j}]"
        step = check.mapping(raw_step, step_where)
        check.unknown_keys(step, {"grade", "when", "explanation"}, step_where)
        grade = step.get("grade")
        if target_scale is not None:
            if grade not in target_scale.slugs:
                check.problem(
                    f"{step_where}.grade", f"'{grade}' is not a level of {target_scale.name}"
                )
            else:
                positions.append(target_scale.index(str(grade)))
        steps.append(
            LadderStep(
                grade=str(grade),
                when=spot.condition(step.get("when"), f"{step_where}.when"),
                explanation=check.text(step, "explanation", step_where),
            )
        )
    if positions != sorted(set(positions)):
        check.problem(f"{where}.steps", "must go from the best grade to the worst, once each")
    return steps


_GROUP_KEYS = {"all", "any"}


def _condition(refs: _Refs, value: Any, where: str) -> Condition:
    check = refs.check
    data = check.mapping(value, where)
    groups = _GROUP_KEYS & set(data)
    if groups:
        return _group_condition(refs, data, groups, where)
    check.unknown_keys(data, {"aspect", "aspects", "match", *ConditionOp.values}, where)
    if ("aspect" in data) == ("aspects" in data):
        check.problem(where, "needs either 'aspect' or 'aspects'")
    codes = (
        [data["aspect"]] if "aspect" in data else check.items(data.get("aspects"), where, minimum=1)
    )
    match = data.get("match", "all" if "aspect" in data else None)
    if match not in {"any", "all"}:
        check.problem(f"{where}.match", "must be 'any' or 'all'")
    ops = [op for op in ConditionOp.values if op in data]
    if len(ops) != 1:
        check.problem(where, f"needs exactly one of {', '.join(ConditionOp.values)}")
    op = ops[0] if ops else ConditionOp.IS.value
    level = data.get(op)
    for code in codes:
        _check_condition_aspect(refs, code, f"{where}.aspect", f"{where}.{op}", level)
    return GradeCondition(
        aspects=tuple(str(code) for code in codes),
        match=str(match),
        op=op,
        level=str(level),
    )


def _group_condition(
    refs: _Refs, data: Mapping[str, Any], groups: set[str], where: str
) -> Condition:
    if len(data) != 1:
        refs.check.problem(where, "a group has exactly one key, 'all' or 'any'")
    name = sorted(groups)[0]
    parts = tuple(
        _condition(refs, part, f"{where}.{name}[{k}]")
        for k, part in enumerate(refs.check.items(data[name], f"{where}.{name}", minimum=1))
    )
    return AllOf(parts) if name == "all" else AnyOf(parts)


def _check_condition_aspect(
    refs: _Refs, code: Any, aspect_where: str, level_where: str, level: Any
) -> None:
    """A condition reads a graded aspect, graded once per event, at a level of its scale."""
    check, scales = refs.check, refs.scales
    aspect = refs.aspects.get(code)
    if aspect is None:
        check.problem(aspect_where, f"'{code}' is not one of the file's aspects")
    elif aspect.is_derived:
        check.problem(aspect_where, f"'{code}' is derived; rules read graded aspects")
    elif aspect.applies_per != AppliesPer.EVENT:
        check.problem(aspect_where, f"'{code}' is not graded once per event")
    elif aspect.scale in scales and level not in scales[aspect.scale].slugs:
        check.problem(level_where, f"'{level}' is not a level of {scales[aspect.scale].name}")
