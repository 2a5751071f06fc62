"""Frameworks, the grade calculator and saved assessments through the API: the same
permissions as the framework screens (frameworks for staff; the calculator and assessments
for lead inspectors, team leaders and quality assurance; overriding a warning for lead
inspectors and team leaders), the same selectors, the engine's own evaluation, and
`grade_decision_change` for changing a decision, with If-Match: the decision's version, as
the screen's hidden version field protects it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.permissions import require
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.base import (
    IF_MATCH,
    LoginNotRequired,
    ReadViewSet,
    chosen,
    require_version,
    valid_input,
    with_etag,
)
from inspectorate.api.frameworks import serializers as fs
from inspectorate.estate.models import Establishment
from inspectorate.frameworks.engine import evaluate
from inspectorate.frameworks.forms import CalculatorForm
from inspectorate.frameworks.models import Assessment, Framework, GradeDecision
from inspectorate.frameworks.selectors import (
    assessment_get,
    assessment_list,
    calculator_frameworks,
    definition_from_models,
    framework_list,
    framework_page,
)
from inspectorate.frameworks.services import (
    assessment_create,
    assessment_evaluation,
    grade_decision_change,
    grade_field,
)

STAFF_ONLY = "Frameworks are for inspectorate staff."
ASSESSORS_ONLY = "Assessments are for lead inspectors, team leaders and quality assurance."
CALCULATOR_USERS = (
    "The grade calculator is for lead inspectors, team leaders and quality assurance."
)
CHANGERS_ONLY = "Only lead inspectors, team leaders and quality assurance change assessments."

FRAMEWORK_PATH = [
    OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH),
    OpenApiParameter("version", OpenApiTypes.STR, OpenApiParameter.PATH),
]
DECISION_PATH = [OpenApiParameter("decision_pk", OpenApiTypes.INT, OpenApiParameter.PATH)]


def _calculator_framework(request: Request, data: dict[str, Any]) -> Framework:
    framework = (
        calculator_frameworks(user=request.user)
        .filter(slug=data["framework"], version=data["version"])
        .first()
    )
    if framework is None:
        raise ValidationError({"framework": "Choose a framework from the list"})
    return framework


def _checked_grades(definition: Any, grades: dict[str, str]) -> dict[str, str]:
    """The grades as the calculator's form reads them: each a grade of its aspect's scale;
    a code that is no graded aspect is refused (400, naming `grades.<code>`)."""
    form = CalculatorForm(
        data={grade_field(code): level for code, level in grades.items()},
        definition=definition,
        establishments=Establishment.objects.none(),
    )
    problems: dict[str, Any] = {
        f"grades.{code}": f"{code} is not an aspect graded in {definition.name}"
        for code in grades
        if grade_field(code) not in form.fields
    }
    if not form.is_valid():
        for code in grades:
            for message in form.errors.get(grade_field(code), []):
                problems[f"grades.{code}"] = message
    if problems:
        raise ValidationError(problems)
    return form.grades()


@extend_schema_view(list=extend_schema(summary="Framework versions (staff only)"))
class FrameworkViewSet(LoginNotRequired, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Inspection frameworks as data (JG-1): each version as it was published."""

    serializer_class = fs.FrameworkSerializer
    ordering_fields = ("name", "valid_from")
    ordering = ("name", "-valid_from")

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        if self.action == "calculate":
            require(request.user, "frameworks.use_grade_calculator", message=CALCULATOR_USERS)
        else:
            require(request.user, "frameworks.view_framework", message=STAFF_ONLY)

    def get_queryset(self) -> QuerySet[Framework]:
        return framework_list(user=self.request.user)

    @extend_schema(
        summary="A framework version: aspects, scales and grade descriptors, rules in words",
        parameters=FRAMEWORK_PATH,
        responses=fs.FrameworkDetailSerializer,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"(?P<slug>[-a-zA-Z0-9_]+)/(?P<version>[^/]+)",
        url_name="version",
        pagination_class=None,
        filter_backends=[],
    )
    def by_version(self, request: Request, slug: str, version: str) -> Response:
        page = framework_page(user=request.user, slug=slug, version=version)
        may_calculate = request.user.has_perm("frameworks.use_grade_calculator")
        data = fs.framework_page_data(page, can_calculate=page.assessable and may_calculate)
        return Response(fs.FrameworkDetailSerializer(data).data)

    @extend_schema(
        summary="The grade calculator: what the rules say of these aspect grades",
        description="Reads only (a read token may use it; no If-Match): each derived "
        "judgement's most likely grade, and every grade allowed, needing a recorded reason, "
        "or not allowed, with the rules that say so (JG-3, JG-4, JG-5).",
        request=fs.CalculateInput,
        responses=fs.CalculationSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def calculate(self, request: Request) -> Response:
        data = valid_input(fs.CalculateInput, request)
        framework = _calculator_framework(request, data)
        definition = definition_from_models(framework)
        evaluation = evaluate(definition, _checked_grades(definition, data["grades"]))
        body = fs.calculation_data(
            framework,
            evaluation,
            can_override=request.user.has_perm("frameworks.override_grade_warning"),
        )
        return Response(fs.CalculationSerializer(body).data)


@extend_schema_view(
    create=extend_schema(
        summary="Save an assessment from the calculator: the grades and the judgements chosen",
        description="No If-Match: a new assessment. Each derived judgement needs its grade in "
        "`choices`; a grade the rules warn about needs its reason in "
        "`reasons` and an Ofsted lead inspector or HMI Prisons team leader (403 otherwise); a "
        "grade they forbid is refused (400 naming `choices.<code>`).",
        request=fs.AssessmentCreateInput,
        responses={201: fs.AssessmentDetailSerializer},
    ),
    list=extend_schema(summary="Saved assessments, newest first"),
    retrieve=extend_schema(
        summary="A saved assessment: its grades, and each judgement's grade and rules",
        responses=fs.AssessmentDetailSerializer,
    ),
)
class AssessmentViewSet(mixins.CreateModelMixin, ReadViewSet):
    """Assessments saved from the grade calculator (lead inspectors, team leaders, QA)."""

    serializer_class = fs.AssessmentSerializer
    ordering_fields = ("created_at",)
    ordering = ("-created_at",)

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        if self.action in ("create", "decision"):
            require(request.user, "frameworks.create_assessment", message=CHANGERS_ONLY)
        else:
            require(request.user, "frameworks.view_assessment", message=ASSESSORS_ONLY)

    def get_queryset(self) -> QuerySet[Assessment]:
        return assessment_list(user=self.request.user)

    def _assessment(self) -> Assessment:
        pk = str(self.kwargs["pk"])
        if not pk.isdigit():
            raise Http404("No such assessment.")
        return assessment_get(user=self.request.user, pk=int(pk))

    def _context(self, assessment: Assessment) -> dict[str, Any]:
        return {**self.get_serializer_context(), "evaluation": assessment_evaluation(assessment)}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(fs.AssessmentCreateInput, request)
        framework = _calculator_framework(request, data)
        establishment = chosen(
            Establishment.objects.visible_to(request.user),
            data["establishment"],
            "establishment",
            "Choose an establishment from the list",
        )
        try:
            created = assessment_create(
                actor=signed_in_user(request),
                framework=framework,
                event_kind=data["event_kind"],
                establishment=establishment,
                title=data["title"],
                grades=data["grades"],
                choices=data["choices"],
                reasons=data["reasons"],
            )
        except ValidationError as refused:
            raise _fields_by_aspect(refused) from refused
        assessment = assessment_get(user=request.user, pk=created.pk)
        body = fs.AssessmentDetailSerializer(assessment, context=self._context(assessment))
        return with_etag(Response(body.data, status=201), assessment)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = self._assessment()
        body = fs.AssessmentDetailSerializer(assessment, context=self._context(assessment))
        return with_etag(Response(body.data), assessment)

    @extend_schema(
        summary="Change the grade chosen for a judgement of the assessment",
        description="If-Match: the decision's version (`decisions[].version`). A grade the "
        "rules warn about needs `reason`, and only an Ofsted lead inspector or HMI Prisons "
        "team leader may choose one (403 otherwise); a grade the rules forbid is refused.",
        request=fs.DecisionChangeInput,
        responses=fs.GradeDecisionSerializer,
        parameters=[*DECISION_PATH, IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path=r"decisions/(?P<decision_pk>[0-9]+)")
    def decision(self, request: Request, pk: str, decision_pk: str) -> Response:
        assessment = self._assessment()
        decision = next((d for d in assessment.decisions.all() if d.pk == int(decision_pk)), None)
        if decision is None:
            raise Http404("No such judgement in this assessment.")
        data = valid_input(fs.DecisionChangeInput, request)
        version = require_version(request, decision)
        try:
            changed = grade_decision_change(
                actor=signed_in_user(request),
                decision=decision,
                level=data["level"],
                reason=data["reason"],
                expected_version=version,
            )
        except ValidationError as refused:
            raise _named_for_the_api(refused) from refused
        current = assessment_get(user=request.user, pk=assessment.pk)
        shown: GradeDecision = next(d for d in current.decisions.all() if d.pk == changed.pk)
        body = fs.GradeDecisionSerializer(shown, context=self._context(current))
        return with_etag(Response(body.data), shown)


def _named_for_the_api(refused: ValidationError) -> ValidationError:
    """The service names the calculator's fields (choice_<code>, reason_<code>); the API's
    are `level` and `reason`, as the change form shows them."""
    if not hasattr(refused, "error_dict"):
        return ValidationError({"level": refused.error_list})
    return ValidationError(
        {
            ("reason" if name.startswith("reason_") else "level"): errors
            for name, errors in refused.error_dict.items()
        }
    )


FIELD_PREFIXES = {"grade_": "grades.", "choice_": "choices.", "reason_": "reasons."}


def _fields_by_aspect(refused: ValidationError) -> ValidationError:
    """The service names the calculator form's fields (grade_<code>, choice_<code>,
    reason_<code>); the API's are `grades.<code>`, `choices.<code>` and `reasons.<code>`."""
    if not hasattr(refused, "error_dict"):
        return refused
    renamed: dict[str, Any] = {}
    for name, errors in refused.error_dict.items():
        for prefix, field in FIELD_PREFIXES.items():
            if name.startswith(prefix):
                name = field + name.removeprefix(prefix)
                break
        renamed[name] = errors
    return ValidationError(renamed)
