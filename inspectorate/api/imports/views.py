"""Published reports imported through the API (HI-2): the same review and commit as the
screens and the command line.

POST a report as multipart/form-data in `file`. With `dry_run` true (the default) the
answer is the review, and nothing is written. To import it, post the same file again with
`dry_run` false and the `sha256` the review gave: it confirms that the file imported is the
one reviewed. The import is one transaction; the same file again changes nothing (200, with
`already_imported`). No If-Match: the document's hash is what the confirmation names.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.base import LoginNotRequired, valid_input
from inspectorate.api.errors import body, error
from inspectorate.imports.published.commit import ImportRefused, commit_import
from inspectorate.imports.published.services import (
    MAX_REPORT_BYTES,
    NotImportable,
    report_review,
)


class ReportImportInput(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text="A published HMI Prisons report: PDF, Word (.docx) or plain text, at most "
        f"{MAX_REPORT_BYTES // (1024 * 1024)} MB."
    )
    dry_run = serializers.BooleanField(
        default=True, help_text="True (the default): review only, nothing is written."
    )
    sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        help_text="To import (dry_run false): the sha256 of the file, as the review gave it.",
    )


class ReportImportAnswer(serializers.Serializer[Any]):
    sha256 = serializers.CharField()
    refused = serializers.BooleanField()
    already_imported = serializers.BooleanField()
    items = serializers.ListField(child=serializers.DictField())
    document = serializers.IntegerField(required=False, allow_null=True)
    summary = serializers.CharField(required=False)


class ReportImportViewSet(LoginNotRequired, viewsets.GenericViewSet):
    parser_classes = [MultiPartParser]
    serializer_class = ReportImportInput

    @extend_schema(
        summary="Review or import a published report",
        description=__doc__,
        request={"multipart/form-data": ReportImportInput},
        responses={
            200: ReportImportAnswer,
            201: ReportImportAnswer,
        },
    )
    def create(self, request: Request) -> Response:
        given = valid_input(ReportImportInput, request)
        upload = given["file"]
        data = upload.read(MAX_REPORT_BYTES + 1)
        try:
            plan = report_review(actor=signed_in_user(request), data=data, filename=upload.name)
        except NotImportable as problem:
            return Response(body([error(problem, "file", "not_a_report")]), status=400)
        answer = plan.as_json()
        if plan.refused:
            problems = [error(message, None, "refused") for message in plan.refusal_messages()]
            return Response({**body(problems), "plan": answer}, status=400)
        if given["dry_run"]:
            return Response(answer)
        if given.get("sha256") != plan.sha256:
            message = (
                "sha256 must be the hash of this file, as its review gave it: review the file, "
                "then confirm with its sha256"
            )
            return Response(body([error(message, "sha256", "unconfirmed")]), status=400)
        try:
            result = commit_import(plan, signed_in_user(request))
        except ImportRefused as refused:
            return Response(body(error(m, None, "refused") for m in refused.messages_list), 400)
        answer.update(document=result.document.pk, summary=result.summary)
        code = status.HTTP_200_OK if result.already_imported else status.HTTP_201_CREATED
        return Response(answer, status=code)
