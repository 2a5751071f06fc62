"""Forms for the team pages: choose an inspector and a role, confirm an override."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from inspectorate.inspectors.constants import Organisation
from inspectorate.lib.form_fields import choice_of, single_choice_field
from inspectorate.lib.overrides import AsksForReason
from inspectorate.programme.teams.selectors import Candidate


class TeamFilterForm(forms.Form):
    """The add page's GET filter: one organisation's inspectors."""

    organisation = forms.ChoiceField(label="Organisation", required=False)

    def __init__(self, data: Any = None, *, organisations: Sequence[str]) -> None:
        super().__init__(data)
        field = choice_of(self, "organisation")
        field.choices = [("", "All organisations")] + [
            (value, Organisation(value).label) for value in organisations
        ]

    def chosen(self) -> str:
        if self.is_bound and self.is_valid():
            return str(self.cleaned_data["organisation"] or "")
        return ""


class TeamMemberForm(AsksForReason):
    """Add one member. The inspector may be any listed one, so that the service, not the
    form, explains why an unavailable inspector cannot join (naming the rule)."""

    reason_prompt = "Enter why the team should go ahead despite the warning"

    inspector = forms.TypedChoiceField(
        label="Inspector",
        coerce=int,
        error_messages={
            "required": "Select an inspector",
            "invalid_choice": "Select an inspector from the list",
        },
    )
    role = single_choice_field(
        "Role on the team",
        required_message="Select the role on the team",
        invalid_message="Select a role from the list",
    )
    override_reason = forms.CharField(
        label="Why the team should go ahead despite the warning",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="This is recorded with the team member and shown on the event page.",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        candidates: Sequence[Candidate],
        roles: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        inspector = choice_of(self, "inspector")
        role = choice_of(self, "role")
        inspector.choices = [("", "Choose an inspector")] + [
            (str(c.inspector.pk), c.inspector.name) for c in candidates
        ]
        role.choices = list(roles)
