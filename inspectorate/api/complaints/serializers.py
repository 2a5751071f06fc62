"""Request bodies of the complaint actions (CP-1)."""

from __future__ import annotations

from rest_framework import serializers

from inspectorate.api.serializers import ComplaintSerializer
from inspectorate.complaints.models import Complaint
from inspectorate.complaints.services import complaint_actions


class ComplaintDetailSerializer(ComplaintSerializer):
    actions = serializers.SerializerMethodField(
        help_text="What you may do next: reply, formal, respond, review, review-respond."
    )

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "actions"]

    def get_actions(self, complaint: Complaint) -> list[str]:
        request = self.context.get("request")
        return sorted(complaint_actions(request.user, complaint)) if request else []


class ComplaintRaiseInput(serializers.Serializer):
    event = serializers.IntegerField(help_text="The id of the inspection the concern is about.")
    complainant = serializers.CharField(max_length=200, help_text="Name and role.")
    concern = serializers.CharField(max_length=20000)


class LeadReplyInput(serializers.Serializer):
    reply = serializers.CharField(max_length=20000)
    resolved = serializers.BooleanField(default=False)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=20000)


class ResponseInput(serializers.Serializer):
    response = serializers.CharField(max_length=20000)
    review_route = serializers.CharField(max_length=20000)
