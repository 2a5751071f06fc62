"""Request and response bodies of frameworks (as data, JG-1), the grade calculator's
evaluation (JG-3..JG-5) and saved assessments."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspectorate.api.fields import UtcDateTimeField
from inspectorate.api.serializers import (
    AspectLevel,
    EstablishmentRefSerializer,
    optional_id,
    optional_text,
)
from inspectorate.estate.constants import EstablishmentKind
from inspectorate.frameworks.constants import (
    AppliesPer,
    AspectKind,
    EventKind,
    OptionStatus,
    RuleKind,
)
from inspectorate.frameworks.engine import Evaluation, Judgement
from inspectorate.frameworks.models import Assessment, Framework, GradeDecision
from inspectorate.frameworks.selectors import AspectNode, FrameworkPage


def _event_kinds() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices),
        help_text="The kinds of event it is used at (JG-8).",
    )


def _establishment_kinds() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=EstablishmentKind.choices),
        help_text="The kinds of establishment it is used for; empty: any.",
    )


# Frameworks -------------------------------------------------------------------------------


class FrameworkSerializer(serializers.ModelSerializer[Framework]):
    event_kinds = _event_kinds()
    establishment_kinds = _establishment_kinds()
    aspect_count = serializers.IntegerField(read_only=True)
    rule_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "slug",
            "version",
            "name",
            "description",
            "valid_from",
            "event_kinds",
            "establishment_kinds",
            "aspect_count",
            "rule_count",
        ]
        read_only_fields = fields


class FrameworkRefSerializer(serializers.ModelSerializer[Framework]):
    class Meta:
        model = Framework
        fields = ["id", "slug", "version", "name"]
        read_only_fields = fields


class LevelSerializer(serializers.Serializer):
    """One grade of a scale, best first, with its descriptor."""

    slug = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    value = serializers.IntegerField()
    definition = serializers.CharField()


class ScaleSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    levels = LevelSerializer(many=True, source="levels.all")


class AspectSerializer(serializers.Serializer):
    """A node of the framework's tree; `parent` is its parent's code (null at the top)."""

    code = serializers.CharField()
    parent = serializers.CharField(allow_null=True)  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    depth = serializers.IntegerField(help_text="0 at the top of the tree.")
    title = serializers.CharField()
    question = serializers.CharField()
    guidance = serializers.CharField()
    kind = serializers.ChoiceField(choices=AspectKind.choices)
    required = serializers.BooleanField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    applies_per = serializers.ChoiceField(choices=AppliesPer.choices)
    scale = serializers.CharField(help_text="The slug of the scale it is graded on.")


class RuleSerializer(serializers.Serializer):
    """A rule in plain English, with what it does to a grade outside it."""

    rule_id = serializers.CharField(help_text="The catalogue ID, for example JG-3.")
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    target = serializers.CharField(help_text="The code of the judgement it bears on.")
    description = serializers.CharField()
    effect = serializers.CharField()
    explanation = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute


def _aspect_rows(nodes: tuple[AspectNode, ...], depth: int = 0) -> list[dict[str, Any]]:
    """The tree in the page's order (each aspect, then its children)."""
    rows: list[dict[str, Any]] = []
    for node in nodes:
        aspect = node.aspect
        rows.append(
            {
                "code": aspect.code,
                "parent": aspect.parent.code if aspect.parent else None,
                "depth": depth,
                "title": aspect.title,
                "question": aspect.question,
                "guidance": aspect.guidance,
                "kind": aspect.kind,
                "required": aspect.required,
                "applies_per": aspect.applies_per,
                "scale": aspect.scale.slug,
            }
        )
        rows.extend(_aspect_rows(node.children, depth + 1))
    return rows


def framework_page_data(page: FrameworkPage, *, can_calculate: bool) -> dict[str, Any]:
    """What the framework's page shows, as data."""
    framework = page.framework
    return {
        "id": framework.pk,
        "slug": framework.slug,
        "version": framework.version,
        "name": framework.name,
        "description": framework.description,
        "source": framework.source,
        "valid_from": framework.valid_from,
        "event_kinds": list(framework.event_kinds),
        "establishment_kinds": list(framework.establishment_kinds),
        "source_file": framework.source_file,
        "loaded_at": framework.loaded_at,
        "checksum": framework.checksum,
        "assessable": page.assessable,
        "can_calculate": can_calculate,
        "aspects": _aspect_rows(page.tree),
        "scales": page.scales,
        "rules": [
            {
                "rule_id": text.rule.rule_id,
                "key": text.rule.key,
                "kind": text.rule.kind,
                "target": text.rule.target.code,
                "description": text.description,
                "effect": text.effect,
                "explanation": text.rule.explanation,
                "source": str(text.rule.definition.get("source") or ""),
            }
            for text in page.rules
        ],
    }


