"""The REST API: thin views over the same selectors, `visible_to(user)` querysets and
services as the screens.

- Reads start from each model's `visible_to(user)` (events from `Event.objects.visible_to`,
  PG-3); a token's organisations only narrow that. What a user may not see answers 404,
  exactly like what does not exist.
- Every read that shows a confidential event's dates is logged, as the screens log it
  (`programme.selectors.confidential_reads_record`).
- Every write calls the service the screens call. It carries `If-Match` with the version
  (ETag) of the record it acts on: 428 without one, 412 when it is stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle

from inspectorate.accounts.models import User
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api import serializers as s
from inspectorate.api import services as token_services
from inspectorate.api.base import (
    Acting,
    LoginNotRequired,
    ReadViewSet,
    Removable,
    Write,
    chosen,
    events_of,
    own_writes,
    record_action,
    require_version,
    valid_input,
    with_etag,
)
from inspectorate.api.filters import Filter
from inspectorate.api.forms import TokenIssueForm
from inspectorate.api.models import ApiToken
from inspectorate.api.permissions import (
    SessionOnly,
    visible_events,
)
from inspectorate.api.schema import rendered_schema, schema_document
from inspectorate.api.selectors import tokens_visible_to
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.models import Inspector
from inspectorate.programme import services
from inspectorate.programme.models import Event, Programme, TeamMember
from inspectorate.programme.selectors import _organisation_takes_part
from inspectorate.programme.teams import services as team_services

# Establishments, inspectors, programmes ---------------------------------------------------


# EstablishmentViewSet and InspectorViewSet: see views_estate.py.


# Events and their actions -----------------------------------------------------------------


@own_writes(
    s.EventSerializer,
    create=Write(
        "Schedule an event",
        s.EventScheduleInput,
        description="If-Match: the programme's version (ETag of GET /api/v1/programmes/{year}/).",
    ),
)
class EventViewSet(mixins.CreateModelMixin, ReadViewSet):
    """Programme events, as `Event.objects.visible_to` allows (PG-3)."""

    serializer_class = s.EventSerializer
    query_filters = {
        "programme": Filter("programme__year", int, "The programme's year."),
        "kind": Filter("kind"),
        "status": Filter("status"),
        "establishment": Filter("establishment_id", int, "The establishment's id."),
        "starts_from": Filter("starts_on__gte", date, "Starting on or after this day."),
        "starts_to": Filter("starts_on__lte", date, "Starting on or before this day."),
        "organisation": Filter(
            _organisation_takes_part, str, "Events this organisation takes part in."
        ),
    }
    ordering_fields = ("starts_on", "ends_on", "kind", "establishment__name")
    ordering = ("starts_on", "establishment__name")

    def get_queryset(self) -> QuerySet[Event]:
        return visible_events(self.request).select_related("programme", "establishment")

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return records

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(s.EventScheduleInput, request)
        programme = Programme.objects.filter(year=data["programme"]).first()
        if programme is None:
            raise ValidationError({"programme": "There is no programme starting in that year"})
        require_version(request, programme)
        follows_up = chosen(
            visible_events(request),
            data["follows_up"],
            "follows_up",
            "Select a full inspection you can see",
        )
        event = services.event_schedule(
            actor=signed_in_user(request),
            programme=programme,
            kind=data["kind"],
            establishment=Establishment.objects.visible_to(request.user)
            .filter(pk=data["establishment"])
            .first(),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            education_week_starts_on=data["education_week_starts_on"],
            education_week_reason=data["education_week_reason"],
            follows_up=follows_up,
            previous_education_judgement=data["previous_education_judgement"] or None,
            notes=data["notes"],
            override_reason=data["override_reason"],
        )
        return self.answer(event, s.EventSerializer, status.HTTP_201_CREATED)

    @record_action(
        summary="Move an event to new dates", input=s.EventMoveInput, output=s.EventSerializer
    )
    def move(self, act: Acting) -> Event:
        return services.event_move(**act.service_args("event"))

    @record_action(summary="Cancel an event", input=s.EventCancelInput, output=s.EventSerializer)
    def cancel(self, act: Acting) -> Event:
        return services.event_cancel(**act.service_args("event"))

    @record_action(
        summary="Announce an event to its establishment",
        input=s.EventAnnounceInput,
        output=s.EventSerializer,
    )
    def announce(self, act: Acting) -> Event:
        return services.event_announce(**act.service_args("event"))

    @record_action(
        summary="Put an inspector on the event's team",
        description="If-Match: the event's version. Adding a member moves the event's "
        "version on: the response's ETag is the new one.",
        input=s.TeamMemberAddInput,
        output=s.TeamMemberSerializer,
        created=True,
    )
    def team(self, act: Acting) -> Response:
        inspectors = Inspector.objects.visible_to(act.actor)
        inspector = chosen(
            inspectors, act.data.pop("inspector"), "inspector", "Select an inspector"
        )
        member = team_services.team_member_add(
            actor=act.actor, event=act.record, inspector=inspector, version=act.version, **act.data
        )
        # The ETag is the event's new version: adding a member moves it on.
        return with_etag(self.answer(member, s.TeamMemberSerializer, 201), member.event)


@own_writes(
    s.TeamMemberSerializer,
    destroy=Write(
        "Take an inspector off the team",
        description="If-Match: the event's version. Removing a member moves the event's "
        "version on: read the event again before the next change.",
    ),
)
class TeamMemberViewSet(Removable):
    """Who is on the team of each event the user may see."""

    serializer_class = s.TeamMemberSerializer
    query_filters = {
        "event": Filter("event_id", int),
        "inspector": Filter("inspector_id", int),
        "role": Filter("role"),
    }
    ordering_fields = ("starts_on", "role")
    ordering = ("event_id", "role")

    def get_queryset(self) -> QuerySet[TeamMember]:
        return TeamMember.objects.filter(event__in=visible_events(self.request)).select_related(
            "event__establishment", "inspector"
        )

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return events_of(records)

    def versioned(self, record: TeamMember) -> Event:
        return record.event

    def removed(self, actor: User, record: Any, version: int) -> None:
        team_services.team_member_remove(actor=actor, member=record, version=version)


# MilestoneViewSet: see views_programme.py.


# Tokens -----------------------------------------------------------------------------------


@own_writes(
    s.IssuedTokenSerializer,
    create=Write(
        "Issue an API token (the secret is shown once)", s.TokenIssueInput, if_match=False
    ),
)
class ApiTokenViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadViewSet):
    """Your API tokens. Managed from a signed-in session only; issuing is throttled."""

    serializer_class = s.ApiTokenSerializer
    permission_classes = [IsAuthenticated, SessionOnly]
    throttle_scope = "api_tokens"
    query_filters = {"scope": Filter("scope")}
    ordering_fields = ("created_at",)
    ordering = ("-created_at",)

    def get_queryset(self) -> QuerySet[ApiToken]:
        return tokens_visible_to(self.request.user)

    def get_throttles(self) -> list[BaseThrottle]:
        if self.action == "create":
            return [ScopedRateThrottle()]
        return list(super().get_throttles())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(s.TokenIssueInput, request)
        issued = token_services.api_token_issue(actor=signed_in_user(request), **data)
        token = issued.token
        token.secret = issued.secret  # type: ignore[attr-defined]
        body = s.IssuedTokenSerializer(token, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @record_action(
        summary="Revoke an API token",
        output=s.ApiTokenSerializer,
        if_match=False,
        routed=False,
    )
    def destroy(self, act: Acting) -> ApiToken:
        return token_services.api_token_revoke(actor=act.actor, token=act.record)


# Root, schema and documentation -----------------------------------------------------------


class ApiRoot(LoginNotRequired, APIRootView):
    permission_classes = [IsAuthenticated]


class ApiSchema(LoginNotRequired, SpectacularAPIView):
    """The OpenAPI 3 schema, for signed-in users and token holders: generated once per
    process and answered from memory (YAML, or JSON with ?format=json)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        wanted = "json" if "json" in (request.accepted_renderer.format or "") else "yaml"
        content, media_type = rendered_schema(wanted)
        return HttpResponse(content, content_type=media_type)


