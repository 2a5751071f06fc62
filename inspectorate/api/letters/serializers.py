"""Request and response bodies of the letter templates a system administrator edits."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspectorate.api.serializers import KindAsText
from inspectorate.reports import letters
from inspectorate.reports.models import LetterTemplate


class LetterVariableSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Used as {{ name }} in the subject or body.")
    description = serializers.CharField()


class LetterTemplateSerializer(KindAsText, serializers.ModelSerializer[LetterTemplate]):
    title = serializers.CharField(source="get_kind_display", read_only=True)
    updated_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    variables = serializers.SerializerMethodField(help_text="What the template may use.")

    class Meta:
        model = LetterTemplate
        fields = [
            "kind",
            "title",
            "subject",
            "body",
            "variables",
            "updated_by",
            "updated_at",
            "version",
        ]

    @extend_schema_field(LetterVariableSerializer(many=True))
    def get_variables(self, template: LetterTemplate) -> Any:
        offered = [
            {"name": name, "description": description}
            for name, description in letters.variables(template.kind)
        ]
        return LetterVariableSerializer(offered, many=True).data


class LetterTemplateInput(serializers.Serializer):
    """Sandboxed Jinja2 template text, rendered as plain text: only the letter's variables."""

    subject = serializers.CharField(allow_blank=True, max_length=300)
    body = serializers.CharField(allow_blank=True, max_length=50000)


class LetterPreviewSerializer(serializers.Serializer):
    subject = serializers.CharField()
    body = serializers.CharField()
