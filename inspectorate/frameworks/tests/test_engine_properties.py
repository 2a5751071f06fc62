"""Properties of the grading engine over every combination of the grades the rules read.

For the shipped CIF frameworks (and the same files with every limit made hard), every
combination of the seven aspects the rules mention is evaluated (4^7 = 16,384 each):

* the engine never allows a grade a rule forbids (checked against an oracle written here);
* whenever the allowed set is narrower than the scale, a reason citing a rule ID explains it,
  and every grade needing an override carries at least one reason;
* the most likely grade is always allowed, and is the one grade needing no override;
* monotonicity: improving one aspect never makes the best allowed grade, or the most likely
  grade, worse.

Hypothesis then checks the same properties with aspects left ungraded, and over randomly
generated frameworks written in the same rule vocabulary.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspectorate.frameworks.constants import OptionStatus, RuleKind, Strength
from inspectorate.frameworks.definition import (
    RULE_ID_RE,
    AllOf,
    AnyOf,
    Condition,
    FrameworkDef,
    GradeCondition,
    parse_framework,
    rule_aspects,
)
from inspectorate.frameworks.engine import Evaluation, Judgement, evaluate
from inspectorate.frameworks.tests.conftest import shipped, strict

CIF = ["cif-2009", "cif-2012"]


def oracle_holds(condition: Condition, framework: FrameworkDef, grades: Mapping[str, str]) -> bool:
    """An independent reading of a rule condition (ungraded aspects satisfy nothing)."""
    if isinstance(condition, AllOf):
        return all(oracle_holds(c, framework, grades) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(oracle_holds(c, framework, grades) for c in condition.conditions)
    assert isinstance(condition, GradeCondition)
    results = []
    for code in condition.aspects:
        if code not in grades:
            results.append(False)
            continue
        order = list(framework.scale_of(code).slugs)
        given_at, level_at = order.index(grades[code]), order.index(condition.level)
        results.append(
            {
                "grade_is": given_at == level_at,
                "grade_at_most": given_at >= level_at,
                "grade_at_least": given_at <= level_at,
            }[condition.op]
        )
    return any(results) if condition.match == "any" else all(results)


def check_invariants(
    framework: FrameworkDef, grades: Mapping[str, str], result: Evaluation
) -> None:
    for code, judgement in result.judgements.items():
        order = list(judgement.scale.slugs)
        fired = {
            rule.key
            for rule in framework.rules_for(code)
            if rule.kind != RuleKind.LADDER and oracle_holds(rule.when, framework, grades)  # type: ignore[arg-type]
        }
        # 1. never allows a grade a rule forbids
        for rule in framework.rules_for(code):
            if rule.forbids and rule.key in fired:
                cap = order.index(rule.max_grade)  # type: ignore[arg-type]
                for slug in judgement.allowed:
                    assert order.index(slug) >= cap, (grades, rule.key, slug)
        # 2. a narrower allowed set is explained, citing rule IDs
        check_explained(framework, code, grades, judgement)
        # 3. the most likely grade is allowed and needs no override
        check_most_likely_allowed(judgement)
        assert judgement.allowed, "some grade is always allowed"


def check_explained(
    framework: FrameworkDef, code: str, grades: Mapping[str, str], judgement: Judgement
) -> None:
    order = list(judgement.scale.slugs)
    cited = {reason.rule_key for reason in judgement.reasons}
    if len(judgement.allowed) < len(order):
        assert any(rule.forbids and rule.key in cited for rule in framework.rules_for(code)), grades
    for option in judgement.options:
        if option.status == OptionStatus.ALLOWED:
            assert not option.reasons
            continue
        assert option.reasons, (grades, option.slug)
        for reason in option.reasons:
            assert RULE_ID_RE.match(reason.rule_id)
            assert reason.rule_key in cited
            assert reason.text
        if option.status == OptionStatus.FORBIDDEN:
            assert all(framework_rule(framework, r.rule_key).forbids for r in option.reasons)


def check_most_likely_allowed(judgement: Judgement) -> None:
    if judgement.most_likely is not None:
        assert judgement.most_likely.slug in judgement.allowed
        assert judgement.option(judgement.most_likely.slug).status == OptionStatus.ALLOWED
        assert [o.slug for o in judgement.options if o.status == OptionStatus.ALLOWED] == [
            judgement.most_likely.slug
        ]


def framework_rule(framework: FrameworkDef, key: str) -> Any:
    return next(rule for rule in framework.rules if rule.key == key)


def rule_inputs(framework: FrameworkDef) -> list[str]:
    codes: set[str] = set()
    for rule in framework.rules:
        codes |= rule_aspects(rule)
    return sorted(codes, key=[a.code for a in framework.aspects].index)


def exhaustive(framework: FrameworkDef) -> dict[tuple[int, ...], tuple[int, int | None]]:
    """Evaluate every combination; return (best allowed, most likely) positions by combination."""
    codes = rule_inputs(framework)
    scales = [framework.scale_of(code).slugs for code in codes]
    outcomes = {}
    for combination in itertools.product(*(range(len(s)) for s in scales)):
        grades = {
            code: scales[i][level]
            for i, (code, level) in enumerate(zip(codes, combination, strict=True))
        }
        result = evaluate(framework, grades)
        check_invariants(framework, grades, result)
        oe = result.judgements["OE"]
        outcomes[combination] = (
            oe.best_allowed.position,
            None if oe.most_likely is None else oe.most_likely.position,
        )
    return outcomes


def check_monotone(outcomes: dict[tuple[int, ...], tuple[int, int | None]]) -> None:
    for combination, (best, likely) in outcomes.items():
        for i, level in enumerate(combination):
            if level == 0:
                continue
            better = (*combination[:i], level - 1, *combination[i + 1 :])
            better_best, better_likely = outcomes[better]
            assert better_best <= best, (combination, better)
            if likely is not None and better_likely is not None:
                assert better_likely <= likely, (combination, better)


@pytest.mark.rule("JG-3")
@pytest.mark.rule("JG-4")
@pytest.mark.rule("JG-5")
@pytest.mark.parametrize("slug", CIF)
@pytest.mark.parametrize("hard", [False, True], ids=["as-published", "hard-limits"])
def test_every_combination_of_the_grades_the_rules_read(slug: str, hard: bool) -> None:
    framework = strict(slug) if hard else shipped(slug)
    assert rule_inputs(framework) == ["CI", "A", "A3", "B", "C", "C3", "C4"]
    outcomes = exhaustive(framework)
    assert len(outcomes) == 4**7
    # every complete combination gets a most likely grade (JG-4 or JG-5 always applies)
    assert all(likely is not None for _, likely in outcomes.values())
    check_monotone(outcomes)
    narrowed = sum(best > 0 for best, _ in outcomes.values())
    if hard:
        assert narrowed > 0, "hard limits must forbid something"
    else:
        assert narrowed == 0, "as published, the CIF's limits warn and never forbid"


def _grades_strategy(framework: FrameworkDef) -> st.SearchStrategy[dict[str, str]]:
    """Any subset of the graded aspects, each with any level of its scale."""
    return st.fixed_dictionaries(
        {},
        optional={
            aspect.code: st.sampled_from(framework.scale_of(aspect.code).slugs)
            for aspect in framework.graded_aspects
        },
    )


_FRAMEWORKS = {
    (slug, hard): strict(slug) if hard else shipped(slug) for slug in CIF for hard in (False, True)
}


@pytest.mark.rule("JG-3")
@given(data=st.data())
@settings(max_examples=300, deadline=None)
def test_partial_grades_keep_the_invariants(data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(_FRAMEWORKS)))
    framework = _FRAMEWORKS[key]
    grades = data.draw(_grades_strategy(framework))
    check_invariants(framework, grades, evaluate(framework, grades))


# Random frameworks in the same vocabulary ------------------------------------------------

LEVELS = ["l1", "l2", "l3", "l4"]
INPUTS = ["P", "Q", "R"]


def _grade_condition(op: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda aspects, match, level: {"aspects": aspects, "match": match, op: level},
        st.lists(st.sampled_from(INPUTS), min_size=1, max_size=3, unique=True),
        st.sampled_from(["any", "all"]),
        st.sampled_from(LEVELS),
    )


def _condition(op: str) -> st.SearchStrategy[dict[str, Any]]:
    """Conditions built from one comparison: grade_at_most for limits, at_least for ladders."""
    return st.recursive(
        _grade_condition(op),
        lambda inner: st.builds(
            lambda name, parts: {name: parts},
            st.sampled_from(["all", "any"]),
            st.lists(inner, min_size=1, max_size=3),
        ),
        max_leaves=4,
    )


@st.composite
def random_rule(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(list(RuleKind.values)))
    rule: dict[str, Any] = {
        "key": f"r{index}",
        "id": f"JG-{draw(st.integers(1, 9))}",
        "kind": kind,
        "target": "OUT",
        "explanation": f"Rule {index}.",
    }
    if kind == RuleKind.LIMIT:
        cap = draw(st.integers(0, 3))
        rule |= {
            "when": draw(_condition("grade_at_most")),
            "max_grade": LEVELS[cap],
            "strength": draw(st.sampled_from(list(Strength.values))),
        }
        if draw(st.booleans()):
            rule["likely"] = LEVELS[draw(st.integers(cap, 3))]
    elif kind == RuleKind.LIKELY:
        rule |= {"when": draw(_condition("grade_at_most")), "likely": draw(st.sampled_from(LEVELS))}
    else:
        # A ladder covers every complete set of grades (its last step always holds), as the
        # CIF's does together with JG-4; otherwise a grade could start a ladder that
        # suggests worse than another rule did.
        grades = sorted(draw(st.lists(st.integers(0, 2), max_size=3, unique=True)))
        rule["steps"] = [
            *(
                {
                    "grade": LEVELS[g],
                    "when": draw(_condition("grade_at_least")),
                    "explanation": "S.",
                }
                for g in grades
            ),
            {
                "grade": LEVELS[3],
                "when": {"aspects": INPUTS, "match": "all", "grade_at_least": LEVELS[3]},
                "explanation": "Every aspect is graded.",
            },
        ]
    return rule


@st.composite
def random_framework(draw: st.DrawFn) -> FrameworkDef:
    count = draw(st.integers(0, 6))
    document = {
        "format": 1,
        "slug": "random",
        "name": "Random",
        "version": "1.0",
        "valid_from": "2026-01-01",
        "applies_to": {"event_kinds": ["full_inspection"]},
        "scales": [
            {
                "slug": "s",
                "name": "Scale",
                "levels": [
                    {"slug": level, "label": level.upper(), "value": i + 1, "definition": "x"}
                    for i, level in enumerate(LEVELS)
                ],
            }
        ],
        "aspects": [
            {"code": "OUT", "title": "Outcome", "scale": "s", "kind": "derived"},
            *({"code": c, "title": c, "scale": "s", "kind": "main"} for c in INPUTS),
        ],
        "rules": [draw(random_rule(i)) for i in range(count)],
    }
    return parse_framework(document)


@pytest.mark.rule("JG-1")
@given(
    framework=random_framework(),
    grades=st.fixed_dictionaries({c: st.integers(0, 3) for c in INPUTS}),
    improve=st.sampled_from(INPUTS),
)
@settings(max_examples=200, deadline=None)
def test_any_framework_in_the_vocabulary_keeps_the_invariants(
    framework: FrameworkDef, grades: dict[str, int], improve: str
) -> None:
    worse = {code: LEVELS[level] for code, level in grades.items()}
    result = evaluate(framework, worse)
    check_invariants(framework, worse, result)
    if grades[improve] == 0:
        return
    better = worse | {improve: LEVELS[grades[improve] - 1]}
    improved = evaluate(framework, better)
    check_invariants(framework, better, improved)
    before, after = result.judgements["OUT"], improved.judgements["OUT"]
    assert after.best_allowed.position <= before.best_allowed.position
    if before.most_likely is not None and after.most_likely is not None:
        assert after.most_likely.position <= before.most_likely.position
