"""What every API view stands on: ETags and If-Match, the read view set that logs
confidential reads, the token's narrowing, and `record_action`, the one shape of a write on
a record (read it, check the body and If-Match, call the service, answer with the ETag)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.fields import empty
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, Serializer

from inspectorate.accounts.models import User
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.errors import PreconditionFailed, PreconditionRequired
from inspectorate.api.filters import Filter
from inspectorate.api.idempotency import IdempotentWrites
from inspectorate.api.permissions import events_in_scope, token_of, visible_events
from inspectorate.audit.services import access_records
from inspectorate.lib.models import attributes
from inspectorate.programme.models import Event
from inspectorate.programme.selectors import confidential_reads_record

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    # Declared optional so that a client may leave it out and be told why (428); every
    # operation that takes it answers 428 without it.
    required=False,
    description="Needed: the version (ETag) of the record acted on, as read from its GET: "
    '"3". Without it the answer is 428; with a version that is no longer current, 412.',
)


class LoginNotRequired(IdempotentWrites):
    """API views answer 401 themselves: the site's sign-in redirect does not apply.
    Every API view starts here, so every write also takes an Idempotency-Key."""

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        view = super().as_view(*args, **kwargs)  # type: ignore[misc]
        return login_not_required(view)


# ETags and If-Match -----------------------------------------------------------------------


def etag(version: int) -> str:
    return f'"{version}"'


def if_match(request: Request) -> int:
    """The version the client read, from If-Match; 428 without one."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw:
        raise PreconditionRequired()
    value = raw.removeprefix("W/").strip().strip('"')
    if not value.isdigit():
        raise PreconditionFailed('If-Match must be the ETag of the record, for example "3".')
    return int(value)


def require_version(request: Request, record: Any) -> int:
    """If-Match must name the record's current version: 428 without, 412 when stale."""
    version = if_match(request)
    if version != record.version:
        raise PreconditionFailed()
    return version


def with_etag(response: Response, record: Any) -> Response:
    version = getattr(record, "version", None)
    if isinstance(version, int):
        response["ETag"] = etag(version)
    return response


# Base read view ---------------------------------------------------------------------------


class ReadViewSet(
    LoginNotRequired,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List and read records the user may see; logs confidential event reads (PG-3)."""

    query_filters: dict[str, Filter] = {}
    ordering_fields: Sequence[str] = ()
    ordering: Sequence[str] = ()

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        """The events whose dates these records show (logged when confidential)."""
        return []

    def record_reads(self, records: Sequence[Any]) -> None:
        events = {event.pk: event for event in self.events_read(records)}
        if events:
            confidential_reads_record(
                user=self.request.user, events=events.values(), path=self.request.path
            )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        self.record_reads(rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        self.record_reads([record])
        return with_etag(Response(self.get_serializer(record).data), record)

    def answer(
        self, record: Model, serializer: type[BaseSerializer[Any]], code: int = 200
    ) -> Response:
        data = serializer(record, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=code), record)


def record_unannounced_reads(request: Request, records: Sequence[Any]) -> None:
    """As the fieldwork screens do: every read of an unannounced inspection's fieldwork is
    logged, record by record (PG-3)."""
    unannounced = [record for record in records if not record.event.is_announced]
    access_records(actor=signed_in_user(request), records=unannounced, path=request.path)


def scoped(request: Request, records: QuerySet[Any], prefix: str = "event") -> QuerySet[Any]:
    """Records of events the token's organisations take part in (no narrowing otherwise)."""
    token = token_of(request)
    if token is None or not token.organisations:
        return records
    return records.filter(**{f"{prefix}__in": events_in_scope(request, Event.objects.all())})


def valid_input(
    serializer: type[BaseSerializer[Any]], request: Request, partial: bool = False
) -> dict[str, Any]:
    """The body checked against `serializer` (as a PATCH when `partial`): 400 when invalid."""
    checked = serializer(data=request.data, partial=partial)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


def chosen(records: QuerySet[Any], pk: int | None, field: str, message: str) -> Any:
    """The record with `pk` among `records` (None when no pk was given); 400 naming `field`
    when there is none the user may see."""
    if pk is None:
        return None
    record = records.filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: message})
    return record


