"""Forms for the inspectors' screens: the list filters, leave, conflicts, vetting."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms.boundfield import BoundField

from inspectorate.estate.models import Establishment, Provider
from inspectorate.inspectors.constants import (
    Clearance,
    DbsLevel,
    DbsStatus,
    Grade,
    Organisation,
    Region,
    Specialism,
    UnavailabilityKind,
)
from inspectorate.lib.form_fields import single_choice_field


def _any(label: str, choices: Any) -> list[tuple[str, str]]:
    return [("", label), *[(str(value), str(text)) for value, text in choices.choices]]


class InspectorFilterForm(forms.Form):
    """The list's GET filters; an unknown value is reported and ignored."""

    organisation = forms.ChoiceField(
        choices=_any("All organisations", Organisation), required=False
    )
    grade = forms.ChoiceField(choices=_any("All grades", Grade), required=False)
    region = forms.ChoiceField(
        label="Home region", choices=_any("All regions", Region), required=False
    )
    specialism = forms.ChoiceField(choices=_any("All specialisms", Specialism), required=False)
    dbs_status = forms.ChoiceField(
        label="DBS status", choices=_any("Any DBS status", DbsStatus), required=False
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {
                name: value
                for name, value in self.cleaned_data.items()
                if name not in self.errors and value
            }
        return {name: value for name, value in self.cleaned_data.items() if value}


# GOV.UK date input: three boxes, day, month and year ------------------------------------


class DateParts(forms.MultiWidget):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        text = forms.TextInput
        super().__init__(widgets={"day": text, "month": text, "year": text}, attrs=attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""  # the error summary links to the day box


class DateBoundField(BoundField):
    @property
    def parts(self) -> list[str]:
        """The day, month and year as typed (or as stored, on a fresh form)."""
        value = self.value()
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple):
            return [str(part or "") for part in value]
        return ["", "", ""]


class GovukDateField(forms.MultiValueField):
    widget = DateParts
    bound_field_class = DateBoundField

    def __init__(self, *, label: str, what: str, required: bool = True, **kwargs: Any) -> None:
        self.what = what  # e.g. "the date the leave starts"
        nul = f"{what.removeprefix('the ').capitalize()} must not contain a null character"
        parts = [
            forms.CharField(required=False, error_messages={"null_characters_not_allowed": nul})
            for _ in range(3)
        ]
        super().__init__(
            fields=parts,
            require_all_fields=False,
            required=required,
            label=label,
            error_messages={"required": f"Enter {what}", "incomplete": f"Enter {what}"},
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name
            for name, part in zip(("day", "month", "year"), (day, month, year), strict=True)
            if not part
        ]
        subject = self.what.removeprefix("the ").capitalize()
        if missing:
            raise forms.ValidationError(f"{subject} must include a {' and a '.join(missing)}")
        if len(year) != 4 or not year.isdigit():
            raise forms.ValidationError(f"The year of {self.what} must be 4 numbers")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{subject} must be a real date") from None


def optional_date(label: str, what: str, help_text: str) -> GovukDateField:
    """A date that may be left empty, with a hint saying what leaving it empty means."""
    return GovukDateField(label=label, what=what, required=False, help_text=help_text)


# Leave and other unavailability ---------------------------------------------------------


class UnavailabilityForm(forms.Form):
    kind = single_choice_field(
        "What kind of unavailability is it?",
        choices=UnavailabilityKind.choices,
        required_message="Select what kind of unavailability it is",
        radio=True,
    )
    starts_on = GovukDateField(label="First day", what="the first day")
    ends_on = GovukDateField(label="Last day", what="the last day")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        error_messages={"max_length": "The note must be 500 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last day must be the same as or after the first day")
        return data


# Conflicts of interest ------------------------------------------------------------------


class ConflictForm(forms.Form):
    establishment = forms.ModelChoiceField(
        label="Establishment",
        queryset=Establishment.objects.order_by("name"),
        required=False,
        empty_label="Not an establishment",
        help_text="Choose an establishment or a provider, not both.",
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.order_by("name"),
        required=False,
        empty_label="Not a provider",
    )
    starts_on = GovukDateField(label="From", what="the date the conflict starts")
    ends_on = optional_date(
        "To (optional)", "the date the conflict ends", "Leave empty if it still applies."
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the conflict of interest"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        establishment, provider = data.get("establishment"), data.get("provider")
        if "establishment" not in self.errors and "provider" not in self.errors:
            if establishment and provider:
                self.add_error(
                    "establishment", "Choose either an establishment or a provider, not both"
                )
            elif not establishment and not provider:
                self.add_error("establishment", "Choose the establishment or the provider")
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return data


# Vetting --------------------------------------------------------------------------------


class VettingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    dbs_level = single_choice_field(
        "DBS check",
        choices=DbsLevel.choices,
        required_message="Select the level of the DBS check",
        radio=True,
    )
    dbs_checked_on = optional_date(
        "DBS check date",
        "the date of the DBS check",
        "A check with a new date is added to the inspector's history of checks; the earlier "
        "ones are kept, for the events they covered.",
    )
    dbs_renewal_due_on = optional_date(
        "DBS renewal date",
        "the DBS renewal date",
        "The check is valid up to and including this day.",
    )
    clearance = single_choice_field(
        "Security clearance",
        choices=Clearance.choices,
        required_message="Select the security clearance held",
        radio=True,
    )
