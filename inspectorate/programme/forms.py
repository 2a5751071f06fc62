"""Forms for the programme screens: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms

from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import Organisation
from inspectorate.inspectors.forms import GovukDateField, optional_date
from inspectorate.lib.form_fields import single_choice_field
from inspectorate.lib.listing import ListFilterForm, establishment_field
from inspectorate.lib.wording import lower_first
from inspectorate.programme.constants import (
    OFSTED_RECORDED_KINDS,
    EducationJudgement,
    EventKind,
    EventStatus,
)
from inspectorate.programme.models import Event
from inspectorate.programme.selectors import EventFilters


def _reason(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    name = label.removesuffix(" (optional)")
    what = lower_first(name) if name.startswith("Your ") else f"the {lower_first(name)}"
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea,
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{name} must be 2000 characters or fewer",
            "null_characters_not_allowed": f"{name} must not contain a null character",
        },
    )


class ProgrammeCreateForm(forms.Form):
    year = forms.IntegerField(
        label="Year the programme starts",
        help_text="Programmes run from April to March: for April 2027 to March 2028, enter 2027",
        error_messages={
            "required": "Enter the year the programme starts",
            "invalid": "Year must be a whole number, such as 2027",
        },
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgrammeConfirmForm(VersionForm):
    confirmed_on = GovukDateField(
        label="Date confirmed", what="the date the programme was confirmed"
    )
    override_reason = _reason(
        "Reason for confirming despite the warnings",
        help_text="Needed when the programme is confirmed with warnings (PG-2, PG-14): "
        "kept with the programme.",
    )


class ConsultationResponseForm(forms.Form):
    resourcing_confirmed = forms.TypedChoiceField(
        label="Does Ofsted have the resourcing for this programme?",
        choices=[
            ("yes", "Yes, the resourcing is confirmed"),
            ("no", "No, we cannot resource it as drafted"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you have the resourcing for the programme",
            "invalid_choice": "Select whether you have the resourcing for the programme",
        },
    )
    comment = _reason(
        "Comment",
        help_text="Needed when you cannot resource the programme: say what stands in the way.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConsultationChallengeForm(forms.Form):
    event = single_choice_field(
        "Event you are challenging",
        required_message="Select the event you are challenging",
        invalid_message="Select the event you are challenging from the list",
    )
    text = _reason("Your challenge", required=True, help_text="What should change, and why.")

    def __init__(self, *args: Any, events: list[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [  # type: ignore[attr-defined]
            ("", "Select an event"),
            *((str(e.pk), str(e)) for e in events),
        ]


class ChallengeAnswerForm(forms.Form):
    answer = _reason("Your answer", required=True)


class ProgrammeEventFilterForm(ListFilterForm):
    """The programme page's list of events."""

    establishment = establishment_field()
    kind = forms.ChoiceField(label="Kind of event", choices=[("", "All kinds"), *EventKind.choices])
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *EventStatus.choices])


class EventFilterForm(forms.Form):
    """The calendar's GET filters; a value that is not an option is ignored, never an error."""

    q = forms.CharField(label="Establishment name or code", required=False, max_length=200)
    organisation = forms.ChoiceField(label="Organisation", required=False)
    inspector = forms.ChoiceField(label="Inspector", required=False)
    kind = forms.ChoiceField(label="Kind of event", required=False)

    def __init__(self, *args: Any, inspectors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "All organisations"),
            *Organisation.choices,
        ]
        self.fields["inspector"].choices = [  # type: ignore[attr-defined]
            ("", "All inspectors"),
            *((str(pk), name) for pk, name in inspectors),
        ]
        self.fields["kind"].choices = [("", "All kinds"), *EventKind.choices]  # type: ignore[attr-defined]

    def filters(self) -> EventFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        inspector = data.get("inspector") or ""
        return EventFilters(
            organisation=data.get("organisation") or "",
            inspector=int(inspector) if inspector.isdigit() else None,
            kind=data.get("kind") or "",
            q=(data.get("q") or "").strip(),
        )

    def query(self) -> str:
        """The filters as a query string, for the CSV link."""
        filters = self.filters()
        pairs = {
            "q": filters.q,
            "organisation": filters.organisation,
            "inspector": str(filters.inspector or ""),
            "kind": filters.kind,
        }
        return urlencode({key: value for key, value in pairs.items() if value})


def _establishment_choices(*, closed_too: bool = False) -> list[tuple[str, str]]:
    """The establishments to choose from: open ones, or (for history) every one."""
    establishments = (
        Establishment.objects.all() if closed_too else Establishment.objects.filter(status="open")
    )
    rows = establishments.order_by("name").values_list("code", "name")
    return [("", "Select an establishment"), *((code, f"{name} ({code})") for code, name in rows)]


def _follow_up_choices(follow_ups: list[Event]) -> list[tuple[str, str]]:
    """The full inspections an IRP may follow up, as choices."""
    return [
        ("", "None"),
        *((str(e.pk), f"{e.establishment.name}, from {e.starts_on:%-d %B %Y}") for e in follow_ups),
    ]


def _event_kind_field(**kwargs: Any) -> forms.ChoiceField:
    return single_choice_field(
        "Kind of event",
        required_message="Select the kind of event",
        invalid_message="Select a kind of event from the list",
        radio=True,
        **kwargs,
    )


