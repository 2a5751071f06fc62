"""Forms of the report's editable parts (part_views.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from inspectorate.inspections.constants import FollowUpKind
from inspectorate.inspections.models import FollowUp, Recommendation
from inspectorate.lib.form_errors import name_the_field
from inspectorate.lib.form_fields import text_area
from inspectorate.reports.forms import TEXT_MAX, VersionForm

MONTHS = [
    (str(n), f"{month}")
    for n, month in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
]


class SignatureForm(VersionForm):
    signatory = forms.CharField(
        label="Chief Inspector's name",
        max_length=200,
        required=False,
        help_text="Signs the summary. Leave blank for the current Chief Inspector.",
    )
    month = forms.TypedChoiceField(
        label="Month of the report", choices=MONTHS, coerce=int, help_text="Shown under it."
    )
    year = forms.IntegerField(
        label="Year of the report",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Enter the year of the report",
            "invalid": "The year of the report must be 4 numbers",
            "min_value": "The year of the report must be 2000 or later",
            "max_value": "The year of the report must be 2100 or earlier",
        },
    )


class AboutForm(VersionForm):
    text = text_area(
        "About this report",
        max_length=TEXT_MAX,
        required=False,
        help_text="One paragraph per blank-line-separated block. Leave blank for the default "
        "wording. The definitions of the judgement scales follow it.",
    )


class GlossaryEntryForm(forms.Form):
    term = forms.CharField(label="Term", max_length=200, required=False)
    definition = text_area("Definition", max_length=2000, required=False)


def _entries_formset(
    entry_form: type[forms.Form], *, name: str, at_most: str, extra: int
) -> type[forms.BaseFormSet]:
    """A list of up to 200 entries, its refusals worded for the `name` of the list."""

    class EntriesFormSet(forms.BaseFormSet):
        default_error_messages = {
            "missing_management_form": f"The {name} form was sent incomplete: open the page again",
            "too_many_forms": at_most,
        }

    return forms.formset_factory(
        entry_form, formset=EntriesFormSet, extra=extra, max_num=200, validate_max=True
    )


GlossaryFormSet = _entries_formset(
    GlossaryEntryForm,
    name="glossary",
    at_most="The glossary can have at most %(num)d terms",
    extra=3,
)


class TeamEntryForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    position = forms.IntegerField(
        label="Position",
        min_value=1,
        max_value=999,
        required=False,
        error_messages={"invalid": "The position must be a whole number, such as 1"},
    )
    name = forms.CharField(label="Name", max_length=200, required=False)
    role = forms.CharField(label="Role", max_length=200, required=False)
    remove = forms.BooleanField(label="Remove from the list", required=False)


TeamFormSet = _entries_formset(
    TeamEntryForm, name="team", at_most="The team list can have at most %(num)d people", extra=0
)


class ItemsForm(forms.Form):
    """One group of fields per follow-up item: a recommendation's area; a theme's paragraph
    reference and the recommendations it came from. Each carries its record's version."""

    def __init__(
        self,
        *args: Any,
        items: list[FollowUp],
        sources: list[Recommendation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [(str(r.pk), f"{r.paragraph_reference}: {r.text[:90]}") for r in sources]
        for item in items:
            self.fields[f"version_{item.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False
            )
            if item.kind == FollowUpKind.RECOMMENDATION:
                self.fields[f"area_{item.pk}"] = forms.CharField(
                    label="Area",
                    max_length=300,
                    required=False,
                    help_text="The section of the full inspection report it came from, such "
                    "as 'Safety'.",
                )
            else:
                self.fields[f"reference_{item.pk}"] = forms.CharField(
                    label="Paragraph reference", max_length=20, required=False
                )
                self.fields[f"sources_{item.pk}"] = forms.TypedMultipleChoiceField(
                    label="The recommendations it came from",
                    choices=choices,
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
        for name, field in self.fields.items():  # made here, so not named at start-up
            name_the_field(name, field)

    def groups(self) -> list[dict[str, Any]]:
        """The item and its bound fields, for the template."""
        return [
            {
                "item": item,
                "fields": [
                    self[name]
                    for name in (f"area_{item.pk}", f"reference_{item.pk}", f"sources_{item.pk}")
                    if name in self.fields
                ],
                "version": self[f"version_{item.pk}"],
            }
            for item in self.items
        ]
