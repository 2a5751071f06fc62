from __future__ import annotations

from typing import Any

from django import forms

from inspectorate.inspectors.forms import GovukDateField
from inspectorate.lib.form_fields import single_choice_field, text_area
from inspectorate.lib.listing import ListFilterForm, establishment_field
from inspectorate.reports.constants import CommentOutcome, ReportKind, ReportStage

TEXT_MAX = 20000


class ReportFilterForm(ListFilterForm):
    establishment = establishment_field()
    stage = forms.ChoiceField(label="Stage", choices=[("", "Any stage"), *ReportStage.choices])
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *ReportKind.choices])


class VersionForm(forms.Form):
    """A step with nothing to fill in but the version the page was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class CreateForm(forms.Form):
    kind = forms.ChoiceField(choices=ReportKind.choices, widget=forms.HiddenInput)


class ReportForm(VersionForm):
    summary = text_area(
        "Summary",
        max_length=TEXT_MAX,
        required=False,
        help_text="The Chief Inspector's summary (IRP) or the findings summary.",
    )
    planned_publication_on = GovukDateField(
        label="Planned publication date",
        what="the planned publication date",
        required=False,
        help_text="The factual-accuracy deadline (RP-3) counts back from it.",
    )


class ReturnForm(VersionForm):
    reason = forms.CharField(label="What needs to change", widget=forms.Textarea)


class FactualAccuracyForm(VersionForm):
    due_on = GovukDateField(
        label="Comments due by",
        what="the date comments are due",
        help_text="The RP-3 deadline, before the planned publication date.",
    )


def _comment_field() -> Any:
    return text_area("Your comment", max_length=TEXT_MAX)


def _proposed_wording_field() -> Any:
    return text_area("Proposed wording (optional)", max_length=TEXT_MAX, required=False)


class CommentForm(forms.Form):
    paragraph = forms.ChoiceField(label="Paragraph", choices=())
    text = _comment_field()
    proposed_text = _proposed_wording_field()

    def __init__(self, *args: Any, paragraphs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["paragraph"]
        field.choices = [("", "Choose a paragraph"), *((p, p) for p in paragraphs)]


class CommentChangeForm(VersionForm):
    text = _comment_field()
    proposed_text = _proposed_wording_field()


class RespondForm(VersionForm):
    outcome = single_choice_field("Outcome", choices=CommentOutcome.choices, radio=True)
    response = text_area("Response", max_length=TEXT_MAX)


class PublicSearchForm(forms.Form):
    establishment = forms.CharField(label="Establishment", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Kind of report", required=False, choices=[("", "Any"), *ReportKind.choices]
    )
    year = forms.TypedChoiceField(
        label="Year published", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["year"]
        field.choices = [("", "Any"), *((year, str(year)) for year in years)]
