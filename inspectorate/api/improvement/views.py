"""Improvement (support and challenge) cases through the API: read as
`ImprovementCase.objects.visible_to` and `Letter.objects.visible_to` allow; every action
through `improvement.services`, as the screens do (TM-4, SC-2..SC-7), with If-Match.

What only the case's improvement HMI uses on the screens (who the letters go to, a letter's
first draft) answers 403 to anyone else, by the services' own check."""

from __future__ import annotations

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
from inspectorate.accounts.permissions import require
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api import serializers as s
from inspectorate.api.base import (
    IF_MATCH,
    Acting,
    Changeable,
    ReadViewSet,
    Write,
    chosen,
    own_writes,
    record_action,
    require_version,
    scoped,
    valid_input,
)
from inspectorate.api.filters import Filter
from inspectorate.api.improvement import serializers as imps
from inspectorate.improvement import services
from inspectorate.improvement.models import Contact, ImprovementCase, Letter

CONTACT = OpenApiParameter(
    "contact", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description="A visit's id."
)


def _hmi_only(request: Request, case: ImprovementCase) -> None:
    """As the screens' HMI-only pages: the case's improvement HMI (or a system
    administrator), by the services' own rule; 403 for anyone else."""
    require(request.user, "improvement.work_on_case", case, services.HMI_ONLY)


def _contact_of(request: Request, case: ImprovementCase) -> Contact:
    query = imps.ContactQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    contact: Contact = chosen(
        Contact.objects.filter(case=case).select_related("case"),
        query.validated_data["contact"],
        "contact",
        "Choose a visit of this case",
    )
    return contact


