"""Fixed cases for the CIF's rules: limiting grades, inadequate conditions, grade ladder."""

from __future__ import annotations

import pytest

from inspectorate.frameworks.constants import OptionStatus
from inspectorate.frameworks.engine import GradeError, describe_rule, evaluate
from inspectorate.frameworks.tests.conftest import shipped, strict

CIF_2009 = shipped("cif-2009")
CIF_2012 = shipped("cif-2012")

GOOD = {"CI": "good", "A": "good", "B": "good", "C": "good", "C3": "good", "C4": "good"}
OUTSTANDING = GOOD | {"A": "outstanding", "B": "outstanding", "C": "outstanding"}


def oe(grades: dict[str, str], framework=CIF_2009):
    return evaluate(framework, grades).judgements["OE"]


def statuses(judgement) -> dict[str, str]:
    return {option.slug: option.status for option in judgement.options}


def cited(judgement) -> set[str]:
    return {reason.rule_id for reason in judgement.reasons}


@pytest.mark.rule("JG-3")
@pytest.mark.parametrize(
    ("code", "words"),
    [("C3", "Safeguarding"), ("C4", "Equality and diversity"), ("A3", "Feeling safe")],
)
def test_an_inadequate_limiting_grade_makes_overall_effectiveness_likely_inadequate(
    code, words
) -> None:
    judgement = oe(OUTSTANDING | {code: "inadequate"})
    assert judgement.most_likely.slug == "inadequate"
    assert statuses(judgement) == {
        "outstanding": OptionStatus.WARNING,  # most unlikely better than satisfactory
        "good": OptionStatus.WARNING,
        "satisfactory": OptionStatus.WARNING,  # allowed, but the rule says likely inadequate
        "inadequate": OptionStatus.ALLOWED,
    }
    assert judgement.forbidden == (), "'most unlikely' warns; it does not forbid"
    good = judgement.option("good")
    assert "JG-3" in good.rule_ids
    assert any(
        words in reason.text and "better than satisfactory" in reason.text
        for reason in good.reasons
    )


@pytest.mark.rule("JG-3")
@pytest.mark.parametrize("code", ["C3", "C4", "A3"])
def test_a_satisfactory_limiting_grade_makes_better_than_good_most_unlikely(code) -> None:
    judgement = oe(OUTSTANDING | {code: "satisfactory"})
    # the grade characteristics alone would make it outstanding (JG-5); the limit caps it
    assert judgement.most_likely.slug == "good"
    assert statuses(judgement)["outstanding"] == OptionStatus.WARNING
    assert judgement.option("outstanding").rule_ids[0] == "JG-3"
    assert statuses(judgement)["good"] == OptionStatus.ALLOWED
    assert {"JG-3", "JG-5"} <= cited(judgement)


@pytest.mark.rule("JG-3")
def test_good_limiting_grades_limit_nothing() -> None:
    judgement = oe(OUTSTANDING)
    assert judgement.most_likely.slug == "outstanding"
    assert "JG-3" not in cited(judgement)
    assert statuses(judgement)["outstanding"] == OptionStatus.ALLOWED


@pytest.mark.rule("JG-3")
def test_a_hard_limit_forbids_and_says_why() -> None:
    judgement = oe(OUTSTANDING | {"C3": "inadequate"}, framework=strict("cif-2009"))
    assert judgement.forbidden == ("outstanding", "good")
    assert judgement.allowed == ("satisfactory", "inadequate")
    assert judgement.option("good").rule_ids == ("JG-3",)
    assert judgement.option("satisfactory").status == OptionStatus.WARNING


@pytest.mark.rule("JG-4")
@pytest.mark.parametrize("code", ["CI", "B", "A", "C", "C3", "C4"])
def test_any_key_aspect_inadequate_makes_overall_effectiveness_likely_inadequate(code) -> None:
    judgement = oe(GOOD | {code: "inadequate"})
    assert judgement.most_likely.slug == "inadequate"
    assert "JG-4" in cited(judgement)
    assert "JG-4" in judgement.option("satisfactory").rule_ids
    assert judgement.option("inadequate").status == OptionStatus.ALLOWED


@pytest.mark.rule("JG-4")
def test_other_questions_inadequate_do_not_trigger_jg4() -> None:
    judgement = oe(GOOD | {"B1": "inadequate", "C7": "inadequate"})
    assert "JG-4" not in cited(judgement)
    assert judgement.most_likely.slug == "good"


