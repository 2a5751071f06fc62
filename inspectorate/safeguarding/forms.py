from __future__ import annotations

from django import forms

from inspectorate.lib.form_fields import single_choice_field, text_area
from inspectorate.lib.listing import ListFilterForm, date_field, establishment_field
from inspectorate.safeguarding.constants import AlertKind, AlertStatus

TEXT_MAX = 5000


class AlertFilterForm(ListFilterForm):
    establishment = establishment_field()
    kind = forms.ChoiceField(
        label="Kind",
        choices=[
            ("", "Any kind"),
            *((value, label.split(":")[0]) for value, label in AlertKind.choices),
        ],
    )
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *AlertStatus.choices])
    raised_from = date_field("Raised from")


class AlertForm(forms.Form):
    kind = single_choice_field(
        "What is it about?",
        choices=AlertKind.choices,
        required_message="Select what the alert is about",
        radio=True,
    )
    summary = text_area(
        "What did you see or hear?",
        max_length=TEXT_MAX,
        help_text="Who, what and when, in a few lines. The team leader will follow it up.",
        error_messages={"required": "Say what you saw or were told"},
    )
    where = forms.CharField(label="Where (optional)", required=False, max_length=200)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ActionForm(forms.Form):
    text = text_area("What was done", max_length=TEXT_MAX)


class CloseForm(VersionForm):
    outcome = text_area("Outcome", max_length=TEXT_MAX)
