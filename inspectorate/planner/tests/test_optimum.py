"""On tiny instances the model's optimum is the brute force's: every week and every team
tried, each plan checked and scored by checker.py, the best kept."""

from __future__ import annotations

import pytest

from inspectorate.planner import checker
from inspectorate.planner.greedy import greedy
from inspectorate.planner.model import JOINT, OPTIMAL, WEEKS_THEN_TEAMS, solve
from inspectorate.planner.tests.builders import brute_force, random_tiny, with_draft

SEEDS = range(8)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_optimum_is_the_brute_force_best(seed):
    instance = random_tiny(seed)
    if seed % 2:  # half of them re-plan against a draft: the greedy plan
        instance = with_draft(instance, greedy(instance).plan)
    best, _ = brute_force(instance)
    result = solve(instance, time_limit=20, method=JOINT)
    assert best is not None
    assert result.status == OPTIMAL
    assert result.score == best
    assert result.plan is not None
    assert checker.violations(instance, result.plan) == []
    assert checker.score(instance, result.plan).total == best


@pytest.mark.parametrize("seed", SEEDS)
def test_weeks_then_teams_is_never_better_than_the_optimum(seed):
    instance = random_tiny(seed)
    best, _ = brute_force(instance)
    result = solve(instance, time_limit=20, method=WEEKS_THEN_TEAMS)
    assert result.plan is not None
    assert checker.violations(instance, result.plan) == []
    assert best is not None
    assert result.score is not None
    assert result.score >= best
    assert result.bound is not None
    assert result.bound <= result.score


@pytest.mark.parametrize("seed", SEEDS)
def test_greedy_is_never_better_than_the_optimum(seed):
    instance = random_tiny(seed)
    best, _ = brute_force(instance)
    found = greedy(instance)
    assert found.complete
    assert checker.violations(instance, found.plan) == []
    assert best is not None
    assert checker.score(instance, found.plan).total >= best
