"""What the API shows of the programme's own records (its overview, amendments and each
user's notifications) and what the programme's actions accept. Only types are checked here:
every rule is the service's, with its own messages."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspectorate.api.serializers import optional_text
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Amendment, Notification

# Reads ------------------------------------------------------------------------------------


class KindCountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    count = serializers.IntegerField(help_text="Events of this kind, not cancelled.")


class ProgrammeOverviewSerializer(serializers.Serializer):
    """The programme page's figures, for the events the caller may see."""

    counts = KindCountSerializer(many=True)
    total = serializers.IntegerField(help_text="Events not cancelled.")
    cancelled = serializers.IntegerField()
    irp_count = serializers.IntegerField(
        allow_null=True,
        help_text="The programme's IRPs (PG-2): null unless the caller sees the whole "
        "programme (and the token is not narrowed to organisations).",
    )
    irp_warning = serializers.CharField(
        allow_null=True, help_text="Outside the 15 to 20 IRPs a programme holds (PG-2)."
    )


class AmendmentSerializer(serializers.ModelSerializer[Amendment]):
    programme = serializers.IntegerField(source="programme.year", read_only=True)
    made_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    changes = serializers.JSONField(
        read_only=True, help_text="Each field changed: [before, after]."
    )

    class Meta:
        model = Amendment
        fields = ["id", "programme", "event", "summary", "changes", "made_by", "made_at"]


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "url", "created_at", "read", "read_at", "emailed_at"]

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationsMarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")


# Action inputs ----------------------------------------------------------------------------


class ProgrammeCreateInput(serializers.Serializer):
    year = serializers.IntegerField(
        help_text="The year the programme starts in April: 2027 for April 2027 to March 2028."
    )


class ProgrammeConfirmInput(serializers.Serializer):
    confirmed_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The day it was confirmed; today when not given.",
    )
    override_reason = optional_text(
        "Why, when the API warns (code override_needed): the IRP count (PG-2), a "
        "short consultation, a partner's missing response or unanswered challenges (PG-14)."
    )


class ConsultationRespondInput(serializers.Serializer):
    resourcing_confirmed = serializers.BooleanField(
        help_text="Whether your organisation has the resourcing for the programme (PG-14)."
    )
    comment = optional_text("Needed when resourcing_confirmed is false.")


class ConsultationChallengeInput(serializers.Serializer):
    event = serializers.IntegerField(help_text="The id of the event challenged.")
    text = serializers.CharField(max_length=2000, help_text="What should change, and why.")


class ConsultationChallengeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    text = serializers.CharField()
    raised_by = serializers.CharField()
    raised_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_by = serializers.CharField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)


class PartnerResponseSerializer(serializers.Serializer):
    partner = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    resourcing_confirmed = serializers.BooleanField(
        source="response.resourcing_confirmed", allow_null=True, default=None
    )
    comment = serializers.CharField(source="response.comment", default="")
    responded_by = serializers.CharField(source="response.responded_by", default=None)
    responded_at = serializers.DateTimeField(source="response.responded_at", default=None)
    challenges = ConsultationChallengeSerializer(many=True)


class ConsultationSerializer(serializers.Serializer):
    """The partners' responses to the draft (PG-14): the programme roles only."""

    partners = PartnerResponseSerializer(many=True)
    outstanding = serializers.SerializerMethodField(help_text="Challenges not answered.")

    def get_outstanding(self, summary: Any) -> int:
        return len(summary.outstanding)


class MilestoneOverrideInput(serializers.Serializer):
    reason = optional_text("Why this deadline is being set aside (recorded with your name).")


class MilestoneExplainImpossibleInput(serializers.Serializer):
    reason = optional_text("Why this deadline could not be met (recorded with your name).")


class MilestoneReopenInput(serializers.Serializer):
    reason = optional_text("Why this deadline, marked met, is due again (recorded).")
