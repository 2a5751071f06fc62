"""The grade calculator's form, built from a framework definition, and the change form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from inspectorate.estate.models import Establishment
from inspectorate.frameworks.constants import EventKind, OptionStatus
from inspectorate.frameworks.definition import AspectDef, FrameworkDef
from inspectorate.frameworks.engine import Judgement
from inspectorate.frameworks.services import choice_field, grade_field, reason_field
from inspectorate.lib.form_fields import choice_of, single_choice_field
from inspectorate.lib.form_views import apply_errors
from inspectorate.lib.wording import lower_first

NOT_GRADED = ""


@dataclass(frozen=True)
class AspectGroup:
    root: AspectDef
    fields: list[tuple[AspectDef, forms.BoundField]]


def _descendants(definition: FrameworkDef, code: str) -> list[AspectDef]:
    found: list[AspectDef] = []
    for child in definition.children_of(code):
        found.append(child)
        found.extend(_descendants(definition, child.code))
    return found


class CalculatorForm(forms.Form):
    """Aspect grades (one select per aspect), the event, and a choice per derived judgement."""

    title = forms.CharField(
        label="Name of this assessment (optional)",
        required=False,
        max_length=200,
        help_text="For example 'HMP Leeds, May 2026'.",
    )
    event_kind = single_choice_field(
        "What kind of event is being graded?",
        choices=EventKind.choices,
        radio=True,
        required=False,  # needed to save, not to calculate: the service asks for it
    )
    establishment = forms.ModelChoiceField(
        label="Establishment (optional)",
        queryset=Establishment.objects.none(),
        required=False,
        empty_label="Not chosen",
        error_messages={"invalid_choice": "Choose an establishment from the list"},
    )

    def __init__(
        self, *args: Any, definition: FrameworkDef, establishments: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.fields["establishment"].queryset = establishments  # type: ignore[attr-defined]
        self.fields["event_kind"].help_text = "This framework is used at: " + ", ".join(
            lower_first(EventKind(kind).label) for kind in definition.event_kinds
        )
        if len(definition.event_kinds) == 1:
            self.fields["event_kind"].initial = definition.event_kinds[0]
        for aspect in definition.graded_aspects:
            scale = definition.scale(aspect.scale)
            self.fields[grade_field(aspect.code)] = single_choice_field(
                f"{aspect.code} {aspect.title}",
                choices=[(NOT_GRADED, "Not graded"), *((lv.slug, lv.label) for lv in scale.levels)],
                required=False,
                help_text=aspect.question,
                invalid_message=f"Choose a grade for {lower_first(aspect.title)} from the list",
            )
        for aspect in definition.derived_aspects:
            scale = definition.scale(aspect.scale)
            self.fields[choice_field(aspect.code)] = single_choice_field(
                f"Your grade for {lower_first(aspect.title)}",
                choices=[(lv.slug, lv.label) for lv in scale.levels],
                required=False,
                invalid_message=f"Choose a grade for {lower_first(aspect.title)} from the list",
                radio=True,
            )
            self.fields[reason_field(aspect.code)] = forms.CharField(
                label=f"Reason for overriding the rules on {lower_first(aspect.title)}",
                help_text=(
                    "Needed only when your grade is one the rules warn about. "
                    "Only an Ofsted lead inspector or HMI Prisons team leader can override."
                ),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def grades(self) -> dict[str, str]:
        """The aspect grades entered (aspect code → level slug); empty ones left out."""
        return {
            aspect.code: self.cleaned_data[grade_field(aspect.code)]
            for aspect in self.definition.graded_aspects
            if self.cleaned_data.get(grade_field(aspect.code))
        }

    def choices(self) -> dict[str, str]:
        return {
            aspect.code: self.cleaned_data.get(choice_field(aspect.code), "")
            for aspect in self.definition.derived_aspects
        }

    def reasons(self) -> dict[str, str]:
        return {
            aspect.code: self.cleaned_data.get(reason_field(aspect.code), "")
            for aspect in self.definition.derived_aspects
        }

    def aspect_groups(self) -> list[AspectGroup]:
        """The aspect fields grouped under each top-level aspect, in framework order."""
        groups = []
        graded = {aspect.code for aspect in self.definition.graded_aspects}
        for root in self.definition.children_of(None):
            members = [root, *_descendants(self.definition, root.code)]
            fields = [(a, self[grade_field(a.code)]) for a in members if a.code in graded]
            if fields:
                groups.append(AspectGroup(root, fields))
        return groups

    def derived_fields(self) -> list[tuple[AspectDef, forms.BoundField, forms.BoundField]]:
        return [
            (a, self[choice_field(a.code)], self[reason_field(a.code)])
            for a in self.definition.derived_aspects
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's refusal on the fields it names, or above the form."""
        apply_errors(self, error)


class DecisionChangeForm(forms.Form):
    """Change the grade chosen for one derived judgement (override with a reason)."""

    level = single_choice_field("New grade", required_message="Choose the new grade", radio=True)
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the rules warn about the grade you choose.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, judgement: Judgement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = choice_of(self, "level")
        level.choices = [
            (option.slug, option.level.label)
            for option in judgement.options
            if option.status != OptionStatus.FORBIDDEN
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """The service names choice_<code> or reason_<code>; show them on level or reason."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error("level", message)
            return
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error("reason" if name.startswith("reason_") else "level", message)
