"""Request and response bodies of safeguarding and sanctions alerts (SG-1, SG-2)."""

from __future__ import annotations

from rest_framework import serializers

from inspectorate.api.fieldwork.serializers import kind_field
from inspectorate.api.serializers import EventEstablishmentName, KindAsText, optional_text
from inspectorate.safeguarding.constants import AlertKind
from inspectorate.safeguarding.models import Alert, AlertEntry


class AlertEntrySerializer(KindAsText, serializers.ModelSerializer[AlertEntry]):
    class Meta:
        model = AlertEntry
        fields = ["id", "kind", "by", "at", "text"]


class AlertSerializer(KindAsText, EventEstablishmentName, serializers.ModelSerializer[Alert]):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "event",
            "establishment",
            "kind",
            "summary",
            "where",
            "raised_by",
            "raised_at",
            "status",
            "acknowledged_by",
            "acknowledged_at",
            "closed_at",
            "outcome",
            "version",
        ]


class AlertDetailSerializer(AlertSerializer):
    timeline = AlertEntrySerializer(source="entries", many=True, read_only=True)

    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "timeline"]


class AlertRaiseInput(serializers.Serializer):
    event = serializers.IntegerField(help_text="The id of an event whose team you are on.")
    kind = kind_field(AlertKind)
    summary = serializers.CharField(max_length=20000)
    where = optional_text(max_length=200)


class AlertActionInput(serializers.Serializer):
    text = serializers.CharField(max_length=20000)


class AlertCloseInput(serializers.Serializer):
    outcome = serializers.CharField(max_length=20000)
