"""Every form's error messages name their field (GOV.UK): none keeps Django's anonymous
"This field is required." or "Select a valid choice."."""

from __future__ import annotations

from django import forms

import inspectorate
from inspectorate.lib.form_errors import DJANGO_INVALID_CHOICE, DJANGO_REQUIRED, form_classes
from inspectorate.planner.forms import PlanRequestForm
from inspectorate.reports.forms import CommentForm, RespondForm, ReturnForm


def test_no_form_keeps_a_message_that_does_not_name_its_field():
    found = list(form_classes(inspectorate))
    assert len(found) > 40  # every forms module was walked
    anonymous = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in found
        for name, field in form.base_fields.items()  # type: ignore[attr-defined]
        if str(field.error_messages.get("required")) == DJANGO_REQUIRED
        or str(field.error_messages.get("invalid_choice")) == DJANGO_INVALID_CHOICE
    ]
    assert anonymous == []


def test_the_report_and_planner_forms_say_which_field_is_wrong():
    assert ReturnForm({"version": 1}).errors["reason"] == ["Enter what needs to change"]
    comment = CommentForm({"paragraph": "9.9"}, paragraphs=["1.1"])
    assert comment.errors["paragraph"] == ["Select paragraph from the list"]
    assert comment.errors["text"] == ["Enter your comment"]
    assert RespondForm({"version": 1}).errors["outcome"] == ["Select outcome"]


def test_a_message_a_form_writes_itself_is_kept():
    field = PlanRequestForm.base_fields["time_limit"]
    assert field.error_messages["required"] == "Choose how long the planner may search"
    assert isinstance(field, forms.ChoiceField)
