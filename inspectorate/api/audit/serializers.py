"""Bodies of the audit trail's reads."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspectorate.api.fields import UtcDateTimeField
from inspectorate.audit.constants import AccessPurpose
from inspectorate.audit.context import made_by, outside_service
from inspectorate.audit.models import AccessEvent


class AccessEventSerializer(serializers.ModelSerializer[AccessEvent]):
    purpose = serializers.ChoiceField(choices=AccessPurpose.choices, read_only=True)

    class Meta:
        model = AccessEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_label",
            "purpose",
            "record_type",
            "record_id",
            "record_label",
            "path",
        ]


class ChangeSerializer(serializers.Serializer):
    """One change to an audited record (a pghistory event)."""

    created_at = UtcDateTimeField(source="pgh_created_at")
    label = serializers.CharField(source="pgh_label", help_text="insert, update or delete.")  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    model = serializers.CharField(source="pgh_obj_model")
    record_id = serializers.CharField(source="pgh_obj_id")
    by = serializers.SerializerMethodField(
        help_text="The command, or the user and address; for a change with neither, the "
        "database user, application name and client address the database recorded."
    )
    outside_service = serializers.SerializerMethodField(
        help_text="True when no user or command of the service made the change (psql, a script)."
    )

    def get_by(self, event: Any) -> str:
        return made_by(event.pgh_context)

    def get_outside_service(self, event: Any) -> bool:
        return outside_service(event.pgh_context)


class ChainReportSerializer(serializers.Serializer):
    links_checked = serializers.IntegerField()
    first_bad = serializers.CharField(allow_null=True)
    intact = serializers.BooleanField()
