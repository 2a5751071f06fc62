"""Forms of the judgements page: record a judgement, moderate, correct after the
factual-accuracy check (JG-9)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from inspectorate.accounts.models import User
from inspectorate.frameworks.models import Level
from inspectorate.inspections.findings.forms import (
    TEXT_MAX,
    ProgressJudgementForm,
    VersionedForm,
    level_field,
    short_text,
)
from inspectorate.inspections.judgements.selectors import LevelChoice
from inspectorate.inspections.models import EvidenceForm
from inspectorate.lib.form_fields import choice_of, text_area
from inspectorate.lib.overrides import AsksForReason


def evidence_label(form: EvidenceForm) -> str:
    return (
        f"{form.aspect.code} · {form.evidence_on:%-d %B %Y}, {form.get_source_display()}, "
        f"{form.author}: {short_text(form.text)}"
    )


class JudgementForm(AsksForReason, ProgressJudgementForm):
    """A grade of a framework aspect: the progress form's fields with the engine's levels
    (forbidden ones left out) and a reason for going against the grading rules."""

    override_reason = text_area(
        "Reason for going against the grading rules",
        required=False,
        max_length=TEXT_MAX,
        help_text="Only needed when the rules say the grade chosen is unlikely (JG-3 to JG-5).",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        levels: Sequence[LevelChoice],
        evidence: Sequence[EvidenceForm],
        **kwargs: Any,
    ) -> None:
        allowed = [choice.level for choice in levels if not choice.forbidden]
        super().__init__(data, levels=allowed, evidence=evidence, **kwargs)
        level = choice_of(self, "level")
        cited = choice_of(self, "evidence")
        level.label = "Grade"
        level.error_messages["required"] = "Select a grade"
        cited.help_text = (
            "The evidence forms this judgement rests on (IN-7). Those tagged with this aspect "
            "are listed first."
        )
        cited.choices = [(str(item.pk), evidence_label(item)) for item in evidence]

    def reason_request(self, warnings: Sequence[str]) -> str:
        """The grading rules' warning, on the reason for going against them."""
        return f"{'; '.join(warnings)} Enter why, to go ahead."


class ModerateForm(VersionedForm):
    pass


class CorrectionForm(VersionedForm):
    level = level_field("Corrected grade", "Select the corrected grade")
    factual_error = text_area(
        "The factual error and its significant bearing on the grade",
        max_length=TEXT_MAX,
        error_messages={"required": "Describe the factual error (JG-9)"},
    )
    approved_by = forms.TypedChoiceField(
        label="Approved by (quality assurance)",
        coerce=int,
        error_messages={"required": "Choose who approved the correction (JG-9)"},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        levels: Sequence[LevelChoice],
        approvers: Sequence[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self._levels = {choice.level.pk: choice.level for choice in levels}
        self._approvers = {user.pk: user for user in approvers}
        level = choice_of(self, "level")
        approver = choice_of(self, "approved_by")
        level.choices = [(str(c.level.pk), c.level.label) for c in levels]
        approver.choices = [("", "Choose a reviewer")] + [
            (str(user.pk), user.get_full_name() or user.username) for user in approvers
        ]

    def clean_level(self) -> Level:
        return self._levels[self.cleaned_data["level"]]

    def clean_approved_by(self) -> User:
        return self._approvers[self.cleaned_data["approved_by"]]
