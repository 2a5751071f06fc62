"""Forms for the findings pages and an IRP's follow-up. Each edit form carries the record's
`version` (hidden) so that a save over someone else's is refused, not lost."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from inspectorate.frameworks.models import Level
from inspectorate.inspections.constants import ConcernKind
from inspectorate.inspections.models import Concern, EvidenceForm, Recommendation
from inspectorate.lib.form_fields import choice_of, single_choice_field, text_area
from inspectorate.lib.overrides import AsksForReason
from inspectorate.lib.wording import lower_first

TEXT_MAX = 5000


def _recorded_reason(label: str, rule_id: str) -> Any:
    """An optional reason for going ahead, recorded on the inspection record."""
    return text_area(
        label,
        required=False,
        max_length=TEXT_MAX,
        help_text=f"Recorded on the inspection record ({rule_id}).",
    )


def _finding_text(label: str) -> Any:
    """The text of a finding, required."""
    return text_area(
        label, max_length=TEXT_MAX, error_messages={"required": f"Enter the {lower_first(label)}"}
    )


def _paragraph_reference(help_text: str, *, required: bool = False, **kwargs: Any) -> Any:
    """The number of the report paragraph a finding carries, as written."""
    return forms.CharField(
        label="Paragraph reference" if required else "Paragraph reference (optional)",
        required=required,
        max_length=20,
        help_text=help_text,
        **kwargs,
    )


def _ids_ticked(label: str, **kwargs: Any) -> Any:
    """Records chosen by ticking boxes, as their ids."""
    return forms.TypedMultipleChoiceField(
        label=label, required=False, coerce=int, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def level_field(label: str, required_message: str) -> Any:
    """A level of a scale chosen with radio buttons, as its id (`clean_level` returns it)."""
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def checked(self, name: str) -> set[str]:
        """The values of a multiple-choice field to show ticked: as submitted, else initial."""
        if self.is_bound:
            return set(self.data.getlist(name)) if hasattr(self.data, "getlist") else set()
        return {str(value) for value in self.initial.get(name) or []}


class ConcernForm(AsksForReason, VersionedForm):
    kind = single_choice_field(
        "Kind of concern", required_message="Select the kind of concern", radio=True
    )
    text = _finding_text("Concern")
    paragraph_reference = _paragraph_reference(
        "The paragraph it will carry in the report, for example 1.2"
    )
    override_reason = _recorded_reason("Why Ofsted names more than four key concerns", "IN-5")

    def __init__(self, data: Any = None, *, education: bool, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        choice_of(self, "kind").choices = [
            (kind.value, kind.label)
            for kind in ConcernKind
            if education or kind != ConcernKind.OFSTED_KEY
        ]


class RecommendationForm(VersionedForm):
    paragraph_reference = _paragraph_reference(
        "The paragraph it will carry in the report, for example 1.12",
        required=True,
        error_messages={"required": "Enter the paragraph reference, for example 1.12"},
    )
    text = _finding_text("Recommendation")
    concern = forms.TypedChoiceField(
        label="Concern it answers (optional)", required=False, coerce=int, empty_value=None
    )
    previous = forms.TypedChoiceField(
        label="Earlier recommendation it repeats (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Links the chain of recommendations across inspections.",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        concerns: Sequence[Concern],
        earlier: Sequence[Recommendation],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        choice_of(self, "concern").choices = [("", "None")] + [
            (str(c.pk), f"{c.get_kind_display()}: {short_text(c.text)}") for c in concerns
        ]
        choice_of(self, "previous").choices = [("", "None")] + [
            (
                str(r.pk),
                f"{r.event.starts_on:%B %Y}, {r.paragraph_reference}: {short_text(r.text)}",
            )
            for r in earlier
        ]


class PositivePracticeForm(VersionedForm):
    text = _finding_text("Notable positive practice")
    paragraph_link = forms.ChoiceField(
        label="The paragraph it refers to (optional)",
        required=False,
        help_text="The report prints this paragraph's number, however the numbering changes.",
    )
    paragraph_reference = _paragraph_reference(
        "Only when it cannot be linked above: the paragraph as written, for example 1.22"
    )

    def __init__(
        self, data: Any = None, *, paragraphs: Sequence[tuple[Any, int, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        if not paragraphs:  # not a review: there is nothing to link to
            del self.fields["paragraph_link"]
            return
        numbered: dict[int, int] = {}
        choices = [("", "None")]
        for item, index, text in paragraphs:
            position = numbered.setdefault(item.pk, len(numbered) + 1)
            area = item.recommendation.area if item.recommendation else ""
            name = f"{item.get_kind_display()} {position}" + (f" ({area})" if area else "")
            choices.append((f"{item.pk}-{index}", f"{name}, paragraph {index}: {short_text(text)}"))
        choice_of(self, "paragraph_link").choices = choices


class DeleteForm(VersionedForm):
    pass


class FollowUpSelectForm(AsksForReason, VersionedForm):
    reason_field = "reason"
    recommendations = _ids_ticked("Recommendations to follow up")
    reason = _recorded_reason("Why the selection needs to differ", "IN-6")

    def __init__(
        self, data: Any = None, *, recommendations: Sequence[Recommendation], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        choice_of(self, "recommendations").choices = [
            (str(r.pk), f"{r.paragraph_reference} {r.text}") for r in recommendations
        ]


class ThemeForm(AsksForReason):
    reason_field = "reason"
    theme = forms.CharField(
        label="Ofsted theme",
        max_length=300,
        help_text="For example 'Attendance at education, skills and work'.",
        error_messages={"required": "Enter the theme"},
    )
    reason = _recorded_reason("Why a theme is added after the announcement", "IN-6")


class RemoveForm(AsksForReason, VersionedForm):
    reason_field = "reason"
    reason = _recorded_reason("Why this item is no longer followed up", "IN-6")


class NarrativeForm(VersionedForm):
    theme = forms.CharField(
        label="Ofsted theme", max_length=300, error_messages={"required": "Enter the theme"}
    )
    narrative = forms.CharField(
        label="Narrative",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50000,
        help_text="Leave a blank line between paragraphs: each becomes a numbered paragraph "
        "of the report.",
    )

    def __init__(self, data: Any = None, *, is_theme: bool, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        if not is_theme:
            del self.fields["theme"]


class ProgressJudgementForm(VersionedForm):
    level = level_field("Progress", "Select the progress made")
    rationale = text_area("Rationale (optional)", required=False, max_length=TEXT_MAX)
    evidence = _ids_ticked(
        "Evidence it cites", help_text="The evidence forms tagged with this progress aspect (IN-7)."
    )

    def __init__(
        self,
        data: Any = None,
        *,
        levels: Sequence[Level],
        evidence: Sequence[EvidenceForm],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self._levels = {item.pk: item for item in levels}
        self._evidence = list(evidence)
        choice_of(self, "level").choices = [(str(item.pk), item.label) for item in levels]
        choice_of(self, "evidence").choices = [
            (str(item.pk), _evidence_label(item)) for item in evidence
        ]
        self.level_definitions = {str(item.pk): item.definition for item in levels}

    def clean_level(self) -> Level:
        return self._levels[self.cleaned_data["level"]]

    def clean_evidence(self) -> list[EvidenceForm]:
        """The evidence forms ticked, in the order offered."""
        ticked = set(self.cleaned_data["evidence"])
        return [item for item in self._evidence if item.pk in ticked]


def _evidence_label(item: EvidenceForm) -> str:
    return f"{item.evidence_on:%-d %B %Y}, {item.get_source_display()}: {short_text(item.text)}"


def short_text(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
