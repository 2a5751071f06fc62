"""Request and response bodies of fieldwork (IN-1, IN-7, IN-8) and findings (IN-5, IN-6)."""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspectorate.api.serializers import KindAsText, id_list, optional_id, optional_text
from inspectorate.inspections.constants import (
    ConcernKind,
    EvidenceSource,
    MeetingKind,
    ObservationKind,
)
from inspectorate.inspections.models import (
    Briefing,
    Concern,
    EvidenceForm,
    FollowUp,
    Judgement,
    Meeting,
    Observation,
    PositivePractice,
    Recommendation,
)

OVERRIDE_HELP = "Why, when the API warns (code override_needed) that a rule is not met."


def kind_field(choices: type[models.TextChoices]) -> serializers.CharField:
    """A kind, checked by the service. Not an enum in the schema: several sets share the
    name "kind" and their enum names would collide."""
    return serializers.CharField(
        max_length=30, help_text="One of: " + ", ".join(str(v) for v in choices.values) + "."
    )


def _override() -> serializers.CharField:
    return optional_text(OVERRIDE_HELP)


class EventInput(serializers.Serializer):
    event = serializers.IntegerField()


# Evidence forms (IN-7) ------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer[EvidenceForm]):
    author: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    aspect_code = serializers.CharField(source="aspect.code", read_only=True)
    framework = serializers.CharField(source="aspect.framework.slug", read_only=True)

    class Meta:
        model = EvidenceForm
        fields = [
            "id",
            "event",
            "author",
            "evidence_on",
            "source",
            "framework",
            "aspect",
            "aspect_code",
            "observation",
            "text",
            "created_at",
            "updated_at",
            "version",
        ]


class EvidenceInput(serializers.Serializer):
    evidence_on = serializers.DateField()
    source = serializers.ChoiceField(choices=EvidenceSource.choices)  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    aspect = serializers.IntegerField(
        help_text="The id of a framework aspect used at the event (see its evidence forms)."
    )
    text = serializers.CharField(allow_blank=True, max_length=20000)
    observation = optional_id()


class EvidenceCreateInput(EvidenceInput):
    event = serializers.IntegerField()


# Observations (IN-8) --------------------------------------------------------------------


class ObservationSerializer(KindAsText, serializers.ModelSerializer[Observation]):
    observer: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    grade: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Observation
        fields = [
            "id",
            "event",
            "kind",
            "observer",
            "observed_on",
            "activity",
            "location",
            "duration_minutes",
            "grade",
            "feedback",
            "provider_observer",
            "version",
        ]


class ObservationInput(serializers.Serializer):
    kind = kind_field(ObservationKind)
    observed_on = serializers.DateField()
    activity = serializers.CharField(max_length=200, allow_blank=True)
    duration_minutes = serializers.IntegerField(min_value=0, max_value=1440)
    location = optional_text(max_length=200)
    grade = optional_id("The id of a level.")
    feedback = optional_text(max_length=20000)
    provider_observer = optional_text(max_length=200)
    override_reason = _override()


class ObservationCreateInput(ObservationInput, EventInput):
    pass


# Meetings and the briefing (IN-1) -------------------------------------------------------


# A meeting or briefing, with who of the team attended (their user ids). No docstring: the
# schema would show it as the description of both.
class AttendedSerializer(serializers.ModelSerializer[Any]):
    attendees: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )


def _attendees() -> serializers.ListField:
    return id_list("User ids of team members present.")


class MeetingSerializer(KindAsText, AttendedSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "event", "kind", "held_on", "attendees", "others_present", "notes"]
        fields += ["version"]


class MeetingInput(serializers.Serializer):
    kind = kind_field(MeetingKind)
    held_on = serializers.DateField()
    attendees = _attendees()
    others_present = optional_text()
    notes = optional_text(max_length=20000)
    override_reason = _override()


class MeetingCreateInput(MeetingInput, EventInput):
    pass


class BriefingSerializer(AttendedSerializer):
    class Meta:
        model = Briefing
        fields = ["id", "event", "held_on", "attendees", "notes", "version"]


class BriefingInput(serializers.Serializer):
    held_on = serializers.DateField()
    attendees = _attendees()
    notes = optional_text(max_length=20000)
    override_reason = _override()


class BriefingCreateInput(BriefingInput, EventInput):
    pass


# Concerns, recommendations, notable positive practice (IN-5) ----------------------------


class ConcernSerializer(KindAsText, serializers.ModelSerializer[Concern]):
    class Meta:
        model = Concern
        fields = ["id", "event", "kind", "text", "paragraph_reference", "position", "version"]


