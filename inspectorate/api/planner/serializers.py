"""Request and response bodies of the planner: plan runs, their progress, the proposal beside
the draft (as the run page shows it), asking for a run, stopping and accepting it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspectorate.api.serializers import KindAsText
from inspectorate.planner.constants import DEFAULT_TIME_LIMIT, TIME_LIMITS
from inspectorate.planner.instance import Weights
from inspectorate.planner.models import PlanRun
from inspectorate.planner.selectors import SCORE_LABELS, Comparison
from inspectorate.programme.models import Event

# Reads ------------------------------------------------------------------------------------


class PlanRunSerializer(serializers.ModelSerializer[PlanRun]):
    """A run's settings and progress (the list leaves the proposal out)."""

    programme = serializers.IntegerField(source="programme.year", read_only=True)
    programme_version = serializers.IntegerField(
        source="programme.version",
        read_only=True,
        help_text="The programme's version: the If-Match that stopping and accepting need.",
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        read_only=True
    )
    accepted_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        read_only=True
    )
    time_limit = serializers.SerializerMethodField(help_text="Seconds the planner may search.")
    parameters = serializers.DictField(
        read_only=True,
        help_text="What was asked for: time limit, closed weeks, fixed events, weights.",
    )
    accepted_items = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = PlanRun
        fields = [
            "id",
            "programme",
            "programme_version",
            "status",
            "status_label",
            "is_active",
            "requested_by",
            "requested_at",
            "time_limit",
            "parameters",
            "phase",
            "solutions",
            "best_score",
            "bound",
            "gap",
            "elapsed",
            "stop_requested",
            "started_at",
            "finished_at",
            "message",
            "has_proposal",
            "accepted_items",
            "accepted_at",
            "accepted_by",
        ]
        read_only_fields = fields

    def get_time_limit(self, run: PlanRun) -> int:
        return int(run.parameters.get("time_limit", DEFAULT_TIME_LIMIT))


class PlanMemberSerializer(serializers.Serializer):
    inspector = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()


