"""The letter templates through the API, as on the screens at /reports/letters/: read and
changed by system administrators only (`reports.edit_letter_templates`), through
`reports.letters`. A change carries If-Match with the template's version; a stale one is
refused (412) with nothing overwritten. A preview renders unsaved wording with example
values and saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.api.base import Acting, ReadViewSet, record_action, valid_input
from inspectorate.api.letters import serializers as ls
from inspectorate.reports import letters
from inspectorate.reports.constants import LetterKind
from inspectorate.reports.models import LetterTemplate

KIND = OpenApiParameter(
    "kind",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(LetterKind.values),
    description="The letter: " + ", ".join(LetterKind.values) + ".",
)


def _rewording(summary: str, description: str, partial: bool = False) -> Callable[..., Any]:
    """A PUT or PATCH of a letter's wording, at the template's version in If-Match."""
    return record_action(
        summary=summary,
        description=f"If-Match: the template's version. {description}",
        input=ls.LetterTemplateInput,
        output=ls.LetterTemplateSerializer,
        parameters=[KIND],
        routed=False,
        partial=partial,
    )


@extend_schema_view(
    list=extend_schema(summary="The letter templates (system administrators)"),
    retrieve=extend_schema(
        summary="A letter template, with the variables it may use", parameters=[KIND]
    ),
)
class LetterTemplateViewSet(mixins.UpdateModelMixin, ReadViewSet):
    """Letter templates: the announcement of an IRP, an amendment to the programme and the
    support-and-challenge letter (SC-4). Anyone but a system administrator finds none."""

    serializer_class = ls.LetterTemplateSerializer
    lookup_field = "kind"
    lookup_value_regex = "[a-z_]+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ("kind",)
    ordering = ("kind",)

    def get_queryset(self) -> QuerySet[LetterTemplate]:
        if not self.request.user.has_perm("reports.edit_letter_templates"):
            return LetterTemplate.objects.none()
        letters.letter_templates()  # as the screen: a missing kind is written from its default
        return LetterTemplate.objects.select_related("updated_by")

    @_rewording(
        "Change a letter's wording",
        "A variable the letter does not offer answers 400 naming the subject or body.",
    )
    def update(self, act: Acting) -> LetterTemplate:
        return self._reworded(act)

    @_rewording(
        "Change a letter's subject or body",
        "What is left out keeps its wording.",
        partial=True,
    )
    def partial_update(self, act: Acting) -> LetterTemplate:
        return self._reworded(act)

    def _reworded(self, act: Acting) -> LetterTemplate:
        """The template with the wording sent; what was left out keeps its saved wording."""
        template = act.record
        wording = {"subject": template.subject, "body": template.body, **act.data}
        return letters.letter_template_update(
            actor=act.actor, template=template, version=act.version, **wording
        )

    @extend_schema(
        summary="Render unsaved wording with example values (nothing is saved)",
        description="A variable the letter does not offer, or text that is not a valid "
        "template, answers 400 naming the subject or body.",
        request=ls.LetterTemplateInput,
        responses=ls.LetterPreviewSerializer,
        parameters=[KIND],
    )
    @action(detail=True, methods=["post"])
    def preview(self, request: Request, kind: str) -> Response:
        template = self.get_object()
        data = valid_input(ls.LetterTemplateInput, request)
        subject, body = letters.letter_preview(template.kind, data["subject"], data["body"])
        return Response(ls.LetterPreviewSerializer({"subject": subject, "body": body}).data)