def visible_event(request: Request, pk: int) -> Event:
    """The event `pk` among those the user may see (and the token reaches): 400 naming
    `event` when there is none."""
    event: Event = chosen(visible_events(request), pk, "event", "Select an event you can see")
    return event


def events_of(records: Sequence[Any]) -> list[Event]:
    return [record.event for record in records]


@dataclass(frozen=True)
class Acting:
    """What a record action's handler is given: the request's user, the record it acts on
    (one the user may see), the version If-Match named and the checked body."""

    request: Request
    actor: User
    record: Any
    version: int
    data: dict[str, Any]

    def service_args(self, name: str, *, versioned: bool = True) -> dict[str, Any]:
        """What a record's service is called with: who acts, on the record (its argument
        `name`), from the version If-Match named (unless not `versioned`), with the checked
        body."""
        args = {"actor": self.actor, name: self.record, **self.data}
        if versioned:
            args["version"] = self.version
        return args


Handler = Callable[[Any, Acting], "Model | Response | None"]


def record_action(
    *,
    summary: str,
    output: type[BaseSerializer[Any]] | None,
    input: type[BaseSerializer[Any]] | None = None,
    description: str | None = None,
    url_path: str | None = None,
    created: bool = False,
    if_match: bool = True,
    versioned: Callable[[Any], Any] | None = None,
    routed: bool = True,
    logs_read: bool = False,
    parameters: Sequence[OpenApiParameter] = (),
    permission_classes: Sequence[type[BasePermission]] | None = None,
) -> Callable[[Handler], Any]:
    """A POST on one record, as every API write on a record goes: the record from the view
    set's queryset (404 when the user may not see it), the body checked against `input`
    (400), If-Match against the record's version (428, 412), then the handler calls the
    service; its result is answered with `output` and its ETag (201 when `created`).
    A service's refusal answers 400 through the API's exception handler.

    The same shape serves the other writes on a record:
    - `routed=False`: the view set's own `update`, `partial_update` or `destroy` (PUT,
      PATCH, DELETE), which its router routes already.
    - `output=None`: nothing to answer but 204 (a DELETE).
    - `if_match=False`: records with no version, or writes the screens check none for; the
      handler's `version` is then the record's version as read (0 when it has none).
    - `versioned`: what If-Match names the version of, when it is not the record itself
      (the event of a team member, the programme of a plan run).
    - `logs_read`: the record read is logged through the view set's `record_reads`, as the
      view set's own reads are.
    - `parameters`: more parameters for the schema (If-Match comes after them).
    - `permission_classes`: the routed action's own permissions, in place of the view set's.
    A handler that needs an answer of its own (another ETag, a header) returns a Response."""

    def decorate(handler: Handler) -> Any:
        @functools.wraps(handler)
        def view(self: ReadViewSet, request: Request, *args: Any, **kwargs: Any) -> Response:
            record = self.get_object()
            if logs_read:
                self.record_reads([record])
            data = valid_input(input, request) if input is not None else {}
            protected = versioned(record) if versioned is not None else record
            version = (
                require_version(request, protected)
                if if_match
                else getattr(protected, "version", 0)
            )
            acting = Acting(request, signed_in_user(request), record, version, data)
            return _answered(self, handler(self, acting), output, 201 if created else 200)

        routing: dict[str, Any] = {"url_path": url_path}
        if permission_classes is not None:
            routing["permission_classes"] = permission_classes
        routed_view = action(detail=True, methods=["post"], **routing)(view) if routed else view
        answers = {201: output} if created else output
        return extend_schema(
            summary=summary,
            description=description,
            request=input,
            responses=empty if output is None else answers,
            parameters=[*parameters, IF_MATCH] if if_match else list(parameters),
        )(routed_view)

    return decorate


