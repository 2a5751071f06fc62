"""What the API shows of each record, and what its actions accept.

Reads are shaped for a fixed number of queries: every related record a serializer names is
fetched by the view's select_related. Establishment users never see staff-only fields
(notes, override reasons).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspectorate.api.fields import UtcDateTimeField
from inspectorate.api.models import ApiToken, TokenScope
from inspectorate.complaints.models import Complaint
from inspectorate.estate.models import Establishment
from inspectorate.improvement.models import ImprovementCase
from inspectorate.inspectors.constants import Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.constants import EducationJudgement, EventKind, TeamRole
from inspectorate.programme.models import Event, Milestone, Programme, TeamMember


def _is_staff(serializer: serializers.BaseSerializer[Any]) -> bool:
    request = serializer.context.get("request")
    return bool(request and getattr(request.user, "has_staff_role", False))


def optional_text(help_text: str | None = None, max_length: int = 2000) -> serializers.CharField:
    """Text that may be left out or sent blank (it is then ""), up to `max_length` long."""
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length, help_text=help_text
    )


def optional_id(help_text: str | None = None) -> serializers.IntegerField:
    """The id of a record that may be left out or sent null (it is then None)."""
    return serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=help_text
    )


def id_list(help_text: str, *, optional: bool = False) -> serializers.ListField:
    """A list of record ids; when `optional`, it may be left out (it is then [])."""
    left_out: dict[str, Any] = {"required": False, "default": list} if optional else {}
    return serializers.ListField(child=serializers.IntegerField(), help_text=help_text, **left_out)


RULE_OVERRIDE_HELP = (
    "Why, when the API warns (code override_needed) that a rule is not met "
    "(WD-1 bank holidays on site, WD-2 an IRP's 8 to 12 month window)."
)


class StaffOnlyFieldsMixin(serializers.Serializer):
    """Drops `staff_only_fields` for anyone without a staff role."""

    staff_only_fields: tuple[str, ...] = ()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if self.staff_only_fields and not _is_staff(self):
            for name in self.staff_only_fields:
                data.pop(name, None)
        return data


# The read-only fields several records show alike. Described in comments: a docstring here
# would be the schema's description of every serializer that has none of its own.


# A record's `kind`, shown as plain text. Not an enum in the schema: several sets share the
# name "kind" and their enum names would collide (see the inputs' `kind_field`).
class KindAsText(serializers.Serializer):
    kind = serializers.CharField(read_only=True)


# The name of the establishment of the record's event.
class EventEstablishmentName(serializers.Serializer):
    establishment = serializers.CharField(source="event.establishment.name", read_only=True)


# A level decided for a framework aspect: the aspect's code, the level's slug and label.
class AspectLevel(serializers.Serializer):
    aspect = serializers.CharField(source="aspect.code", read_only=True)
    level = serializers.CharField(source="level.slug", read_only=True)
    level_label = serializers.CharField(source="level.label", read_only=True)


# Reads ------------------------------------------------------------------------------------


class EstablishmentRefSerializer(serializers.ModelSerializer[Establishment]):
    class Meta:
        model = Establishment
        fields = ["id", "code", "name"]


class EstablishmentSerializer(serializers.ModelSerializer[Establishment]):
    class Meta:
        model = Establishment
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "function",
            "nation",
            "region",
            "security_category",
            "operator",
            "status",
            "opened_on",
            "closed_on",
            "version",
        ]


class InspectorSerializer(serializers.ModelSerializer[Inspector]):
    class Meta:
        model = Inspector
        fields = [
            "id",
            "name",
            "email",
            "organisation",
            "grade",
            "home_region",
            "specialisms",
            "active",
            "version",
        ]


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "year",
            "label",
            "status",
            "starts_on",
            "ends_on",
            "consultation_opened_on",
            "confirmed_on",
            "version",
        ]


class EventSerializer(StaffOnlyFieldsMixin, serializers.ModelSerializer[Event]):
    """An event of the inspection programme at one establishment. `notes` and
    `education_week_reason` are shown to staff only."""

    programme = serializers.IntegerField(source="programme.year", read_only=True)
    establishment = EstablishmentRefSerializer(read_only=True)
    confidential = serializers.SerializerMethodField(
        help_text="Unannounced and not yet started: its dates are confidential (PG-3)."
    )
    staff_only_fields = ("notes", "education_week_reason")

    class Meta:
        model = Event
        fields = [
            "id",
            "programme",
            "kind",
            "establishment",
            "starts_on",
            "ends_on",
            "status",
            "announced_on",
            "education_inspectorate",
            "education_week_starts_on",
            "education_week_reason",
            "follows_up",
            "notes",
            "confidential",
            "historical",
            "history_source",
            "version",
        ]
        # HI-1: whether an event is history, and where it came from, is set when it is
        # recorded (programme.record_history), never changed through an event write.
        read_only_fields = ["historical", "history_source"]

    def get_confidential(self, event: Event) -> bool:
        return event.is_confidential()


class InspectorRefSerializer(serializers.ModelSerializer[Inspector]):
    class Meta:
        model = Inspector
        fields = ["id", "name", "organisation"]


class TeamMemberSerializer(StaffOnlyFieldsMixin, serializers.ModelSerializer[TeamMember]):
    """An inspector on an event's team, in a role, for some or all of its days.
    `override_reason` is shown to staff only."""

    inspector = InspectorRefSerializer(read_only=True)
    staff_only_fields = ("override_reason",)

    class Meta:
        model = TeamMember
        fields = ["id", "event", "inspector", "role", "starts_on", "ends_on", "override_reason"]


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    met_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    impossible_recorded_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        read_only=True
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "event",
            "rule_code",
            "rule_id",
            "title",
            "strength",
            "due_on",
            "due_time",
            "status",
            "met_on",
            "met_by",
            "override_reason",
            "opened_on",
            "impossible_reason",
            "impossible_recorded_by",
            "impossible_recorded_at",
            "reopen_reason",
            "version",
        ]


class ImprovementCaseSerializer(serializers.ModelSerializer[ImprovementCase]):
    establishment = EstablishmentRefSerializer(read_only=True)

    class Meta:
        model = ImprovementCase
        fields = [
            "id",
            "establishment",
            "track",
            "event",
            "status",
            "opened_at",
            "monitoring_visit_from",
            "monitoring_visit_to",
            "reinspection_from",
            "reinspection_to",
            "closed_on",
            "version",
        ]


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "event",
            "complainant",
            "concern",
            "raised_on",
            "stage",
            "status",
            "lead_reply",
            "formal_on",
            "response_due_on",
            "response",
            "responded_on",
            "review_requested_on",
            "review_due_on",
            "version",
        ]


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    user = serializers.CharField(source="user.username", read_only=True)
    live = serializers.BooleanField(source="is_live", read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "user",
            "name",
            "prefix",
            "scope",
            "organisations",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "live",
        ]


class IssuedTokenSerializer(ApiTokenSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Shown once: it is stored only as a hash."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "secret"]


# Action inputs ----------------------------------------------------------------------------
# Only types are checked here; every rule is the service's, with its own messages.


class TokenIssueInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True)
    scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.READ)
    organisations = serializers.ListField(
        child=serializers.ChoiceField(choices=Organisation.choices), required=False, default=list
    )
    expires_at = UtcDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the token stops working: within a year; 90 days from now if omitted.",
    )


class EventScheduleInput(serializers.Serializer):
    programme = serializers.IntegerField(help_text="The programme's year (its April).")
    kind = serializers.ChoiceField(choices=EventKind.choices)
    establishment = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    education_week_starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    education_week_reason = optional_text()
    follows_up = optional_id()
    previous_education_judgement = serializers.ChoiceField(
        choices=EducationJudgement.choices, required=False, allow_blank=True, default=""
    )
    notes = optional_text(max_length=5000)
    override_reason = optional_text(RULE_OVERRIDE_HELP)


class EventMoveInput(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    education_week_starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    education_week_reason = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default=None, max_length=2000
    )
    reason = optional_text()
    override_reason = optional_text(RULE_OVERRIDE_HELP)


class EventCancelInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class EventAnnounceInput(serializers.Serializer):
    announced_on = serializers.DateField(required=False, allow_null=True, default=None)
    override_reason = optional_text()


class TeamMemberAddInput(serializers.Serializer):
    inspector = serializers.IntegerField()
    role = serializers.ChoiceField(choices=TeamRole.choices)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    override_reason = optional_text()
