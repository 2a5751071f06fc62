from __future__ import annotations

from django import forms

from inspectorate.api.models import TokenScope
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