@pytest.mark.rule("JG-5")
@pytest.mark.parametrize(
    ("outcomes", "provision", "leadership", "likely"),
    [
        ("outstanding", "good", "good", "outstanding"),
        ("outstanding", "good", "satisfactory", "good"),  # only one of B and C good
        ("good", "satisfactory", "good", "good"),
        ("good", "outstanding", "satisfactory", "good"),
        ("good", "satisfactory", "satisfactory", "satisfactory"),
        ("satisfactory", "outstanding", "outstanding", "satisfactory"),  # outcomes hold it back
        ("outstanding", "satisfactory", "satisfactory", "satisfactory"),
    ],
)
def test_grade_characteristics_for_overall_effectiveness(
    outcomes, provision, leadership, likely
) -> None:
    judgement = oe(GOOD | {"A": outcomes, "B": provision, "C": leadership})
    assert judgement.most_likely.slug == likely
    assert "JG-5" in cited(judgement)
    better = [o for o in judgement.options if o.level.position < judgement.most_likely.position]
    for option in better:
        assert option.status == OptionStatus.WARNING
        assert "JG-5" in option.rule_ids


@pytest.mark.rule("JG-5")
def test_without_the_main_grades_no_grade_is_suggested() -> None:
    judgement = oe({"C3": "good"})
    assert judgement.most_likely is None
    assert judgement.reasons == ()
    assert all(option.status == OptionStatus.ALLOWED for option in judgement.options)


@pytest.mark.rule("JG-2")
def test_the_2012_scale_says_requires_improvement() -> None:
    scale = CIF_2012.scale("grade")
    assert [level.label for level in scale.levels] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    assert [level.value for level in scale.levels] == [1, 2, 3, 4]
    assert [level.label for level in CIF_2009.scale("grade").levels][2] == "Satisfactory"
    judgement = oe(OUTSTANDING | {"C4": "inadequate"}, framework=CIF_2012)
    assert any("better than requires improvement" in r.text for r in judgement.reasons)
    limited = oe(OUTSTANDING | {"C4": "requires_improvement"}, framework=CIF_2012)
    assert limited.most_likely.slug == "good"


@pytest.mark.rule("JG-2")
def test_the_2012_variant_has_the_same_structure_and_rules() -> None:
    assert [a.code for a in CIF_2012.aspects] == [a.code for a in CIF_2009.aspects]
    assert [(r.rule_id, r.kind, r.target) for r in CIF_2012.rules] == [
        (r.rule_id, r.kind, r.target) for r in CIF_2009.rules
    ]
    for grades in (GOOD, OUTSTANDING | {"C3": "inadequate"}):
        assert oe(grades, CIF_2012).most_likely.position == oe(grades).most_likely.position


def test_rules_are_described_in_plain_english() -> None:
    rule = next(r for r in CIF_2009.rules if r.key == "safeguarding-inadequate")
    assert describe_rule(rule, CIF_2009) == (
        "If safeguarding (C3) is graded inadequate, overall effectiveness is most unlikely to "
        "be better than satisfactory; it is likely to be inadequate."
    )
    ladder = next(r for r in CIF_2009.rules if r.rule_id == "JG-5")
    assert describe_rule(ladder, CIF_2009).startswith(
        "Overall effectiveness is likely to be outstanding when quality of provision (B) and "
        "leadership and management (C) are both graded at least good"
    )


@pytest.mark.parametrize(
    ("grades", "message"),
    [
        ({"ZZ": "good"}, "has no aspect 'ZZ'"),
        ({"C3": "excellent"}, "'excellent' is not a grade"),
        ({"OE": "good"}, "is derived"),
    ],
)
def test_grades_that_do_not_fit_the_framework_are_refused(grades, message) -> None:
    with pytest.raises(GradeError, match=message):
        evaluate(CIF_2009, grades)


@pytest.mark.rule("JG-5")
@pytest.mark.rule("JG-4")
def test_why_never_says_likely_outstanding_beside_likely_inadequate() -> None:
    """Issue 22: JG-5's 'likely outstanding' stood beside JG-4's 'likely inadequate'."""
    judgement = oe(OUTSTANDING | {"CI": "inadequate"})
    assert judgement.most_likely.slug == "inadequate"
    why = {reason.rule_id: reason.text for reason in judgement.reasons}
    assert "likely to be inadequate" in why["JG-4"]
    assert "likely to be outstanding" not in why["JG-5"]
    assert why["JG-5"].startswith("On its own this rule would suggest outstanding")
    assert why["JG-5"].endswith("JG-4 overrides it, so the most likely grade is inadequate.")


@pytest.mark.rule("JG-5")
def test_why_keeps_the_ladder_text_when_it_gives_the_most_likely_grade() -> None:
    judgement = oe(OUTSTANDING)
    assert judgement.most_likely.slug == "outstanding"
    why = {reason.rule_id: reason.text for reason in judgement.reasons}
    assert why["JG-5"].endswith("so overall effectiveness is likely to be outstanding.")