class ImprovementCaseViewSet(ReadViewSet):
    """Support and challenge cases."""

    serializer_class = s.ImprovementCaseSerializer
    query_filters = {
        "status": Filter("status"),
        "track": Filter("track"),
        "establishment": Filter("establishment_id", int),
    }
    ordering_fields = ("opened_at",)
    ordering = ("-opened_at",)

    def get_queryset(self) -> QuerySet[ImprovementCase]:
        cases = ImprovementCase.objects.visible_to(self.request.user)
        return scoped(self.request, cases).select_related("establishment")

    @record_action(
        summary="Name the improvement HMI (TM-4)",
        description="Choosing an inspector of the last or next inspection answers 400 "
        "(code override_needed) until `reason` says why.",
        input=imps.AssignHmiInput,
        output=s.ImprovementCaseSerializer,
        url_path="assign-hmi",
    )
    def assign_hmi(self, act: Acting) -> ImprovementCase:
        hmi = User.objects.filter(pk=act.data["hmi"], is_active=True).first()
        return services.case_assign_hmi(
            actor=act.actor,
            case=act.record,
            hmi=hmi,
            reason=act.data["reason"],
            version=act.version,
        )

    @record_action(
        summary="Record a telephone conversation or visit, with actions and support (SC-2, SC-3)",
        description="If-Match: the case's version. A visit outside its window answers 400 "
        "(code override_needed) until `window_reason` says why.",
        input=imps.ContactInput,
        output=imps.ContactSerializer,
        created=True,
    )
    def contacts(self, act: Acting) -> Response:
        # Answered without an ETag: a visit has no version of its own.
        data = act.data
        contact = services.contact_record(
            actor=act.actor,
            case=act.record,
            kind=data["kind"],
            held_on=data["held_on"],
            notes=data["notes"],
            actions=[
                services.ActionInput(a["action"], a["owner"], a["due_on"]) for a in data["actions"]
            ],
            support=data["support"],
            other_support=data["other_support"],
            window_reason=data["window_reason"],
        )
        body = imps.ContactSerializer(contact, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @record_action(
        summary="Record insufficient progress (SC-5)",
        input=imps.InsufficientProgressInput,
        output=s.ImprovementCaseSerializer,
        url_path="insufficient-progress",
    )
    def insufficient_progress(self, act: Acting) -> ImprovementCase:
        return services.case_insufficient_progress(**act.service_args("case"))

    @extend_schema(
        summary="Who the case's letters go to and are copied to (its improvement HMI)",
        responses=imps.CaseForHmiSerializer,
    )
    @action(detail=True, methods=["get"])
    def details(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        _hmi_only(request, case)
        return self.answer(case, imps.CaseForHmiSerializer)

    @extend_schema(
        summary="Change who the case's letters go to and are copied to (SC-4, SC-5)",
        description="If-Match: the case's version. Fields left out keep their value.",
        request=imps.CaseDetailsInput,
        responses=imps.CaseForHmiSerializer,
        parameters=[IF_MATCH],
    )
    @details.mapping.patch
    def details_update(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        data = valid_input(imps.CaseDetailsInput, request)
        if not data:
            raise ValidationError(
                "Send at least one of: " + ", ".join(services.CASE_DETAIL_FIELDS) + "."
            )
        version = require_version(request, case)
        changed = services.case_details_update(
            actor=signed_in_user(request), case=case, version=version, **data
        )
        return self.answer(changed, imps.CaseForHmiSerializer)

    @record_action(
        summary="Ask for the re-inspection to be brought forward (SC-7)",
        description="If-Match: the case's version. HMI Prisons' coordinators and Ofsted's "
        "schedulers are told.",
        input=imps.BringForwardInput,
        output=imps.CaseForHmiSerializer,
        url_path="bring-forward",
    )
    def bring_forward(self, act: Acting) -> ImprovementCase:
        return services.reinspection_bring_forward(**act.service_args("case"))

    @extend_schema(
        summary="The first draft of a visit's letter, from the template (SC-4)",
        description="What the letter screen offers before a letter is written; write it with "
        "POST /api/v1/improvement-letters/.",
        parameters=[CONTACT],
        responses=imps.LetterTextSerializer,
    )
    @action(detail=True, methods=["get"], url_path="letter-text")
    def letter_text(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        _hmi_only(request, case)
        contact = _contact_of(request, case)
        body = {"contact": contact.pk, "body": services.letter_text(contact)}
        return Response(imps.LetterTextSerializer(body).data)


@own_writes(
    imps.LetterSerializer,
    create=Write(
        "Draft the letter of a visit (SC-4)",
        imps.LetterCreateInput,
        description="If-Match: the case's version. An empty body drafts from the template.",
    ),
    update=Write("Rewrite a letter not yet sent (SC-4)", imps.LetterDraftInput),
)
class ImprovementLetterViewSet(mixins.CreateModelMixin, Changeable):
    """Letters of improvement visits: never public; the establishment once sent (SC-4)."""

    serializer_class = imps.LetterSerializer
    change_input = imps.LetterDraftInput
    http_method_names = ["get", "post", "put", "head", "options"]
    query_filters = {"case": Filter("contact__case_id", int), "status": Filter("status")}
    ordering_fields = ("sent_on",)
    ordering = ("contact__held_on", "pk")

    def get_queryset(self) -> QuerySet[Letter]:
        letters = Letter.objects.visible_to(self.request.user)
        return scoped(self.request, letters, "contact__case__event").select_related("contact")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(imps.LetterCreateInput, request)
        cases = ImprovementCase.objects.visible_to(request.user)
        contact = chosen(
            Contact.objects.filter(case__in=cases).select_related("case"),
            data["contact"],
            "contact",
            "Choose a visit of a case you can see",
        )
        require_version(request, contact.case)
        if Letter.objects.filter(contact=contact).exists():
            raise ValidationError({"contact": "This visit has a letter: change it (PUT) instead"})
        letter = services.letter_draft(
            actor=signed_in_user(request), contact=contact, body=data["body"]
        )
        return self.answer(letter, imps.LetterSerializer, status.HTTP_201_CREATED)

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return services.letter_draft(
            actor=actor, contact=record.contact, body=data["body"], version=version
        )

    @record_action(
        summary="The FE provider has checked the letter for factual accuracy (SC-4)",
        input=imps.LetterCheckInput,
        output=imps.LetterSerializer,
        url_path="factual-check",
    )
    def factual_check(self, act: Acting) -> Letter:
        return services.letter_factual_check(**act.service_args("letter"))

    @record_action(
        summary="Send the letter (SC-4)", input=imps.LetterSendInput, output=imps.LetterSerializer
    )
    def send(self, act: Acting) -> Letter:
        return services.letter_send(**act.service_args("letter"))