class SwaggerDocs(LoginNotRequired, SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files: no CDN, and no inline script or
    style (its start-up script is this address with ?script), so the strict policy holds."""

    permission_classes = [IsAuthenticated]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "Inspectorate API (Swagger UI)"

    def handle_exception(self, exc: Exception) -> Response:
        """A refusal in the API's one JSON error shape, not as an HTML template."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            rows.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "id": operation.get("operationId", ""),
                    "summary": operation.get("summary") or operation.get("description", ""),
                    "parameters": [
                        p for p in operation.get("parameters", []) if p.get("in") != "path"
                    ],
                    "request": bool(operation.get("requestBody")),
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return rows


def api_docs(request: HttpRequest) -> HttpResponse:
    """Browsable documentation, rendered on the server from the same generated schema: no
    JavaScript and nothing from a CDN (none is reachable). Swagger UI, served from
    drf-spectacular-sidecar's own files, is at docs/swagger/ for trying requests out."""
    schema = schema_document()
    context = {"info": schema.get("info", {}), "operations": _operations(schema)}
    return render(request, "api/docs.html", context)


# The tokens screen ------------------------------------------------------------------------


def tokens_page(request: HttpRequest) -> HttpResponse:
    """Issue and revoke your API tokens; a new token's secret is shown on this page once."""
    user = signed_in_user(request)
    form = TokenIssueForm(request.POST if request.POST.get("action") == "issue" else None)
    issued: token_services.IssuedToken | None = None
    status_code = 200
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = tokens_visible_to(user).filter(pk=request.POST.get("token") or 0).first()
        if token is None:
            return HttpResponse("No such token.", status=404)
        token_services.api_token_revoke(actor=user, token=token)
        messages.success(request, f"Token {token.name} revoked")
        return redirect("api:tokens-page")
    if request.method == "POST" and form.is_valid():
        try:
            issued = token_services.api_token_issue(
                actor=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                organisations=form.cleaned_data["organisations"],
                expires_at=timezone.now() + form.expires_in(),
            )
        except ValidationError as problem:
            for field, errors in problem.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status_code = 400
        else:
            form = TokenIssueForm()
    elif request.method == "POST":
        status_code = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    context = {
        "form": form,
        "issued": issued,
        "tokens": list(tokens_visible_to(user).filter(user__username=user.get_username())),
    }
    return render(request, "api/tokens.html", context, status=status_code)