class ConcernInput(serializers.Serializer):
    kind = kind_field(ConcernKind)
    text = serializers.CharField(allow_blank=True, max_length=20000)
    paragraph_reference = optional_text(max_length=20)
    override_reason = optional_text(
        "Why Ofsted has more than four key concerns, when the API warns (IN-5)."
    )


class ConcernCreateInput(ConcernInput, EventInput):
    pass


class PositivePracticeSerializer(serializers.ModelSerializer[PositivePractice]):
    class Meta:
        model = PositivePractice
        fields = [
            "id",
            "event",
            "text",
            "paragraph_reference",
            "follow_up",
            "paragraph",
            "position",
            "version",
        ]


class PositivePracticeInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=20000)
    paragraph_reference = optional_text(max_length=20)
    follow_up = optional_id("The follow-up of the review whose paragraph it refers to (RP-7).")
    paragraph = optional_id(
        "Which of that follow-up's numbered paragraphs, from 1 (the closing judgement is the last)."
    )


class PositivePracticeCreateInput(PositivePracticeInput, EventInput):
    pass


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    class Meta:
        model = Recommendation
        fields = [
            "id",
            "event",
            "concern",
            "text",
            "paragraph_reference",
            "position",
            "previous",
            "version",
        ]


class RecommendationInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=20000)
    paragraph_reference = serializers.CharField(allow_blank=True, max_length=20)
    concern = optional_id()
    previous = optional_id("The earlier recommendation this one repeats.")


class RecommendationCreateInput(RecommendationInput, EventInput):
    pass


# IRP follow-ups (IN-6) ------------------------------------------------------------------


class ProgressJudgementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField(help_text="The level's slug.")
    version = serializers.IntegerField()


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    recommendation_text = serializers.SerializerMethodField()
    narrative = serializers.SerializerMethodField(
        help_text="The report's narrative: for findings readers, or once published."
    )
    progress_judgement = serializers.SerializerMethodField(
        help_text="The progress judgement on this item, for those who may see it (its "
        "version is the If-Match of judge/); null before there is one."
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "event",
            "kind",
            "recommendation",
            "recommendation_text",
            "theme",
            "narrative",
            "position",
            "progress_judgement",
            "version",
        ]

    @extend_schema_field(ProgressJudgementSerializer(allow_null=True))
    def get_progress_judgement(self, item: FollowUp) -> dict[str, Any] | None:
        judgements = getattr(item, "visible_judgements", None)
        if judgements is None:  # a single item answered after a write
            request = self.context.get("request")
            judgements = list(
                Judgement.objects.visible_to(getattr(request, "user", None))
                .filter(follow_up=item)
                .select_related("level")
            )
        if not judgements:
            return None
        judgement = judgements[0]
        return {"id": judgement.pk, "level": judgement.level.slug, "version": judgement.version}

    def get_recommendation_text(self, item: FollowUp) -> str:
        return item.recommendation.text if item.recommendation else ""

    def get_narrative(self, item: FollowUp) -> str:
        user = getattr(self.context.get("request"), "user", None)
        if user is None or user.has_perm("inspections.see_follow_up_narrative", item):
            return item.narrative
        return ""


class FollowUpSelectInput(EventInput):
    recommendations = id_list(
        "Ids of the followed-up inspection's recommendations this IRP follows up."
    )
    reason = optional_text(OVERRIDE_HELP)


class FollowUpThemeInput(EventInput):
    theme = serializers.CharField(max_length=300, allow_blank=True)
    reason = optional_text(OVERRIDE_HELP)


class FollowUpNarrativeInput(serializers.Serializer):
    narrative = serializers.CharField(allow_blank=True, max_length=50000)
    theme = serializers.CharField(required=False, allow_null=True, default=None, max_length=300)


# Order and progress judgements ----------------------------------------------------------


class MoveInput(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=[("up", "Up"), ("down", "Down")],
        help_text="One place earlier (up) or later (down) in the report's order.",
    )


class FollowUpJudgeInput(serializers.Serializer):
    level = serializers.CharField(
        max_length=50,
        help_text="The slug of a level of the item's progress scale: the HMI Prisons IRP "
        "progress scale for a recommendation (JG-6), Ofsted's theme scale for a theme (JG-7).",
    )
    evidence = id_list(
        "Ids of evidence forms recorded at the IRP that the judgement cites.", optional=True
    )
    rationale = optional_text(max_length=20000)
