"""Fieldwork and findings through the API, through the same services and `visible_to(user)`
as the screens: evidence forms (IN-7), observations (IN-8), meetings, the briefing (IN-1),
concerns (IN-5), recommendations, notable positive practice and IRP follow-ups (IN-6) with
their progress judgements (JG-6, JG-7). Every write carries If-Match: the event's version to
add a record, the record's own version to change, move or remove it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from inspectorate.accounts.models import User
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.base import (
    EVENT_VERSION,
    IF_MATCH,
    Changeable,
    ReadViewSet,
    Removable,
    Write,
    chosen,
    events_of,
    if_match,
    own_writes,
    record_unannounced_reads,
    require_version,
    scoped,
    valid_input,
    visible_event,
)
from inspectorate.api.errors import PreconditionFailed
from inspectorate.api.fieldwork import serializers as fs
from inspectorate.api.filters import Filter
from inspectorate.api.judgements import serializers as js
from inspectorate.api.judgements.views import _level
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.inspections.fieldwork import services as fieldwork_services
from inspectorate.inspections.findings import services as findings_services
from inspectorate.inspections.models import (
    Briefing,
    Concern,
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
    Meeting,
    Observation,
    PositivePractice,
    Recommendation,
)
from inspectorate.programme.models import Event


def _schema(what: str) -> Callable[[type[EventRecords]], type[EventRecords]]:
    """The schema of an event record's writes, from the view set's own inputs and
    serializer: added, changed and, when the view set is Removable, deleted."""

    def decorate(view_set: type[EventRecords]) -> type[EventRecords]:
        writes = {
            "create": Write(f"Add {what}", view_set.create_input, description=EVENT_VERSION),
            "update": Write(f"Change {what}", view_set.change_input),
        }
        if issubclass(view_set, Removable):
            writes["destroy"] = Write(f"Delete {what}")
        answer = view_set.serializer_class
        assert answer is not None
        documented: type[EventRecords] = own_writes(answer, **writes)(view_set)
        return documented

    return decorate


class EventRecords(mixins.CreateModelMixin, Changeable):
    """Records of one event: added with the event's If-Match, changed with their own.
    A view set names its bodies (`create_input` with the event's id, `change_input`) and
    calls its services in `added` and `changed`; both answer with `serializer_class`."""

    http_method_names = ["get", "post", "put", "head", "options"]
    create_input: type[BaseSerializer[Any]]

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return events_of(records)

    def added(self, actor: User, event: Event, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(self.create_input, request)
        event = self._event(data.pop("event"))
        record = self.added(signed_in_user(request), event, data)
        return self.answer(record, self.get_serializer_class(), status.HTTP_201_CREATED)

    def _event(self, pk: int) -> Event:
        event = visible_event(self.request, pk)
        require_version(self.request, event)
        return event

    def _users(self, ids: Sequence[int]) -> list[User]:
        """The attendees named; the service checks that they are on the event's team."""
        users = list(User.objects.filter(pk__in=ids))
        if len(users) != len(set(ids)):
            raise ValidationError({"attendees": "Choose attendees from the event's team"})
        return users


class FieldworkRecords(EventRecords):
    def record_reads(self, records: Sequence[Any]) -> None:
        record_unannounced_reads(self.request, records)


class AttendedRecords(FieldworkRecords):
    """Meetings and briefings: the attendees named are checked before a change's If-Match
    (and after an addition's), as they always were."""

    def checked_before_version(self, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "attendees": self._users(data["attendees"])}


def _fieldwork(request: Request, model: type[Model]) -> QuerySet[Any]:
    """The `model` records the user may see, of events in the token's scope, with their
    event's establishment: the start of every fieldwork and findings list."""
    records = model._default_manager.visible_to(request.user)  # type: ignore[attr-defined]
    return scoped(request, records).select_related("event__establishment")


# Evidence forms (IN-7) ------------------------------------------------------------------


@own_writes(
    fs.EvidenceSerializer,
    create=Write("Record an evidence form", fs.EvidenceCreateInput, description=EVENT_VERSION),
    update=Write("Change an evidence form", fs.EvidenceInput),
)
class EvidenceViewSet(FieldworkRecords):
    """Evidence forms (IN-7): the event's team and quality assurance."""

    serializer_class = fs.EvidenceSerializer
    create_input = fs.EvidenceCreateInput
    change_input = fs.EvidenceInput
    query_filters = {
        "event": Filter("event_id", int),
        "aspect": Filter("aspect_id", int),
        "source": Filter("source"),
    }
    ordering_fields = ("evidence_on", "created_at")
    ordering = ("evidence_on",)

    def get_queryset(self) -> QuerySet[EvidenceForm]:
        return _fieldwork(self.request, EvidenceForm).select_related("author", "aspect__framework")

    def _fields(self, event: Event, data: dict[str, Any]) -> dict[str, Any]:
        aspect = chosen(
            Aspect.objects.all(),
            data["aspect"],
            "aspect",
            "Choose the aspect the evidence bears on from the frameworks used at this event (IN-7)",
        )
        observation = chosen(
            Observation.objects.visible_to(self.request.user).filter(event=event),
            data["observation"],
            "observation",
            "Choose an observation made at this event",
        )
        return {
            "evidence_on": data["evidence_on"],
            "source": data["source"],
            "aspect": aspect,
            "text": data["text"],
            "observation": observation,
        }

    def added(self, actor: User, event: Event, data: dict[str, Any]) -> Model:
        return fieldwork_services.evidence_create(
            actor=actor, event=event, **self._fields(event, data)
        )

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return fieldwork_services.evidence_update(
            actor=actor, evidence=record, version=version, **self._fields(record.event, data)
        )


# Observations (IN-8) --------------------------------------------------------------------


@_schema("an observation (IN-8)")
class ObservationViewSet(FieldworkRecords):
    """Observations of sessions: the event's team and quality assurance."""

    serializer_class = fs.ObservationSerializer
    create_input = fs.ObservationCreateInput
    change_input = fs.ObservationInput
    query_filters = {"event": Filter("event_id", int), "kind": Filter("kind")}
    ordering_fields = ("observed_on",)
    ordering = ("observed_on", "pk")

    def get_queryset(self) -> QuerySet[Observation]:
        return _fieldwork(self.request, Observation).select_related("observer", "grade")

    def _fields(self, data: dict[str, Any]) -> dict[str, Any]:
        grade = chosen(
            Level.objects.all(), data["grade"], "grade", "Choose a grade of the observation scale"
        )
        return {**data, "grade": grade}

    def added(self, actor: User, event: Event, data: dict[str, Any]) -> Model:
        return fieldwork_services.observation_create(actor=actor, event=event, **self._fields(data))

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return fieldwork_services.observation_update(
            actor=actor, observation=record, version=version, **self._fields(data)
        )


# Meetings and the briefing (IN-1) -------------------------------------------------------


@_schema("a meeting")
class MeetingViewSet(AttendedRecords):
    """Team meetings, the deliberation (IN-3) and the final feedback (IN-4)."""

    serializer_class = fs.MeetingSerializer
    create_input = fs.MeetingCreateInput
    change_input = fs.MeetingInput
    query_filters = {"event": Filter("event_id", int), "kind": Filter("kind")}
    ordering_fields = ("held_on",)
    ordering = ("held_on", "pk")

    def get_queryset(self) -> QuerySet[Meeting]:
        return _fieldwork(self.request, Meeting).prefetch_related("attendees")

    def added(self, actor: User, event: Event, data: dict[str, Any]) -> Model:
        attendees = self._users(data.pop("attendees"))
        return fieldwork_services.meeting_create(
            actor=actor, event=event, attendees=attendees, **data
        )

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return fieldwork_services.meeting_update(
            actor=actor, meeting=record, version=version, **data
        )


@_schema("the pre-inspection briefing (IN-1)")
class BriefingViewSet(AttendedRecords):
    """The pre-inspection briefing of each event (IN-1)."""

    serializer_class = fs.BriefingSerializer
    create_input = fs.BriefingCreateInput
    change_input = fs.BriefingInput
    query_filters = {"event": Filter("event_id", int)}
    ordering_fields = ("held_on",)
    ordering = ("held_on", "pk")

    def get_queryset(self) -> QuerySet[Briefing]:
        return _fieldwork(self.request, Briefing).prefetch_related("attendees")

    def added(self, actor: User, event: Event, data: dict[str, Any]) -> Model:
        if Briefing.objects.filter(event=event).exists():
            raise ValidationError({"event": "The briefing is recorded: change it (PUT) instead"})
        attendees = self._users(data.pop("attendees"))
        return fieldwork_services.briefing_record(
            actor=actor, event=event, attendees=attendees, **data
        )

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return fieldwork_services.briefing_record(
            actor=actor, event=record.event, version=version, **data
        )


# Findings: concerns (IN-5), notable positive practice, recommendations ------------------


class Movable(ReadViewSet):
    """Records in the report's order, moved one place at a time as on the screens."""

    @extend_schema(
        summary="Move one place up or down in the report's order",
        description="If-Match: the record's version. Moving renumbers the positions of the "
        "record and its neighbours but changes no one's version, so it never refuses an edit "
        "of their text; it answers the record with its new position.",
        request=fs.MoveInput,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        record = self.get_object()
        data = valid_input(fs.MoveInput, request)
        require_version(request, record)
        findings_services.finding_move(
            actor=signed_in_user(request), record=record, direction=data["direction"]
        )
        return self.answer(self.get_object(), self.get_serializer_class())


class FindingsRecords(EventRecords, Removable, Movable):
    http_method_names = ["get", "post", "put", "delete", "head", "options"]


@_schema("a concern (IN-5)")
class ConcernViewSet(FindingsRecords):
    """Concerns of an inspection. Ofsted's fifth key concern answers 400 (code
    override_needed, field override_reason) until `override_reason` says why (IN-5)."""

    serializer_class = fs.ConcernSerializer
    create_input = fs.ConcernCreateInput
    change_input = fs.ConcernInput
    query_filters = {"event": Filter("event_id", int), "kind": Filter("kind")}
    ordering_fields = ("position",)
    ordering = ("event_id", "kind", "position")

    def get_queryset(self) -> QuerySet[Concern]:
        return _fieldwork(self.request, Concern)

    def added(self, actor: User, event: Event, data: dict[str, Any]) -> Model:
        return findings_services.concern_add(actor=actor, event=event, **data)

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return findings_services.concern_edit(actor=actor, concern=record, version=version, **data)

    def removed(self, actor: User, record: Any, version: int) -> None:
        findings_services.concern_delete(actor=actor, concern=record, version=version)


@_schema("notable positive practice")
class PositivePracticeViewSet(FindingsRecords):
    """Notable positive practice of an inspection."""

    serializer_class = fs.PositivePracticeSerializer
    create_input = fs.PositivePracticeCreateInput
    change_input = fs.PositivePracticeInput
    query_filters = {"event": Filter("event_id", int)}
    ordering_fields = ("position",)
    ordering = ("event_id", "position")

    def get_queryset(self) -> QuerySet[PositivePractice]:
        return _fieldwork(self.request, PositivePractice)

    def _follow_up(self, event: Event, data: dict[str, Any]) -> dict[str, Any]:
        """The follow-up id as the review's follow-up (RP-7)."""
        follow_up = chosen(
            FollowUp.objects.filter(event=event),
            data.pop("follow_up"),
            "follow_up",
            "Choose a follow-up of this review",
        )
        return {**data, "follow_up": follow_up}

    def added(self, actor: User, event: Event, data: dict[str, Any]) -> Model:
        return findings_services.positive_practice_add(
            actor=actor, event=event, **self._follow_up(event, data)
        )

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return findings_services.positive_practice_edit(
            actor=actor, practice=record, version=version, **self._follow_up(record.event, data)
        )

    def removed(self, actor: User, record: Any, version: int) -> None:
        findings_services.positive_practice_delete(actor=actor, practice=record, version=version)


class RecommendationViewSet(ReadViewSet):
    serializer_class = fs.RecommendationSerializer
    query_filters = {
        "event": Filter("event_id", int),
        "establishment": Filter("event__establishment_id", int),
    }
    ordering_fields = ("position", "paragraph_reference")
    ordering = ("event_id", "position")

    def get_queryset(self) -> QuerySet[Recommendation]:
        return _fieldwork(self.request, Recommendation)

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return events_of(records)


@_schema("a recommendation")
class RecommendationWriteViewSet(RecommendationViewSet, FindingsRecords):
    """Recommendations: read as before; added, changed and deleted by the event's leads."""

    create_input = fs.RecommendationCreateInput
    change_input = fs.RecommendationInput

    def _links(self, event: Event, data: dict[str, Any]) -> dict[str, Any]:
        user = self.request.user
        concern = chosen(
            Concern.objects.visible_to(user).filter(event=event),
            data["concern"],
            "concern",
            "Choose a concern of this inspection",
        )
        previous = chosen(
            Recommendation.objects.visible_to(user),
            data["previous"],
            "previous",
            "Choose an earlier recommendation",
        )
        return {
            "text": data["text"],
            "paragraph_reference": data["paragraph_reference"],
            "concern": concern,
            "previous": previous,
        }

    def added(self, actor: User, event: Event, data: dict[str, Any]) -> Model:
        return findings_services.recommendation_add(
            actor=actor, event=event, **self._links(event, data)
        )

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return findings_services.recommendation_edit(
            actor=actor,
            recommendation=record,
            version=version,
            **self._links(record.event, data),
        )

    def removed(self, actor: User, record: Any, version: int) -> None:
        findings_services.recommendation_delete(actor=actor, recommendation=record, version=version)


# IRP follow-ups (IN-6) ------------------------------------------------------------------

REMOVE_REASON = OpenApiParameter(
    "reason",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="Why, once the IRP is announced (IN-6): until it is given, removing answers "
    "400 (code override_needed, field reason).",
)


def _progress_version(request: Request, existing: Judgement | None) -> int | None:
    """If-Match of a progress judgement: its version, or 0 before it has one (None to the
    service, as the screen's form sends)."""
    version = if_match(request)
    if version != (existing.version if existing else 0):
        raise PreconditionFailed()
    return version if existing else None


def _cited(request: Request, event: Event, ids: Sequence[int]) -> list[EvidenceForm]:
    """The evidence forms named, as the user may see them at the event (the service checks
    that they bear on the judged aspect)."""
    forms = {
        form.pk: form
        for form in EvidenceForm.objects.visible_to(request.user).filter(pk__in=ids, event=event)
    }
    if set(ids) - set(forms):
        raise ValidationError({"evidence": "Cite only evidence recorded at this IRP"})
    return [forms[pk] for pk in ids]


class FollowUpViewSet(ReadViewSet):
    """What IRPs follow up: recommendations and Ofsted themes."""

    serializer_class = fs.FollowUpSerializer
    query_filters = {"event": Filter("event_id", int), "kind": Filter("kind")}
    ordering_fields = ("position",)
    ordering = ("event_id", "kind", "position")

    def get_queryset(self) -> QuerySet[FollowUp]:
        user = self.request.user
        items = FollowUp.objects.visible_to(user)
        judgements = Judgement.objects.visible_to(user).select_related("level")
        return (
            scoped(self.request, items)
            .select_related("recommendation", "event__inspection", "event__establishment")
            .prefetch_related(Prefetch("judgements", judgements, to_attr="visible_judgements"))
        )

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return events_of(records)


@extend_schema_view(
    destroy=extend_schema(
        summary="Stop following up an item (IN-6)",
        description="If-Match: the item's version. Refused once its progress is judged or the "
        "report has gone for checking.",
        parameters=[IF_MATCH, REMOVE_REASON],
    )
)
class FollowUpWriteViewSet(FollowUpViewSet, Removable, Movable):
    """What IRPs follow up: chosen, added to, written, ordered, judged and removed by the
    IRP's leads (IN-6, JG-6, JG-7)."""

    http_method_names = ["get", "post", "delete", "head", "options"]

    @extend_schema(
        summary="Choose the recommendations an IRP follows up (IN-6)",
        description="If-Match: the version of GET /api/v1/judgements/stage/?event={id} (the "
        "selection's; 1 before anything is recorded). More than 15, or any change once the "
        "IRP is announced, answers 400 (code override_needed) until `reason` says why.",
        request=fs.FollowUpSelectInput,
        responses=fs.FollowUpSerializer(many=True),
        parameters=[IF_MATCH],
    )
    @action(detail=False, methods=["post"])
    def select(self, request: Request) -> Response:
        data = valid_input(fs.FollowUpSelectInput, request)
        event = visible_event(self.request, data["event"])
        # The selection's version is the inspection record's; the service creates that
        # record (version 1) on first use, so nothing is written here before it checks.
        current = Inspection.objects.filter(event=event).first()
        version = if_match(request)
        if version != (current.version if current else 1):
            raise PreconditionFailed()
        source = Recommendation.objects.visible_to(request.user).filter(
            pk__in=data["recommendations"]
        )
        chosen = list(source)
        if len(chosen) != len(set(data["recommendations"])):
            raise ValidationError({"recommendations": "Choose recommendations you can see"})
        items = findings_services.follow_up_select(
            actor=signed_in_user(request),
            event=event,
            recommendations=chosen,
            version=version,
            reason=data["reason"],
        )
        body = fs.FollowUpSerializer(items, many=True, context=self.get_serializer_context()).data
        return Response(body)

    @extend_schema(
        summary="Add an Ofsted theme to follow up (IN-6)",
        description="If-Match: the event's version.",
        request=fs.FollowUpThemeInput,
        responses={201: fs.FollowUpSerializer},
        parameters=[IF_MATCH],
    )
    @action(detail=False, methods=["post"])
    def theme(self, request: Request) -> Response:
        data = valid_input(fs.FollowUpThemeInput, request)
        event = visible_event(self.request, data["event"])
        require_version(request, event)
        item = findings_services.follow_up_theme_add(
            actor=signed_in_user(request), event=event, theme=data["theme"], reason=data["reason"]
        )
        return self.answer(item, fs.FollowUpSerializer, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Write an item's narrative (and correct a theme's wording)",
        request=fs.FollowUpNarrativeInput,
        responses=fs.FollowUpSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def narrative(self, request: Request, pk: str) -> Response:
        item: FollowUp = self.get_object()
        data = valid_input(fs.FollowUpNarrativeInput, request)
        changed = findings_services.follow_up_edit(
            actor=signed_in_user(request),
            follow_up=item,
            narrative=data["narrative"],
            theme=data["theme"],
            version=require_version(request, item),
        )
        return self.answer(changed, fs.FollowUpSerializer)

    @extend_schema(
        summary="Judge an item's progress (JG-6, JG-7)",
        description="On the item's own scale: recommendations on the HMI Prisons IRP progress "
        "scale, themes on Ofsted's. If-Match: the version of the item's progress judgement "
        '(GET /api/v1/judgements/?event={id}, where follow_up is this item), or "0" before it has '
        "one. Answers 201 for a first judgement, 200 for a change.",
        request=fs.FollowUpJudgeInput,
        responses={200: js.JudgementSerializer, 201: js.JudgementSerializer},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def judge(self, request: Request, pk: str) -> Response:
        item: FollowUp = self.get_object()
        data = valid_input(fs.FollowUpJudgeInput, request)
        aspect = findings_services.progress_aspect(item.kind, item.event)
        existing = Judgement.objects.filter(follow_up=item, aspect=aspect).first()
        version = _progress_version(request, existing)
        judgement = findings_services.follow_up_judge(
            actor=signed_in_user(request),
            follow_up=item,
            level=_level(aspect, data["level"]),
            evidence=_cited(request, item.event, data["evidence"]),
            rationale=data["rationale"],
            version=version,
        )
        code = status.HTTP_200_OK if existing else status.HTTP_201_CREATED
        return self.answer(judgement, js.JudgementSerializer, code)

    def removed(self, actor: User, record: Any, version: int) -> None:
        findings_services.follow_up_remove(
            actor=actor,
            follow_up=record,
            version=version,
            reason=self.request.query_params.get("reason", ""),
        )
