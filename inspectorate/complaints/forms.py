from __future__ import annotations

from typing import Any

from django import forms

from inspectorate.complaints.constants import Stage, Status
from inspectorate.lib.listing import ListFilterForm, date_field, establishment_field

TEXT_MAX = 10000


class ComplaintFilterForm(ListFilterForm):
    establishment = establishment_field()
    stage = forms.ChoiceField(label="Stage", choices=[("", "Any stage"), *Stage.choices])
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *Status.choices])
    raised_from = date_field("Raised from")
    raised_to = date_field("Raised until")


class RaiseForm(forms.Form):
    complainant = forms.CharField(label="Your name and role", max_length=200)
    concern = forms.CharField(label="Your concern", widget=forms.Textarea, max_length=TEXT_MAX)


class TextForm(forms.Form):
    """One action's text, with the version the page was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    text = forms.CharField(label="Text", widget=forms.Textarea, max_length=TEXT_MAX)

    def __init__(self, *args: object, label: str = "Text", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["text"].label = label


class ReplyForm(TextForm):
    resolved = forms.BooleanField(label="The concern is resolved", required=False)


class RespondForm(TextForm):
    review_route = forms.CharField(
        label="How to ask for a review (CP-1)", widget=forms.Textarea, max_length=TEXT_MAX
    )

    def __init__(
        self, *args: Any, route_label: str = "How to ask for a review (CP-1)", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_route"].label = route_label