def _answered(
    view: ReadViewSet,
    result: Model | Response | None,
    output: type[BaseSerializer[Any]] | None,
    code: int,
) -> Response:
    if isinstance(result, Response):
        return result
    if output is None or result is None:
        return Response(status=204)
    return view.answer(result, output, code)


class DetailedReads(ReadViewSet):
    """A read view set whose single record reads answer more than its list rows:
    `detail_serializer_class` for retrieve, `serializer_class` for everything else."""

    detail_serializer_class: type[BaseSerializer[Any]]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "retrieve":
            return self.detail_serializer_class
        return super().get_serializer_class()


EVENT_VERSION = "If-Match: the event's version."


@dataclass(frozen=True)
class Write:
    """How the schema shows one of a view set's own writes (create, update,
    partial_update, destroy): its summary, its body and whether it takes If-Match."""

    summary: str
    input: type[BaseSerializer[Any]] | None = None
    description: str | None = None
    if_match: bool = True
    parameters: Sequence[OpenApiParameter] = ()


def own_writes(output: type[BaseSerializer[Any]], **writes: Write) -> Any:
    """The schema of a view set's own writes, each named by its action: a create answers
    201 with `output`, a destroy 204, the others 200 with `output`."""
    views = {}
    for name, write in writes.items():
        shown: dict[str, Any] = {"summary": write.summary}
        if write.description is not None:
            shown["description"] = write.description
        if write.input is not None:
            shown["request"] = write.input
        if name != "destroy":
            shown["responses"] = {201: output} if name == "create" else output
        parameters = [*write.parameters, IF_MATCH] if write.if_match else list(write.parameters)
        if parameters:
            shown["parameters"] = parameters
        views[name] = extend_schema(**shown)
    return extend_schema_view(**views)


class Changeable(mixins.UpdateModelMixin, ReadViewSet):
    """A PUT of a record at the version If-Match names: the body checked against
    `change_input`, then `changed` calls the service; answered with the view set's
    serializer. What must be checked before If-Match goes in `checked_before_version`."""

    change_input: type[BaseSerializer[Any]]

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def checked_before_version(self, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        data = self.checked_before_version(record, valid_input(self.change_input, request))
        version = require_version(request, record)
        changed = self.changed(signed_in_user(request), record, version, data)
        return self.answer(changed, self.get_serializer_class())


class Patchable(mixins.UpdateModelMixin, ReadViewSet):
    """A PATCH of a record at the version If-Match names: every field of `patch_input` left
    out keeps the record's value (`kept`); `patched` calls the service with them all.
    `partial_patch` checks the body as a PATCH (fields left out are not required)."""

    patch_input: type[Serializer[Any]]
    partial_patch: bool = False

    def patched(self, actor: User, record: Any, version: int, values: dict[str, Any]) -> Model:
        raise NotImplementedError

    def kept(self, record: Any) -> dict[str, Any]:
        """The record's saved values of the fields `patch_input` takes."""
        return attributes(record, *self.patch_input().get_fields())

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        data = valid_input(self.patch_input, request, partial=self.partial_patch)
        values = {**self.kept(record), **data}
        version = require_version(request, record)
        changed = self.patched(signed_in_user(request), record, version, values)
        return self.answer(changed, self.get_serializer_class())


class Removable(mixins.DestroyModelMixin, ReadViewSet):
    """Records deleted at the version If-Match names: `removed` calls the service. If-Match
    names the version of `versioned(record)`: the record itself unless a view set says."""

    def removed(self, actor: User, record: Any, version: int) -> None:
        raise NotImplementedError

    def versioned(self, record: Any) -> Any:
        return record

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        version = require_version(request, self.versioned(record))
        self.removed(signed_in_user(request), record, version)
        return Response(status=204)