class FrameworkDetailSerializer(serializers.Serializer):
    """A framework version: its aspects, scales with their grade descriptors, and rules."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    version = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    valid_from = serializers.DateField()
    event_kinds = _event_kinds()
    establishment_kinds = _establishment_kinds()
    source_file = serializers.CharField()
    loaded_at = UtcDateTimeField()
    checksum = serializers.CharField()
    assessable = serializers.BooleanField(help_text="Whether it has aspects to grade.")
    can_calculate = serializers.BooleanField(
        help_text="Whether you may grade with it in the calculator."
    )
    aspects = AspectSerializer(many=True)
    scales = ScaleSerializer(many=True)
    rules = RuleSerializer(many=True)


# The engine's view of grades (the calculator and saved assessments) ----------------------


class GradeRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute


class ReasonSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    rule_key = serializers.CharField()
    text = serializers.CharField()


class GradeOptionSerializer(serializers.Serializer):
    """One grade of the judgement's scale: allowed, needing a recorded reason (an
    authorised override), or not allowed, and the rules that say so."""

    slug = serializers.CharField()
    label = serializers.CharField(source="level.label")  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    status = serializers.ChoiceField(choices=OptionStatus.choices)
    rule_ids = serializers.ListField(child=serializers.CharField())
    reasons = ReasonSerializer(many=True)


class JudgementViewSerializer(serializers.Serializer):
    """What the rules say of one derived judgement (overall effectiveness)."""

    aspect = serializers.CharField(source="aspect.code")
    title = serializers.CharField(source="aspect.title")
    most_likely = GradeRefSerializer(
        allow_null=True, help_text="Null: not enough grades yet for the rules to suggest one."
    )
    options = GradeOptionSerializer(many=True)
    reasons = ReasonSerializer(many=True, help_text="Every rule that applied, in file order.")


class CalculateInput(serializers.Serializer):
    framework = serializers.CharField(max_length=60, help_text="The framework's slug.")
    version = serializers.CharField(max_length=20)
    grades = serializers.DictField(
        child=serializers.CharField(max_length=60),
        help_text='Aspect code → grade (level slug), for example {"C3": "inadequate"}. '
        "Aspects not graded are left out.",
    )


class AssessmentCreateInput(CalculateInput):
    event_kind = serializers.CharField(
        max_length=30, help_text="The kind of event graded (a kind the framework is used at)."
    )
    establishment = optional_id("The establishment's id.")
    title = optional_text(max_length=200)
    choices = serializers.DictField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=dict,
        help_text="Derived aspect code → the grade chosen (level slug), for each derived "
        "judgement (the calculator's `judgements`).",
    )
    reasons = serializers.DictField(
        child=serializers.CharField(max_length=2000),
        required=False,
        default=dict,
        help_text="Derived aspect code → why a grade the rules warn about was chosen.",
    )


class CalculationSerializer(serializers.Serializer):
    framework = FrameworkRefSerializer()
    grades = serializers.DictField(child=serializers.CharField())
    judgements = JudgementViewSerializer(many=True, help_text="Empty: no derived judgement.")
    can_override = serializers.BooleanField(
        help_text="Whether you may choose a grade the rules warn about (with a reason)."
    )


def calculation_data(
    framework: Framework, evaluation: Evaluation, *, can_override: bool
) -> dict[str, Any]:
    return {
        "framework": framework,
        "grades": dict(evaluation.grades),
        "judgements": list(evaluation.judgements.values()),
        "can_override": can_override,
    }


# Saved assessments ------------------------------------------------------------------------


class DecisionSummarySerializer(AspectLevel, serializers.ModelSerializer[GradeDecision]):
    title = serializers.CharField(source="aspect.title", read_only=True)

    class Meta:
        model = GradeDecision
        fields = ["id", "aspect", "title", "level", "level_label", "is_override", "version"]
        read_only_fields = fields


class GradeDecisionSerializer(DecisionSummarySerializer):
    """The grade chosen for a derived judgement, with what the rules say of it now. The view
    puts the assessment's evaluation in the context as `evaluation`."""

    most_likely = serializers.CharField(source="most_likely.slug", read_only=True, default=None)
    decided_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    overridden_rules = serializers.ListField(child=serializers.CharField(), read_only=True)
    judgement = serializers.SerializerMethodField()

    class Meta(DecisionSummarySerializer.Meta):
        fields = [
            *DecisionSummarySerializer.Meta.fields,
            "most_likely",
            "overridden_rules",
            "override_reason",
            "decided_by",
            "decided_at",
            "judgement",
        ]
        read_only_fields = fields

    @extend_schema_field(JudgementViewSerializer)
    def get_judgement(self, decision: GradeDecision) -> dict[str, Any]:
        evaluation: Evaluation = self.context["evaluation"]
        judgement: Judgement = evaluation.judgements[decision.aspect.code]
        return dict(JudgementViewSerializer(judgement).data)


class AssessmentGradeSerializer(serializers.Serializer):
    aspect = serializers.CharField(source="aspect.code")
    title = serializers.CharField(source="aspect.title")
    level = serializers.CharField(source="level.slug")
    level_label = serializers.CharField(source="level.label")


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    name = serializers.CharField(source="__str__", read_only=True)
    framework = FrameworkRefSerializer(read_only=True)
    event_kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True)
    establishment = EstablishmentRefSerializer(read_only=True, allow_null=True)
    created_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    decisions = DecisionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "name",
            "title",
            "framework",
            "event_kind",
            "establishment",
            "created_by",
            "created_at",
            "version",
            "decisions",
        ]
        read_only_fields = fields


class AssessmentDetailSerializer(AssessmentSerializer):
    """An assessment with its aspect grades and each judgement's decision and rules."""

    grades = AssessmentGradeSerializer(many=True, read_only=True)
    decisions = GradeDecisionSerializer(many=True, read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "grades"]
        read_only_fields = fields


class DecisionChangeInput(serializers.Serializer):
    level = serializers.CharField(max_length=60, help_text="The new grade (level slug).")
    reason = optional_text(
        "Needed when the rules warn about the grade chosen (an authorised override).", 4000
    )
