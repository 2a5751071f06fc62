"""Forms for the fieldwork pages. They parse what was typed; the services apply the rules.

Every change form carries the version it was opened at (hidden). The choices (the team,
the framework aspects, the grades, the observations) come from the selectors, so a form
offers only what the service will accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms.boundfield import BoundField

from inspectorate.accounts.models import User
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.inspections.constants import EvidenceSource, MeetingKind, ObservationKind
from inspectorate.inspections.fieldwork.selectors import AspectChoices, TeamUser
from inspectorate.inspections.models import Observation
from inspectorate.inspectors.forms import GovukDateField
from inspectorate.lib.form_fields import choice_of, single_choice_field
from inspectorate.lib.overrides import AsksForReason
from inspectorate.lib.wording import lower_first


def _text(label: str, *, required: bool = False, max_length: int = 5000, **kw: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea,
        error_messages={
            "required": f"Enter the {lower_first(label)}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kw,
    )


def _kind_field(record: str, choices: Any = ()) -> Any:
    """Radios of the kinds of `record` (the choices may be set when the form is made)."""
    return single_choice_field(
        f"Kind of {record}",
        choices=choices,
        required_message=f"Select the kind of {record}",
        invalid_message=f"Select the kind of {record}",
        radio=True,
    )


class SelectBoundField(BoundField):
    @property
    def option_groups(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """The options as (group label, [(value, label, selected)]); the label is empty for
        options outside any group. Templates cannot tell a group from an option."""
        value = self.value()
        chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
        groups: list[tuple[str, list[tuple[str, str, bool]]]] = []
        for key, label in self.field.choices:  # type: ignore[attr-defined]
            if isinstance(label, list | tuple):
                options = [(str(v), str(text), str(v) in chosen) for v, text in label]
                groups.append((str(key), options))
            else:
                groups.append(("", [(str(key), str(label), str(key) in chosen)]))
        return groups


class SelectField(forms.TypedChoiceField):
    """A select of whole-number keys (records), rendered with option groups."""

    bound_field_class = SelectBoundField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        super().__init__(**kwargs)


class FieldworkForm(AsksForReason):
    """What every fieldwork form shares: the version (empty when recording something new)
    and, once a 'normally' rule has warned, the reason for going ahead."""

    reason_prompt = "Enter why this should be recorded despite the warning"

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    override_reason = _text(
        "Why this should be recorded despite the warning",
        max_length=2000,
        help_text="This is recorded with it.",
    )

    @property
    def shows_override(self) -> bool:
        return self.needs_override or bool(self.data.get("override_reason"))


class _Attendees:
    """Attendees: checkboxes of the team's users; the cleaned value is a list of users."""

    def _set_team(self, team: Sequence[TeamUser]) -> None:
        self.team = {row.user.pk: row.user for row in team}
        field = self.fields["attendees"]  # type: ignore[attr-defined]
        field.choices = [(str(row.user.pk), f"{row.name}, {row.role_label}") for row in team]

    def clean_attendees(self) -> list[User]:
        data: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        return [self.team[int(pk)] for pk in data.get("attendees") or []]


# The briefing (IN-1) --------------------------------------------------------------------------


