"""Judgements through the API: read as `Judgement.objects.visible_to` allows; recorded,
changed, moderated and corrected through `judgement_services`, as the screens do (IN-7,
JG-9). Every write carries If-Match."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.models import User
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.base import (
    EVENT_VERSION,
    IF_MATCH,
    Acting,
    Changeable,
    Write,
    chosen,
    events_of,
    own_writes,
    record_action,
    require_version,
    scoped,
    valid_input,
    visible_event,
)
from inspectorate.api.filters import Filter
from inspectorate.api.judgements import serializers as js
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.inspections.judgements import services as judgement_services
from inspectorate.inspections.models import (
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
    JudgementCorrection,
)
from inspectorate.programme.models import Event

EVENT = OpenApiParameter("event", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True)


def _level(aspect: Aspect, slug: str) -> Level:
    level = Level.objects.filter(scale_id=aspect.scale_id, slug=slug).first()
    if level is None:
        raise ValidationError({"level": f"Choose a level of the {aspect.scale.name}"})
    return level


def _inspection(request: Request, event: Event) -> Inspection:
    inspection = Inspection.objects.visible_to(request.user).filter(event=event).first()
    if inspection is None:
        raise ValidationError({"event": "No judgement is recorded at this event yet"})
    return inspection


@own_writes(
    js.JudgementSerializer,
    create=Write(
        "Record a judgement citing its evidence (IN-7)",
        js.JudgementCreateInput,
        description=EVENT_VERSION,
    ),
    update=Write("Change a judgement (before the factual-accuracy check)", js.JudgementInput),
)
class JudgementViewSet(mixins.CreateModelMixin, Changeable):
    """Judgements, as `Judgement.objects.visible_to` allows."""

    serializer_class = js.JudgementSerializer
    change_input = js.JudgementInput
    http_method_names = ["get", "post", "put", "head", "options"]
    query_filters = {
        "event": Filter("event_id", int),
        "framework": Filter("framework__slug"),
        "aspect": Filter("aspect__code"),
        "status": Filter("status"),
    }
    ordering_fields = ("decided_at",)
    ordering = ("event_id", "aspect__position")

    def get_queryset(self) -> QuerySet[Judgement]:
        judgements = Judgement.objects.visible_to(self.request.user)
        # Frameworks, aspects and levels are a few dozen rows shared by every judgement:
        # prefetched, each is built once per page instead of once per row.
        return (
            scoped(self.request, judgements)
            .select_related("event__establishment")
            .prefetch_related("framework", "aspect", "level")
        )

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return events_of(records)

    def _evidence(self, event: Event, ids: Sequence[int]) -> list[EvidenceForm]:
        forms = EvidenceForm.objects.visible_to(self.request.user).filter(pk__in=ids, event=event)
        found = {form.pk: form for form in forms}
        if set(ids) - set(found):
            raise ValidationError({"evidence": "Cite only evidence recorded at this event (IN-7)"})
        return [found[pk] for pk in ids]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(js.JudgementCreateInput, request)
        event = visible_event(request, data["event"])
        require_version(request, event)
        aspect = chosen(
            Aspect.objects.select_related("scale"),
            data["aspect"],
            "aspect",
            "Choose an aspect of the frameworks used here",
        )
        follow_up = chosen(
            FollowUp.objects.visible_to(request.user).filter(event=event),
            data["follow_up"],
            "follow_up",
            "Choose an item this event follows up",
        )
        if Judgement.objects.filter(event=event, aspect=aspect, follow_up=follow_up).exists():
            raise ValidationError(
                {"aspect": "This is judged already: change that judgement (PUT) instead"}
            )
        judgement = judgement_services.judgement_record(
            actor=signed_in_user(request),
            event=event,
            aspect=aspect,
            level=_level(aspect, data["level"]),
            evidence=self._evidence(event, data["evidence"]),
            rationale=data["rationale"],
            follow_up=follow_up,
            override_reason=data["override_reason"],
            version=None,
        )
        return self.answer(judgement, js.JudgementSerializer, status.HTTP_201_CREATED)

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        judgement: Judgement = record
        return judgement_services.judgement_record(
            actor=actor,
            event=judgement.event,
            aspect=judgement.aspect,
            level=_level(judgement.aspect, data["level"]),
            evidence=self._evidence(judgement.event, data["evidence"]),
            rationale=data["rationale"],
            follow_up=judgement.follow_up,
            override_reason=data["override_reason"],
            version=version,
        )

    @extend_schema(
        summary="The stage of an event's judgements (its ETag is moderation's If-Match)",
        parameters=[EVENT],
        responses=js.InspectionStageSerializer,
    )
    @action(detail=False, methods=["get"])
    def stage(self, request: Request) -> Response:
        raw = request.query_params.get("event", "")
        if not raw.isdigit():
            raise ValidationError({"event": "Give the event's id"})
        event = visible_event(request, int(raw))
        return self.answer(_inspection(request, event), js.InspectionStageSerializer)

    @extend_schema(
        summary="Moderate the event's judgements",
        description="If-Match: the version of GET /api/v1/judgements/stage/?event={id}.",
        request=js.ModerateInput,
        responses=js.InspectionStageSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=False, methods=["post"])
    def moderate(self, request: Request) -> Response:
        data = valid_input(js.ModerateInput, request)
        event = visible_event(request, data["event"])
        version = require_version(request, _inspection(request, event))
        inspection = judgement_services.judgements_moderate(
            actor=signed_in_user(request), event=event, version=version
        )
        return self.answer(inspection, js.InspectionStageSerializer)

    @record_action(
        summary="Correct a judgement after the factual-accuracy check (JG-9)",
        description="The lead inspector, with a quality-assurance approver. If-Match: the "
        "judgement's version.",
        input=js.CorrectionInput,
        output=js.CorrectionSerializer,
        created=True,
    )
    def correct(self, act: Acting) -> JudgementCorrection:
        approver = None
        if act.data["approved_by"] is not None:
            approver = User.objects.filter(pk=act.data["approved_by"], is_active=True).first()
        return judgement_services.judgement_correct(
            actor=act.actor,
            judgement=act.record,
            level=_level(act.record.aspect, act.data["level"]),
            factual_error=act.data["factual_error"],
            approved_by=approver,
            version=act.version,
        )