class ProposalRowSerializer(serializers.Serializer):
    """One event of the proposal beside the draft: a row of the run page's table."""

    key = serializers.CharField(help_text="What `items` names to accept this row.")
    label = serializers.CharField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    reason = serializers.CharField(help_text="Why the programme needs it, in words.")
    event = serializers.IntegerField(allow_null=True, help_text="The draft's event; null: new.")
    kind = serializers.CharField()
    establishment = serializers.CharField(help_text="The establishment's code.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    current_starts_on = serializers.DateField(allow_null=True)
    current_ends_on = serializers.DateField(allow_null=True)
    current_dates = serializers.CharField(help_text="The draft's dates in words; '' when new.")
    proposed_dates = serializers.CharField()
    new = serializers.BooleanField()
    moved = serializers.BooleanField()
    team = PlanMemberSerializer(many=True, help_text="The team proposed.")
    joined = serializers.ListField(child=serializers.CharField())
    left = serializers.ListField(child=serializers.CharField())
    accepted = serializers.BooleanField()
    acceptable = serializers.BooleanField(
        help_text="False when the proposal takes someone off the draft's team or changes "
        "their role: change that on the team first."
    )


class ScorePartSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # an API field named like a DRF Field attribute
    proposal = serializers.IntegerField()
    draft = serializers.IntegerField(allow_null=True)


class ProposalSerializer(serializers.Serializer):
    """The proposal, its score part by part beside the draft's (lower is better)."""

    search = serializers.CharField(
        help_text="optimal: no plan scores better; optimal_in_phases: the best teams for "
        "these weeks; otherwise the time ran out first."
    )
    new = serializers.IntegerField()
    moved = serializers.IntegerField()
    changed_people = serializers.IntegerField()
    proposal_total = serializers.IntegerField()
    draft_total = serializers.IntegerField(allow_null=True)
    draft_violations = serializers.IntegerField()
    scores = ScorePartSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    rows = ProposalRowSerializer(many=True)


class ExplanationReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    text = serializers.CharField()


class ExplanationSerializer(serializers.Serializer):
    """Why no plan keeps every rule (an infeasible run)."""

    summary = serializers.CharField()
    complete = serializers.BooleanField()
    reasons = ExplanationReasonSerializer(many=True)


def proposal_data(run: PlanRun, found: Comparison) -> dict[str, Any]:
    """The run page's comparison as data: its rows with the ISO dates and ids beside the
    words, the score parts beside the draft's."""
    stored = {row["key"]: row for row in run.result.get("events", [])}
    rows = []
    for row in found.rows:
        kept = stored[row.key]
        rows.append(
            {
                **asdict(row),
                "event": kept.get("event_id"),
                "kind": kept["kind"],
                "establishment": kept["establishment"],
                "starts_on": kept["starts_on"],
                "ends_on": kept["ends_on"],
                "current_starts_on": kept.get("current_starts_on"),
                "current_ends_on": kept.get("current_ends_on"),
                "team": kept["members"],
            }
        )
    return {
        "search": run.result.get("status", ""),
        "new": found.new,
        "moved": found.moved,
        "changed_people": found.changed_people,
        "proposal_total": found.proposal_total,
        "draft_total": found.draft_total,
        "draft_violations": found.draft_violations,
        "scores": [
            {
                "name": name,
                "label": label,
                "proposal": found.proposal.get(name, 0),
                "draft": found.draft.get(name) if found.draft else None,
            }
            for name, label in SCORE_LABELS.items()
        ],
        "warnings": list(run.result.get("warnings", [])),
        "rows": rows,
    }


class PlanRunDetailSerializer(PlanRunSerializer):
    """A run with what it found: the proposal beside the draft, or why there is none.
    The view puts the run's comparison in the context as `comparison`."""

    proposal = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta(PlanRunSerializer.Meta):
        fields = [*PlanRunSerializer.Meta.fields, "proposal", "explanation"]
        read_only_fields = fields

    @extend_schema_field(ProposalSerializer(allow_null=True))
    def get_proposal(self, run: PlanRun) -> dict[str, Any] | None:
        found = self.context.get("comparison")
        return None if found is None else proposal_data(run, found)

    @extend_schema_field(ExplanationSerializer(allow_null=True))
    def get_explanation(self, run: PlanRun) -> dict[str, Any] | None:
        return run.explanation or None


class WrittenEventSerializer(KindAsText, serializers.ModelSerializer[Event]):
    establishment = serializers.CharField(source="establishment.code", read_only=True)

    class Meta:
        model = Event
        fields = ["id", "kind", "establishment", "starts_on", "ends_on", "version"]
        read_only_fields = fields


class PlanAcceptedSerializer(serializers.Serializer):
    events = WrittenEventSerializer(many=True, help_text="The events scheduled or moved.")
    run = PlanRunDetailSerializer()


# Writes -----------------------------------------------------------------------------------

_DEFAULT_WEIGHTS = Weights()


def default_weights() -> dict[str, int]:
    """The weights the planner's form starts with."""
    return {name: getattr(_DEFAULT_WEIGHTS, name) for name in SCORE_LABELS}


def _weight(name: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        default=getattr(_DEFAULT_WEIGHTS, name),
        help_text=f"Points: {SCORE_LABELS[name].lower()}. A whole number from 0 to 10000.",
    )


class PlanWeightsInput(serializers.Serializer):
    """The score's weights, as on the planner's form; each left out keeps its default."""

    lateness = _weight("lateness")
    balance = _weight("balance")
    region = _weight("region")
    understaffing = _weight("understaffing")
    moved = _weight("moved")
    reassigned = _weight("reassigned")


class PlanRequestInput(serializers.Serializer):
    programme = serializers.IntegerField(help_text="The programme's year (April it starts in).")
    time_limit = serializers.IntegerField(
        required=False,
        default=DEFAULT_TIME_LIMIT,
        help_text="Seconds the planner may search: one of "
        + ", ".join(str(limit) for limit in TIME_LIMITS)
        + ".",
    )
    closed_weeks = serializers.ListField(
        child=serializers.DateField(),
        required=False,
        max_length=60,
        help_text="Mondays of weeks with no event on site. Left out: the weeks of Christmas "
        "and New Year, as the form suggests; [] closes none.",
    )
    fixed_events = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=500,
        help_text="Events of the programme kept in their week, with their teams' members.",
    )
    weights = PlanWeightsInput(required=False)


class PlanAcceptInput(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=list,
        max_length=500,
        help_text="The `key`s of the proposal's rows to accept.",
    )
    all = serializers.BooleanField(
        required=False, default=False, help_text="Accept the whole proposal (leave items out)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["all"] and attrs["items"]:
            raise serializers.ValidationError(
                {"items": "Send the items to accept, or all, not both"}
            )
        return attrs
