"""The planner's forms: they parse input; the services validate and write."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from inspectorate.lib.wording import count_noun, lower_first
from inspectorate.planner.constants import DEFAULT_TIME_LIMIT, TIME_LIMITS
from inspectorate.planner.instance import Weights
from inspectorate.planner.selectors import SCORE_LABELS, programme_mondays
from inspectorate.programme.models import Event, Programme

WEIGHT_HELP = {
    "lateness": "per week an event starts outside its due window",
    "balance": "per week an inspector is on site above their fair share",
    "region": "per place filled from outside the establishment's region",
    "understaffing": "per team place left empty",
    "moved": "per event moved from its week in the draft",
    "reassigned": "per inspector taken off an event they had in the draft",
}


def christmas_mondays(programme: Programme) -> list[date]:
    """The Mondays of the weeks holding 25 December and 1 January: closed by default."""
    days = (date(programme.year, 12, 25), date(programme.year + 1, 1, 1))
    return [day - timedelta(days=day.weekday()) for day in days]


def _duration(seconds: int) -> str:
    if seconds < 60:
        return count_noun(seconds, "second")
    return count_noun(seconds // 60, "minute")


class PlanRequestForm(forms.Form):
    time_limit = forms.TypedChoiceField(
        label="How long the planner may search",
        choices=[(str(s), _duration(s)) for s in TIME_LIMITS],
        coerce=int,
        initial=str(DEFAULT_TIME_LIMIT),
        error_messages={"required": "Choose how long the planner may search"},
    )
    closed_weeks = forms.MultipleChoiceField(
        label="Closed weeks",
        help_text="No event is on site in these weeks (for example Christmas).",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fixed_events = forms.MultipleChoiceField(
        label="Events to keep in their week",
        help_text="Events already decided: the planner keeps their dates and their teams' members.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, programme: Programme, events: list[Event], **kwargs: Any):
        super().__init__(*args, **kwargs)
        mondays = programme_mondays(programme)
        closed = self.fields["closed_weeks"]
        fixed = self.fields["fixed_events"]
        assert isinstance(closed, forms.MultipleChoiceField)
        assert isinstance(fixed, forms.MultipleChoiceField)
        closed.choices = [(monday.isoformat(), f"Week of {monday:%-d %B %Y}") for monday in mondays]
        closed.initial = [m.isoformat() for m in christmas_mondays(programme)]
        fixed.choices = [
            (
                str(event.pk),
                f"{event.get_kind_display()} of {event.establishment.name}, "
                f"{event.starts_on:%-d %B %Y}",
            )
            for event in events
        ]
        defaults = Weights()
        for name, label in SCORE_LABELS.items():
            self.fields[f"weight_{name}"] = forms.IntegerField(
                label=f"Weight: {lower_first(label)}",
                help_text=f"Points {WEIGHT_HELP[name]}.",
                min_value=0,
                max_value=10_000,
                initial=getattr(defaults, name),
                error_messages={
                    "required": "Enter a weight, a whole number from 0 to 10000",
                    "invalid": "Weights are whole numbers from 0 to 10000",
                    "min_value": "Weights are whole numbers from 0 to 10000",
                    "max_value": "Weights are whole numbers from 0 to 10000",
                },
            )

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{name}"] for name in SCORE_LABELS]

    def parameters(self) -> dict[str, Any]:
        """What the service is asked for (form.is_valid() first)."""
        data = self.cleaned_data
        return {
            "time_limit": data["time_limit"],
            "closed_weeks": list(data["closed_weeks"]),
            "fixed_events": [int(pk) for pk in data["fixed_events"]],
            "weights": {name: data[f"weight_{name}"] for name in SCORE_LABELS},
        }
