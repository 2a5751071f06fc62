from __future__ import annotations

from datetime import timedelta

from django import forms

from inspectorate.api.models import TokenScope
from inspectorate.api.services import DEFAULT_LIFETIME
from inspectorate.inspectors.constants import Organisation


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="What will use it, for example 'Ofsted management information'.",
        required=False,  # the service names what is missing
        max_length=100,
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
    organisations = forms.MultipleChoiceField(
        label="Only events these organisations take part in (optional)",
        choices=Organisation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lifetime = forms.TypedChoiceField(
        label="When it expires",
        choices=[
            ("30", "In 30 days"),
            ("90", "In 90 days"),
            ("180", "In 180 days"),
            ("365", "In a year"),
        ],
        initial="90",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select when the token expires"},
    )

    def expires_in(self) -> timedelta:
        days = self.cleaned_data.get("lifetime")
        return timedelta(days=days) if days else DEFAULT_LIFETIME
