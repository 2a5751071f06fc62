"""The letter templates through the API, as on the screens at /reports/letters/: read and
changed by system administrators only (`reports.edit_letter_templates`), through
`reports.letters`. A change carries If-Match with the template's version; a stale one is
refused (412) with nothing overwritten. A preview renders unsaved wording with example
values and saves nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.models import User
from inspectorate.api.base import Changeable, Patchable, Write, own_writes, valid_input
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


def _rewording(summary: str, description: str) -> Write:
    """A PUT or PATCH of a letter's wording, at the template's version in If-Match."""
    return Write(
        summary,
        ls.LetterTemplateInput,
        description=f"If-Match: the template's version. {description}",
        parameters=[KIND],
    )


@own_writes(
    ls.LetterTemplateSerializer,
    update=_rewording(
        "Change a letter's wording",
        "A variable the letter does not offer answers 400 naming the subject or body.",
    ),
    partial_update=_rewording(
        "Change a letter's subject or body", "What is left out keeps its wording."
    ),
)
@extend_schema_view(
    list=extend_schema(summary="The letter templates (system administrators)"),
    retrieve=extend_schema(
        summary="A letter template, with the variables it may use", parameters=[KIND]
    ),
)
class LetterTemplateViewSet(Changeable, Patchable):
    """Letter templates: the announcement of an IRP, an amendment to the programme and the
    support-and-challenge letter (SC-4). Anyone but a system administrator finds none."""

    serializer_class = ls.LetterTemplateSerializer
    change_input = ls.LetterTemplateInput
    patch_input = ls.LetterTemplateInput
    partial_patch = True
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

    def changed(self, actor: User, record: Any, version: int, data: dict[str, Any]) -> Model:
        return letters.letter_template_update(actor=actor, template=record, version=version, **data)

    def patched(self, actor: User, record: Any, version: int, values: dict[str, Any]) -> Model:
        return self.changed(actor, record, version, values)

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
