"""The programme planner through the API: the same people as the planner's pages (the HMI
Prisons programme coordinator and system administrators; other staff 403, everyone else 404
so nobody learns of it, PG-3), the same services (`plan_request`, `plan_stop`,
`plan_accept`), and every read of the draft's unannounced dates logged as the run page logs
it (PG-3, DP-1).

A run has no version of its own, and the planner's pages protect nothing with one. Writes
therefore carry If-Match with the programme's version (the ETag of a run, and of
GET /api/v1/programmes/{year}/): whoever asks for, stops or accepts a plan has seen the
programme as it is now (a draft, or under consultation; a confirmed programme is changed
event by event, PG-4).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.permissions import require, user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.base import (
    IF_MATCH,
    Acting,
    DetailedReads,
    etag,
    record_action,
    require_version,
    valid_input,
)
from inspectorate.api.filters import Filter
from inspectorate.api.permissions import token_of
from inspectorate.api.planner import serializers as ps
from inspectorate.planner import selectors, services
from inspectorate.planner.forms import christmas_mondays
from inspectorate.planner.models import PlanRun
from inspectorate.programme.models import Programme
from inspectorate.programme.selectors import confidential_reads_record

VERSION_HELP = "If-Match: the programme's version (a run's ETag, or its `programme_version`)."


def _programme(year: int) -> Programme:
    programme = Programme.objects.filter(year=year).first()
    if programme is None:
        raise ValidationError({"programme": "There is no programme starting in that year"})
    return programme


def _parameters(programme: Programme, data: dict[str, Any]) -> dict[str, Any]:
    """What the planner's form would ask for, from the request (the service validates)."""
    closed = data.get("closed_weeks")
    if closed is None:
        closed = christmas_mondays(programme)
    weights = data.get("weights") or ps.default_weights()
    return {
        "time_limit": data["time_limit"],
        "closed_weeks": [monday.isoformat() for monday in closed],
        "fixed_events": list(data["fixed_events"]),
        "weights": dict(weights),
    }


@extend_schema_view(
    list=extend_schema(summary="Plan runs, newest first"),
    retrieve=extend_schema(
        summary="A plan run: its progress, and the proposal beside the draft",
        responses=ps.PlanRunDetailSerializer,
    ),
    create=extend_schema(
        summary="Ask the planner for a plan (queued; progress on the run)",
        description="Answers 202 with the queued run: a background worker searches, and "
        "GET /api/v1/plan-runs/{id}/ shows its progress and, when it has finished, the proposal. "
        + VERSION_HELP,
        request=ps.PlanRequestInput,
        responses={202: ps.PlanRunSerializer},
        parameters=[IF_MATCH],
    ),
)
class PlanRunViewSet(mixins.CreateModelMixin, DetailedReads):
    """Requests to the programme planner, their progress and proposals (coordinator only)."""

    serializer_class = ps.PlanRunSerializer
    detail_serializer_class = ps.PlanRunDetailSerializer
    query_filters = {
        "programme": Filter("programme__year", int, "The programme's year."),
        "status": Filter("status"),
    }
    ordering_fields = ("requested_at",)
    ordering = ("-requested_at",)

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        if not user_has_duty(request.user, Duty.STAFF):
            raise Http404("No such page.")
        require(request.user, "planner.use_planner", message=services.PLANNER_ONLY)
        token = token_of(request)
        if token is not None and token.organisations:
            raise PermissionDenied(
                "The planner shows the whole programme: use a token that is not narrowed "
                "to organisations."
            )

    def get_queryset(self) -> QuerySet[PlanRun]:
        return PlanRun.objects.select_related("programme", "requested_by", "accepted_by")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    def _detail(self, run: PlanRun, code: int = status.HTTP_200_OK) -> Response:
        return self._answer(self._detail_data(run), run, code)

    def _detail_data(self, run: PlanRun) -> Any:
        """The run as its page shows it; showing the draft's dates is logged (PG-3)."""
        found = selectors.comparison(run)
        if found is not None:
            confidential_reads_record(
                user=self.request.user, events=selectors.shown_events(run), path=self.request.path
            )
        context = {**self.get_serializer_context(), "comparison": found}
        return ps.PlanRunDetailSerializer(run, context=context).data

    def _answer(self, data: Any, run: PlanRun, code: int = status.HTTP_200_OK) -> Response:
        response = Response(data, status=code)
        response["ETag"] = etag(run.programme.version)
        return response

    def _current(self, run: PlanRun) -> PlanRun:
        return self.get_queryset().get(pk=run.pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(ps.PlanRequestInput, request)
        programme = _programme(data["programme"])
        require_version(request, programme)
        run = services.plan_request(
            actor=signed_in_user(request),
            programme=programme,
            parameters=_parameters(programme, data),
        )
        body = ps.PlanRunSerializer(self._current(run), context=self.get_serializer_context())
        response = self._answer(body.data, run, status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:plan-run-detail", kwargs={"pk": run.pk})
        return response

    @record_action(
        summary="Stop a plan run: it keeps the best plan found so far",
        description=VERSION_HELP,
        output=ps.PlanRunDetailSerializer,
        versioned=lambda run: run.programme,
    )
    def stop(self, act: Acting) -> Response:
        services.plan_stop(actor=act.actor, run=act.record)
        return self._detail(self._current(act.record))

    @record_action(
        summary="Accept all or some of a finished run's proposal",
        description="Writes the rows named in `items` (or all of them, with `all`) through "
        "the programme's own services, in one transaction: one refusal, naming the event and "
        "the rule, and nothing is written. " + VERSION_HELP,
        input=ps.PlanAcceptInput,
        output=ps.PlanAcceptedSerializer,
        versioned=lambda run: run.programme,
    )
    def accept(self, act: Acting) -> Response:
        run, data = act.record, act.data
        written = services.plan_accept(
            actor=act.actor, run=run, items=None if data["all"] else data["items"]
        )
        context = self.get_serializer_context()
        body = {
            "events": ps.WrittenEventSerializer(written, many=True, context=context).data,
            "run": self._detail_data(self._current(run)),
        }
        return self._answer(body, run)
