"""Forms of the improvement case pages. Each edit carries the record's version (hidden)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms.utils import ErrorDict

from inspectorate.improvement.constants import (
    SUPPORT_OPTIONS_BY_TRACK,
    CaseStatus,
    ContactKind,
    Track,
)
from inspectorate.inspectors.forms import GovukDateField
from inspectorate.lib.form_fields import choice_of, single_choice_field
from inspectorate.lib.listing import ListFilterForm, establishment_field
from inspectorate.lib.overrides import AsksForReason

TEXT_MAX = 5000
ACTION_ROWS = 3  # rows shown at first; "Add another action" adds one, up to MAX_ACTION_ROWS
MAX_ACTION_ROWS = 50


class CaseFilterForm(ListFilterForm):
    defaults = {"status": CaseStatus.OPEN}

    establishment = establishment_field()
    status = forms.ChoiceField(
        label="Status", choices=[*CaseStatus.choices, ("", "Open or closed")]
    )
    track = forms.ChoiceField(
        label="Track",
        choices=[
            ("", "Prisons and providers"),
            *((value, label.split(" (")[0]) for value, label in Track.choices),
        ],
    )


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class WarnsOnReason(AsksForReason):
    """A form whose reason field, when a 'normally' rule warns, carries the warning itself."""

    def reason_request(self, warnings: Sequence[str]) -> str:
        return f"{'; '.join(warnings)}."


class AssignForm(WarnsOnReason, VersionedForm):
    reason_field = "reason"
    hmi = forms.TypedChoiceField(
        label="Improvement HMI", coerce=int, error_messages={"required": "Choose the HMI"}
    )
    reason = forms.CharField(
        label="Reason, if they inspected the last or will inspect the next inspection (TM-4)",
        required=False,
        widget=forms.Textarea,
        max_length=TEXT_MAX,
    )

    def __init__(self, data: Any = None, *, people: list[Any], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = choice_of(self, "hmi")
        field.choices = [("", "Choose an improvement HMI")] + [
            (str(p.pk), p.get_full_name() or p.username) for p in people
        ]


class DetailsForm(VersionedForm):
    addressee = forms.CharField(
        label="Letters go to (the governor or director; the principal or chief executive)",
        required=False,
        max_length=200,
    )
    addressee_name = forms.CharField(
        label="Their name (optional)",
        help_text="For the letter's greeting, for example 'Dear Ian Blakeman'. Without a name "
        "the letter opens 'Dear Governor' (prisons) or 'Dear Principal' (FE).",
        required=False,
        max_length=200,
    )
    learning_provider = forms.CharField(label="Learning provider", required=False, max_length=200)
    funding_body = forms.CharField(label="Funding body", required=False, max_length=200)
    funding_body_email = forms.EmailField(label="Funding body e-mail", required=False)
    commissioning_head = forms.CharField(label="Commissioning head", required=False, max_length=200)
    commissioning_email = forms.EmailField(label="Commissioning head e-mail", required=False)


def action_rows_in(data: Any) -> int:
    """How many action rows the posted form had (ACTION_ROWS for a fresh form)."""
    try:
        rows = int((data or {}).get("action_rows", ACTION_ROWS))
    except (TypeError, ValueError):
        rows = ACTION_ROWS
    return min(max(rows, 1), MAX_ACTION_ROWS)


class ContactForm(WarnsOnReason):
    reason_field = "window_reason"
    kind = single_choice_field(
        "Kind of contact",
        choices=ContactKind.choices,
        required_message="Select the kind of contact",
        radio=True,
    )
    held_on = GovukDateField(label="Date", what="the date of the contact")
    notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea, max_length=TEXT_MAX
    )
    support = forms.MultipleChoiceField(
        label="Support and challenge agreed (SC-3)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_support = forms.CharField(
        label="Other support agreed (optional)", required=False, max_length=300
    )
    window_reason = forms.CharField(
        label="Reason the visit falls outside the usual window (SC-2)",
        required=False,
        widget=forms.Textarea,
        max_length=TEXT_MAX,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        track: str,
        rows: int = ACTION_ROWS,
        checked: bool = True,
        **kwargs: Any,
    ) -> None:
        """`rows` action rows (any number, SC-3); `checked=False` redisplays the values
        posted without checking them (adding a row is not a submission)."""
        super().__init__(data, **kwargs)
        self.rows = min(max(rows, 1), MAX_ACTION_ROWS)
        self.checked = checked
        support = choice_of(self, "support")
        support.choices = [(o.value, o.label) for o in SUPPORT_OPTIONS_BY_TRACK[Track(track)]]
        for row in range(1, self.rows + 1):
            self.fields[f"action_{row}"] = forms.CharField(
                label=f"Priority action {row}", required=False, max_length=TEXT_MAX
            )
            self.fields[f"owner_{row}"] = forms.CharField(
                label=f"Owner of action {row}", required=False, max_length=200
            )
            self.fields[f"due_on_{row}"] = GovukDateField(
                label=f"Timescale of action {row}",
                what=f"the date action {row} is due",
                required=False,
            )

    def full_clean(self) -> None:
        if self.checked:
            super().full_clean()
            return
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def action_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"action_{row}"], self[f"owner_{row}"], self[f"due_on_{row}"])
            for row in range(1, self.rows + 1)
        ]

    @property
    def may_add_row(self) -> bool:
        return self.rows < MAX_ACTION_ROWS


class ActionDoneForm(VersionedForm):
    done_on = GovukDateField(label="Date done", what="the date the action was done")


class LetterForm(VersionedForm):
    body = forms.CharField(label="Letter", widget=forms.Textarea, max_length=20000)


class NoteForm(VersionedForm):
    note = forms.CharField(label="Why", widget=forms.Textarea, max_length=TEXT_MAX)