class BriefingForm(_Attendees, FieldworkForm):
    held_on = GovukDateField(label="Date of the briefing", what="the date of the briefing")
    attendees = forms.MultipleChoiceField(
        label="Who attended",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The Ofsted lead inspector and the HMI Prisons team leader (IN-1).",
        error_messages={"invalid_choice": "Choose attendees from the event's team"},
    )
    notes = _text("Notes (optional)", help_text="What was agreed, and the lines of enquiry.")

    def __init__(self, *args: Any, team: Sequence[TeamUser], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_team(team)


# Evidence forms (IN-7) ------------------------------------------------------------------------


class EvidenceEntryForm(FieldworkForm):
    """One evidence form. The aspect comes first: tagging it is one choice in one list."""

    aspect = SelectField(
        label="Aspect the evidence bears on",
        error_messages={
            "required": "Choose the aspect the evidence bears on",
            "invalid_choice": "Choose an aspect from the list",
        },
    )
    source = single_choice_field(
        "Where the evidence comes from",
        choices=EvidenceSource.choices,
        required_message="Select where the evidence comes from",
        invalid_message="Select where the evidence comes from",
        radio=True,
    )
    evidence_on = GovukDateField(label="Date of the evidence", what="the date of the evidence")
    observation = SelectField(
        label="Observation it comes from (optional)",
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose an observation from the list"},
    )
    text = _text("Evidence", required=True, max_length=20000)

    def __init__(
        self,
        *args: Any,
        aspects: AspectChoices,
        observations: Sequence[Observation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.aspects = aspects.by_pk
        self.observations = {observation.pk: observation for observation in observations}
        choice_of(self, "aspect").choices = [
            ("", "Choose an aspect"),
            *aspects.choices(),
        ]
        choice_of(self, "observation").choices = [
            ("", "None"),
            *(
                (
                    o.pk,
                    f"{o.activity}, {o.observed_on:%-d %B} ({lower_first(o.get_kind_display())})",
                )
                for o in observations
            ),
        ]
        self.fields["text"].error_messages["required"] = "Enter the evidence"

    def clean_aspect(self) -> Aspect:
        return self.aspects[self.cleaned_data["aspect"]]

    def clean_observation(self) -> Observation | None:
        pk = self.cleaned_data.get("observation")
        return self.observations[pk] if pk else None


class EvidenceFilterForm(forms.Form):
    """The evidence list's GET filters; a value that is not an option is ignored."""

    aspect = SelectField(label="Aspect", required=False, empty_value=None)
    author = SelectField(label="Author", required=False, empty_value=None)

    def __init__(self, data: Any, *, aspects: AspectChoices, authors: Sequence[User]) -> None:
        super().__init__(data)
        choice_of(self, "aspect").choices = [("", "All aspects"), *aspects.choices()]
        choice_of(self, "author").choices = [
            ("", "Everyone"),
            *((user.pk, str(user)) for user in authors),
        ]

    def filters(self) -> dict[str, int]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data[name]
            for name in ("aspect", "author")
            if name not in self.errors and data.get(name)
        }


# Observations (IN-8) --------------------------------------------------------------------------


class ObservationForm(FieldworkForm):
    kind = _kind_field("observation")
    activity = forms.CharField(
        label="Session or activity observed",
        max_length=200,
        help_text="For example, Level 1 English.",
        error_messages={
            "required": "Enter the session or activity observed",
            "max_length": "The session or activity must be 200 characters or fewer",
        },
    )
    location = forms.CharField(
        label="Where (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Where must be 200 characters or fewer"},
    )
    observed_on = GovukDateField(
        label="Date of the observation", what="the date of the observation"
    )
    duration_minutes = forms.IntegerField(
        label="How long it lasted, in minutes",
        min_value=1,
        max_value=480,
        help_text="A short focused observation lasts about 15 minutes.",
        error_messages={
            "required": "Enter how many minutes the observation lasted",
            "invalid": "Enter how many minutes the observation lasted, as a whole number",
            "min_value": "Enter how many minutes the observation lasted, from 1 to 480",
            "max_value": "Enter how many minutes the observation lasted, from 1 to 480",
        },
    )
    grade = SelectField(
        label="Grade",
        required=False,
        empty_value=None,
        help_text="Formal observations are graded; short focused ones never are.",
        error_messages={"invalid_choice": "Choose a grade from the list"},
    )
    provider_observer = forms.CharField(
        label="Provider's observer (joint observations)",
        max_length=200,
        required=False,
        help_text="At a joint observation the provider's observer gives the feedback.",
        error_messages={"max_length": "The observer's name must be 200 characters or fewer"},
    )
    feedback = _text(
        "Feedback given",
        help_text="Formal: your feedback to the person observed. Joint: the feedback the "
        "provider's observer gave. Short focused: none.",
    )

    def __init__(self, *args: Any, levels: Sequence[Level], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = {level.pk: level for level in levels}
        choice_of(self, "kind").choices = ObservationKind.choices
        choice_of(self, "grade").choices = [
            ("", "Not graded"),
            *((level.pk, level.label) for level in levels),
        ]

    def clean_grade(self) -> Level | None:
        pk = self.cleaned_data.get("grade")
        return self.levels[pk] if pk else None


# Meetings (IN-3, IN-4) ------------------------------------------------------------------------


class MeetingForm(_Attendees, FieldworkForm):
    kind = _kind_field("meeting", MeetingKind.choices)
    held_on = GovukDateField(label="Date of the meeting", what="the date of the meeting")
    attendees = forms.MultipleChoiceField(
        label="Team members who attended",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose attendees from the event's team"},
    )
    others_present = _text(
        "Others present (optional)",
        max_length=2000,
        help_text="People who are not on the team, for example the governor or prison staff.",
    )
    notes = _text("Notes (optional)")

    def __init__(self, *args: Any, team: Sequence[TeamUser], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_team(team)
