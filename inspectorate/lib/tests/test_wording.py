"""The wording helpers: counts with nouns, labels inside a sentence (issue 22)."""

from __future__ import annotations

from typing import cast

import pytest
from django import forms
from django.template import Context, Template
from django.utils.html import escape

from inspectorate.lib.wording import count_noun, lower_first
from inspectorate.planner.forms import PlanRequestForm


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 minutes"), (1, "1 minute"), (2, "2 minutes")]
)
def test_a_count_takes_the_noun_in_the_right_number(count: int, expected: str) -> None:
    assert count_noun(count, "minute") == expected


@pytest.mark.parametrize(("count", "expected"), [(0, "0 people"), (1, "1 person"), (2, "2 people")])
def test_an_irregular_plural_is_given(count: int, expected: str) -> None:
    assert count_noun(count, "person", "people") == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 themes"), (1, "one theme"), (2, "two themes"), (12, "12 themes")],
)
def test_published_documents_spell_small_numbers(count: int, expected: str) -> None:
    assert count_noun(count, "theme", words=True) == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 minutes"), (1, "1 minute"), (2, "2 minutes")]
)
def test_the_counted_filter(count: int, expected: str) -> None:
    rendered = Template('{{ n|counted:"minute" }}/{{ n|counted:"person,people" }}').render(
        Context({"n": count})
    )
    assert rendered == f"{expected}/{count_noun(count, 'person', 'people')}"


def test_the_planner_offers_1_minute_not_1_minutes() -> None:
    """Issue 22: the planner's time limits read '1 minutes'."""
    field = PlanRequestForm.base_fields["time_limit"]
    assert isinstance(field, forms.ChoiceField)
    labels = [str(label) for _, label in cast(list[tuple[str, str]], field.choices)]
    assert "1 minute" in labels
    assert "2 minutes" in labels
    assert not any(label.startswith("1 ") and label.endswith("s") for label in labels)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Full inspection", "full inspection"),
        (
            "Ofsted report on education, skills and work",
            "Ofsted report on education, skills and work",
        ),
        ("Estyn inspection", "Estyn inspection"),
        ("HMI Prisons team leader", "HMI Prisons team leader"),
        ("IRP report", "IRP report"),
        ("His Majesty's Inspector (Ofsted)", "His Majesty's Inspector (Ofsted)"),
        ("Requires improvement", "requires improvement"),
        ("", ""),
    ],
)
def test_a_label_inside_a_sentence_keeps_names_and_acronyms(label: str, expected: str) -> None:
    assert lower_first(label) == expected
    assert Template("{{ label|inline }}").render(Context({"label": label})) == escape(expected)


def test_an_unknown_count_prints_nothing_rather_than_failing_the_page() -> None:
    """A PDF not yet counted has page_count None: the filter must not raise."""
    rendered = Template('[{{ n|counted:"page" }}]').render(Context({"n": None}))
    assert rendered == "[]"
