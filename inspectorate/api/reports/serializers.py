"""Request and response bodies of reports and their factual-accuracy comments (RP-3)."""

from __future__ import annotations

from rest_framework import serializers

from inspectorate.api.fieldwork.serializers import kind_field
from inspectorate.api.serializers import EventEstablishmentName, optional_text
from inspectorate.reports.constants import CommentOutcome, RenderStatus, ReportKind, ReportStage
from inspectorate.reports.models import FactualAccuracyComment, Report, ReportRender


class ReportSerializer(EventEstablishmentName, serializers.ModelSerializer[Report]):
    kind = serializers.ChoiceField(choices=ReportKind.choices, read_only=True)
    stage = serializers.ChoiceField(choices=ReportStage.choices, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "event",
            "establishment",
            "kind",
            "stage",
            "summary",
            "planned_publication_on",
            "factual_accuracy_from",
            "factual_accuracy_due_on",
            "submitted_for_qa_at",
            "qa_approved_at",
            "qa_returned_reason",
            "qa_returned_at",
            "finalised_at",
            "published_on",
            "created_at",
            "version",
        ]


class ReportCreateInput(serializers.Serializer):
    event = serializers.IntegerField(help_text="The id of an event with an inspection record.")
    kind = kind_field(ReportKind)
    summary = optional_text(max_length=50000)


class ReportUpdateInput(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    planned_publication_on = serializers.DateField(required=False, allow_null=True)


class QaReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=20000)


class FactualAccuracyStartInput(serializers.Serializer):
    due_on = serializers.DateField(help_text="The RP-3 deadline for comments.")


class DocumentSerializer(serializers.Serializer):
    report = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=ReportStage.choices)
    html = serializers.CharField(help_text="The document's HTML article, as the page shows it.")


class RenderSerializer(serializers.ModelSerializer[ReportRender]):
    stage = serializers.ChoiceField(choices=ReportStage.choices, read_only=True)
    status = serializers.ChoiceField(choices=RenderStatus.choices, read_only=True)

    class Meta:
        model = ReportRender
        fields = ["id", "report", "stage", "status", "progress", "requested_at", "finished_at"]


class CommentSerializer(serializers.ModelSerializer[FactualAccuracyComment]):
    outcome = serializers.ChoiceField(choices=CommentOutcome.choices, read_only=True)

    class Meta:
        model = FactualAccuracyComment
        fields = [
            "id",
            "report",
            "paragraph",
            "text",
            "proposed_text",
            "organisation",
            "submitted_at",
            "outcome",
            "response",
            "responded_at",
            "withdrawn_at",
            "version",
        ]


class CommentSubmitInput(serializers.Serializer):
    report = serializers.IntegerField(help_text="The id of a report at its factual-accuracy check.")
    paragraph = serializers.CharField(max_length=30, help_text="For example '3.2'.")
    text = serializers.CharField(max_length=20000)
    proposed_text = optional_text(max_length=20000)


class CommentChangeInput(serializers.Serializer):
    text = serializers.CharField(required=False, max_length=20000)
    proposed_text = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class CommentRespondInput(serializers.Serializer):
    outcome = kind_field(CommentOutcome)
    response = serializers.CharField(max_length=20000)
