"""Request and response bodies of the judgement actions (IN-7, JG-9)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspectorate.api.serializers import AspectLevel, id_list, optional_id, optional_text
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Inspection, Judgement, JudgementCorrection


class JudgementSerializer(AspectLevel, serializers.ModelSerializer[Judgement]):
    framework = serializers.CharField(source="framework.slug", read_only=True)
    aspect_title = serializers.CharField(source="aspect.title", read_only=True)

    class Meta:
        model = Judgement
        fields = [
            "id",
            "event",
            "framework",
            "aspect",
            "aspect_title",
            "follow_up",
            "level",
            "level_label",
            "status",
            "rationale",
            "decided_at",
            "version",
        ]


class JudgementInput(serializers.Serializer):
    level = serializers.SlugField(help_text="The slug of a level of the aspect's scale.")
    evidence = id_list(
        "Ids of the evidence forms of the event this judgement rests on (IN-7).", optional=True
    )
    rationale = optional_text(max_length=20000)
    override_reason = optional_text()


class JudgementCreateInput(JudgementInput):
    event = serializers.IntegerField()
    aspect = serializers.IntegerField(help_text="The id of a framework aspect used at the event.")
    follow_up = optional_id()


class ModerateInput(serializers.Serializer):
    event = serializers.IntegerField()


class CorrectionInput(serializers.Serializer):
    level = serializers.SlugField(help_text="The corrected level, on the aspect's scale.")
    factual_error = serializers.CharField(allow_blank=True, max_length=20000)
    approved_by = serializers.IntegerField(
        allow_null=True, help_text="The id of the quality-assurance reviewer who approved it."
    )


class InspectionStageSerializer(serializers.ModelSerializer[Inspection]):
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)

    class Meta:
        model = Inspection
        fields = ["event", "stage", "moderated_at", "version"]


class CorrectionSerializer(serializers.ModelSerializer[JudgementCorrection]):
    previous_level = serializers.CharField(source="previous_level.slug", read_only=True)
    new_level = serializers.CharField(source="new_level.slug", read_only=True)
    corrected_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        read_only=True
    )
    approved_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        read_only=True
    )

    class Meta:
        model = JudgementCorrection
        fields = [
            "id",
            "judgement",
            "previous_level",
            "new_level",
            "factual_error",
            "corrected_by",
            "approved_by",
        ]
