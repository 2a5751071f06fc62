"""Forms for the estate screens: they parse input; the services validate and write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from inspectorate.estate.constants import (
    EstablishmentKind,
    EstablishmentStatus,
    Nation,
    ProviderService,
    Region,
    SecurityCategory,
)
from inspectorate.estate.models import Establishment, ProviderContract
from inspectorate.estate.selectors import EstablishmentFilters, LastJudgement
from inspectorate.lib.form_fields import single_choice_field
from inspectorate.lib.models import attributes
from inspectorate.lib.wording import lower_first

ANY = ("", "Any")


class DateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes named <name>_day, _month, _year."""

    def __init__(self) -> None:
        super().__init__(
            {"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()}
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else ""


class DateField(forms.MultiValueField):
    """A date from the GOV.UK day, month and year boxes, with messages naming the field."""

    widget = DateWidget

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        parts = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(
            parts,
            label=label,
            required=required,
            require_all_fields=False,
            error_messages={"required": f"Enter the {lower_first(label)}"},
            **kwargs,
        )

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(f"{self.label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise forms.ValidationError(
                f"{self.label} must be a real date, with a 4-digit year, such as 1 4 2019"
            )
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.label} must be a real date") from None


def _choice(
    label: str, choices: Any, *, required: bool = True, help_text: str = ""
) -> forms.ChoiceField:
    options = list(choices)
    if not required:
        options = [("", "Not set"), *options]
    return single_choice_field(
        label,
        choices=options,
        required=required,
        help_text=help_text,
        required_message=f"Select the {lower_first(label)}",
        invalid_message=f"Select a {lower_first(label)} from the list",
    )


def _whole_number(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages={"invalid": f"{label} must be a whole number, such as 12"},
    )


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {lower_first(label)}",
            "max_length": f"{label} must be 200 characters or fewer",
        },
    )


class EstablishmentFilterForm(forms.Form):
    """The list's GET filters; a value that is not an option is ignored, never an error."""

    q = forms.CharField(label="Name or code", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", required=False)
    nation = forms.ChoiceField(label="Nation", required=False)
    operator = forms.ChoiceField(label="Operator", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    last_judgement = forms.ChoiceField(label="Last judgement", required=False)

    def __init__(self, *args: Any, operators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = {
            "kind": EstablishmentKind.choices,
            "nation": Nation.choices,
            "operator": operators,
            "region": Region.choices,
            "status": EstablishmentStatus.choices,
            "last_judgement": LastJudgement.choices,
        }
        for name, choices in options.items():
            self.fields[name].choices = [ANY, *choices]  # type: ignore[attr-defined]

    def filters(self) -> EstablishmentFilters:
        self.is_valid()
        cleaned = self.cleaned_data
        return EstablishmentFilters(
            **{name: (cleaned.get(name) or "").strip() for name in self.fields}
        )


class EstablishmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = _text("Name", required=True)
    kind = _choice("Kind", EstablishmentKind.choices)
    function = _text("Function", help_text="For example, Category B local prison")
    nation = _choice(
        "Nation",
        Nation.choices,
        help_text="Selects the bank holidays and the education inspectorate: Ofsted or Estyn",
    )
    region = _choice("Region", Region.choices, required=False)
    security_category = _choice("Security category", SecurityCategory.choices, required=False)
    max_inspectors_on_site = _whole_number(
        "On-site maximum",
        "The most inspectors the site can take at once. Leave empty if not agreed",
    )
    probation_group = _whole_number("Probation group", "Probation areas only: 1, 2, 3 or 4")
    operator = _text(
        "Operator", help_text="The contractor running it. Leave empty for public sector"
    )
    operator_company_number = forms.CharField(
        label="Company number",
        required=False,
        max_length=8,
        help_text="The operator's Companies House number, such as 02984969",
        error_messages={"max_length": "Company number must be 8 characters, such as 02984969"},
    )
    status = _choice("Status", EstablishmentStatus.choices)
    opened_on = DateField(label="Opening date", required=False)
    closed_on = DateField(label="Closing date", required=False)

    @classmethod
    def for_establishment(cls, establishment: Establishment) -> EstablishmentForm:
        initial = attributes(establishment, *cls.base_fields)
        return cls(initial=initial)


class ContractForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    provider_name = _text(
        "Provider",
        required=True,
        help_text="The provider's name as on the contract; a provider not yet known is added",
    )
    service = _choice("Service", ProviderService.choices)
    contract_name = _text("Contract", help_text="For example, Prison Education Framework")
    starts_on = DateField(label="Start date")
    ends_on = DateField(label="End date", required=False)

    @classmethod
    def for_contract(cls, contract: ProviderContract) -> ContractForm:
        return cls(
            initial={
                "version": contract.version,
                "provider_name": contract.provider.name,
                "service": contract.service,
                "contract_name": contract.contract_name,
                "starts_on": contract.starts_on,
                "ends_on": contract.ends_on,
            }
        )
