"""Milestone rules are data: the shipped file loads, and a bad entry is refused by name."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from inspectorate.programme.milestones import deadlines as milestones
from inspectorate.programme.milestones.deadlines import (
    DATA_FILE,
    Anchor,
    MilestoneRulesError,
    Unit,
    check_milestone_rules,
    parse_rules,
    read_rules_file,
)

RULES_MD = Path(__file__).resolve().parents[4] / "shared" / "RULES.md"


def shipped() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text())


def problems_of(document: Any) -> list[str]:
    with pytest.raises(MilestoneRulesError) as excinfo:
        parse_rules(document, source="test.json")
    return excinfo.value.problems


def test_the_shipped_rules_load_and_name_catalogue_rules() -> None:
    rules = read_rules_file(DATA_FILE)
    assert len(rules) == len(shipped()["rules"])
    codes = [rule.code for rule in rules]
    assert len(codes) == len(set(codes))
    if RULES_MD.exists():  # the catalogue sits beside the checkout
        catalogue = set(re.findall(r"^\| ([A-Z]{2,4}-[0-9]+) \|", RULES_MD.read_text(), re.M))
        assert {rule.rule_id for rule in rules} <= catalogue
    assert check_milestone_rules() == []


@pytest.mark.rule("WD-2")
def test_the_irp_window_is_data() -> None:
    window = milestones.rules_by_code()["irp_window"]
    assert window.anchor == Anchor.FOLLOWED_UP_END
    assert window.window_opens is not None
    assert (window.window_opens.amount, window.offset.amount) == (8, 12)
    assert window.offset.unit == Unit.CALENDAR_MONTHS


def test_a_bad_entry_is_named_with_its_place_code_and_field() -> None:
    document = shipped()
    document["rules"][9]["offset"]["unit"] = "fortnights"
    document["rules"][2]["strength"] = "sometimes"
    document["rules"][4]["event_kinds"] = ["full_inspection", "garden_party"]
    problems = problems_of(document)
    code9 = document["rules"][9]["code"]
    assert (
        f"rules[9] ({code9}): offset.unit 'fortnights' is not one of working_days, weeks, "
        "calendar_months, weekday" in problems
    )
    assert any(
        p.startswith(f"rules[2] ({document['rules'][2]['code']}): strength") for p in problems
    )
    assert any("event_kinds has 'garden_party'" in p for p in problems)
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.pop("anchor"), "anchor is missing"),
        (lambda r: r.update(anchor="lunch"), "anchor 'lunch' is not one of"),
        (lambda r: r.update(direction="sideways"), "direction 'sideways' is not one of"),
        (lambda r: r.update(role="caretaker"), "role 'caretaker' is not one of"),
        (lambda r: r.update(rule_id="rp1"), "rule_id 'rp1' is not a RULES.md ID"),
        (lambda r: r.update(colour="red"), "unknown field 'colour'"),
        (lambda r: r.update(offset={"amount": -2, "unit": "weeks"}), "offset.amount must be"),
        (
            lambda r: r.update(offset={"amount": 0, "unit": "weekday", "weekday": "funday"}),
            "offset.weekday 'funday' is not one of",
        ),
        (
            lambda r: r.update(
                offset={"amount": 0, "unit": "weekday", "weekday": "friday", "time": "25:00"}
            ),
            "offset.time '25:00' is not a time of day",
        ),
        (lambda r: r.update(met_when="sometime"), "met_when 'sometime' is not one of"),
        (
            lambda r: r.update(window_opens={"amount": 14, "unit": "calendar_months"}),
            "window_opens must be fewer months than the offset",
        ),
    ],
)
def test_each_kind_of_mistake_is_reported(change: Any, expected: str) -> None:
    document = shipped()
    rule = document["rules"][-2]  # the IRP window
    assert rule["code"] == "irp_window"
    change(rule)
    problems = problems_of(document)
    assert any(p.startswith("rules[") and expected in p for p in problems), problems
    assert all("(irp_window)" in p for p in problems)


def test_duplicate_codes_and_a_wrong_format_are_refused() -> None:
    document = shipped()
    document["rules"].append(copy.deepcopy(document["rules"][0]))
    document["format"] = 2
    problems = problems_of(document)
    last = len(document["rules"]) - 1
    assert f"rules[{last}] (pg5_ofsted_notified): code is already used by rules[0]" in problems
    assert "format must be 1 (got 2)" in problems
    assert problems_of([]) == ["the file must hold a JSON object"]


def test_a_broken_file_fails_the_system_check(tmp_path: Path, monkeypatch: Any) -> None:
    bad = tmp_path / "milestones.json"
    bad.write_text('{"format": 1, "rules": [}')
    monkeypatch.setattr(milestones, "DATA_FILE", bad)
    errors = check_milestone_rules()
    assert [error.id for error in errors] == ["programme.E001"]
    assert "not valid JSON" in errors[0].msg
    assert str(bad) in errors[0].msg