def _establishment_field(**kwargs: Any) -> forms.ChoiceField:
    return single_choice_field(
        "Establishment",
        required_message="Select the establishment",
        invalid_message="Select an establishment from the list",
        **kwargs,
    )


def _end_date_field(help_text: str) -> GovukDateField:
    return optional_date(
        "End date (optional for a full inspection or IRP)", "the end date", help_text
    )


def _follows_up_field() -> forms.ChoiceField:
    return single_choice_field(
        "Inspection followed up (IRPs)",
        required=False,
        invalid_message="Select the inspection followed up from the list",
    )


def _education_week_reason() -> forms.CharField:
    return _reason(
        "Reason for another education week",
        help_text="Needed when the education week is not the second week (PG-9).",
    )


def _dates_override_reason() -> forms.CharField:
    return _reason(
        "Reason for going ahead despite the warning",
        help_text="Needed when the dates break a rule that normally applies (WD-1, WD-2).",
    )


class EventScheduleForm(forms.Form):
    kind = _event_kind_field()
    establishment = _establishment_field()
    starts_on = GovukDateField(label="Start date", what="the start date")
    ends_on = _end_date_field(
        "A full inspection ends on the Friday of its second week and an IRP after "
        "three days, unless you enter another end date."
    )
    education_week_starts_on = optional_date(
        "Education week (full inspections, optional)",
        "the Monday of the education week",
        "Ofsted or Estyn attends the second week, normally. Enter another Monday only if HMI "
        "Prisons has agreed it.",
    )
    education_week_reason = _education_week_reason()
    follows_up = _follows_up_field()
    previous_education_judgement = single_choice_field(
        "Education, skills and work judgement at that inspection (IRPs)",
        required=False,
        help_text="Ofsted, or Estyn in Wales, takes part in an IRP when it was inadequate or "
        "requires improvement (PG-8).",
        invalid_message="Select the judgement from the list",
    )
    notes = _reason("Notes (optional)")
    override_reason = _dates_override_reason()

    def __init__(self, *args: Any, user: Any, follow_ups: list[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [
            (value, label)
            for value, label in EventKind.choices
            if user.has_perm("programme.schedule_event", value)
        ]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["establishment"].choices = _establishment_choices()  # type: ignore[attr-defined]
        self.fields["follows_up"].choices = _follow_up_choices(follow_ups)  # type: ignore[attr-defined]
        self.fields["previous_education_judgement"].choices = [  # type: ignore[attr-defined]
            ("", "Not known"),
            *EducationJudgement.choices,
        ]
        self.ofsted_only = {value for value, _ in kinds} <= OFSTED_RECORDED_KINDS


class EventMoveForm(VersionForm):
    starts_on = GovukDateField(label="New start date", what="the new start date")
    ends_on = optional_date(
        "New end date (optional)", "the new end date", "Leave empty to keep the event's length."
    )
    education_week_starts_on = optional_date(
        "Education week (optional)",
        "the Monday of the education week",
        "Leave empty to keep the education week in the same week of the inspection.",
    )
    education_week_reason = _education_week_reason()
    reason = _reason("Reason for the change (optional)", help_text="Shared with Ofsted.")
    override_reason = _dates_override_reason()


class EventCancelForm(VersionForm):
    reason = _reason("Reason for cancelling", required=True, help_text="Shared with Ofsted.")


class EventAnnounceForm(VersionForm):
    announced_on = optional_date(
        "Date announced",
        "the date the establishment is told",
        "Leave empty for today. From this date the establishment sees the event.",
    )
    override_reason = _reason(
        "Reason for announcing with less than three months' notice",
        help_text="An IRP is normally announced at least three months ahead.",
    )


class HistoricalEventForm(forms.Form):
    """An event that happened before it was recorded here (HI-1): the service validates."""

    kind = _event_kind_field(choices=EventKind.choices)
    establishment = _establishment_field(
        help_text="Closed establishments are listed too: history may be theirs."
    )
    starts_on = GovukDateField(label="Start date", what="the start date")
    ends_on = _end_date_field(
        "Before today. A full inspection ended on the Friday of its second week and "
        "an IRP after three days, unless you enter another end date."
    )
    follows_up = _follows_up_field()
    education_inspectorate = single_choice_field(
        "Education inspectorate taking part",
        choices=[
            (
                "",
                "As usual: Ofsted in England, Estyn in Wales at a full inspection; none at an IRP",
            ),
            ("ofsted", "Ofsted"),
            ("estyn", "Estyn"),
            ("none", "None"),
        ],
        required=False,
        invalid_message="Select the education inspectorate from the list",
    )
    source = forms.CharField(
        label="Where this record comes from",
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example the published report and its date, or the file it was kept in. "
        "It is shown with the event.",
        error_messages={
            "required": "Enter where this record comes from, such as the published report "
            "and its date",
            "max_length": "Where this record comes from must be 2000 characters or fewer",
        },
    )
    notes = _reason("Notes (optional)")

    def __init__(self, *args: Any, follow_ups: list[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _establishment_choices(closed_too=True)
        self.fields["establishment"].choices = choices  # type: ignore[attr-defined]
        self.fields["follows_up"].choices = _follow_up_choices(follow_ups)  # type: ignore[attr-defined]

    @staticmethod
    def education(data: dict[str, Any]) -> str | None:
        """The education inspectorate for the service: None for 'as usual', '' for none."""
        value = data.get("education_inspectorate") or ""
        return None if value == "" else "" if value == "none" else value
