"""Framework screens (read-only), the grade calculator and saved assessments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.permissions import requires
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.estate.models import Establishment
from inspectorate.frameworks.constants import OptionStatus
from inspectorate.frameworks.engine import Evaluation, Judgement, evaluate
from inspectorate.frameworks.forms import CalculatorForm, DecisionChangeForm
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
    OverrideRefused,
    assessment_create,
    assessment_evaluation,
    grade_decision_change,
)
from inspectorate.lib.form_views import saved_then_redirect, stale_as_refusal, submit

T = TypeVar("T")


FOR_STAFF = "Frameworks are for inspectorate staff."
FOR_ASSESSORS = "Assessments are for lead inspectors, team leaders and quality assurance."


def _refused_on_field(create: Callable[[], T]) -> T:
    """`create()`, where a grade the rules warn about and the actor may not choose
    (OverrideRefused) is refused on the choice it names, like any other refusal."""
    try:
        return create()
    except OverrideRefused as refused:
        raise ValidationError({refused.field: refused.message}) from refused


@require_GET
@requires("frameworks.view_framework", FOR_STAFF)
def framework_index(request: HttpRequest) -> HttpResponse:
    frameworks = list(framework_list(user=request.user))
    return render(
        request,
        "frameworks/list.html",
        {
            "frameworks": frameworks,
            "can_calculate": request.user.has_perm("frameworks.use_grade_calculator"),
        },
    )


@require_GET
@requires("frameworks.view_framework", FOR_STAFF)
def framework_detail(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    page = framework_page(user=request.user, slug=slug, version=version)
    return render(
        request,
        "frameworks/detail.html",
        {
            "page": page,
            "framework": page.framework,
            "can_calculate": page.assessable
            and request.user.has_perm("frameworks.use_grade_calculator"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(
    "frameworks.use_grade_calculator",
    "The grade calculator is for lead inspectors, team leaders and quality assurance.",
)
def calculator(request: HttpRequest) -> HttpResponse:
    choices = list(calculator_frameworks(user=request.user))
    chosen = request.GET.get("framework", "")
    if not chosen:
        return render(request, "frameworks/calculator_choose.html", {"frameworks": choices})
    framework = next((f for f in choices if str(f.pk) == chosen), None)
    if framework is None:
        return render(
            request,
            "frameworks/calculator_choose.html",
            {"frameworks": choices, "error": "Choose a framework from the list"},
            status=400,
        )
    return _calculator_page(request, framework)


def _calculator_page(request: HttpRequest, framework: Framework) -> HttpResponse:
    """The calculator for one framework: the grades given are evaluated, and saved as an
    assessment when the user asks."""
    definition = definition_from_models(framework)
    establishments = Establishment.objects.visible_to(request.user).order_by("name")
    if framework.establishment_kinds:
        establishments = establishments.filter(kind__in=framework.establishment_kinds)
    form = CalculatorForm(
        request.POST or None, definition=definition, establishments=establishments
    )
    evaluation: Evaluation | None = None
    if request.method == "POST" and form.is_valid():
        evaluation = evaluate(definition, form.grades())
        if request.POST.get("action") == "save":
            assessment = _assessment_saved(request, form, framework)
            if assessment is not None:
                return saved_then_redirect(
                    request, "Assessment saved.", "frameworks:assessment-detail", pk=assessment.pk
                )
    context = {
        "framework": framework,
        "definition": definition,
        "form": form,
        "evaluation": evaluation,
        **_calculator_rows(request, form, evaluation),
    }
    status = 400 if form.errors else 200
    return render(request, "frameworks/calculator.html", context, status=status)


def _assessment_saved(
    request: HttpRequest, form: CalculatorForm, framework: Framework
) -> Assessment | None:
    """The assessment saved from the calculator's form, or None with the refusal on it."""
    data = form.cleaned_data
    try:
        return _refused_on_field(
            lambda: assessment_create(
                actor=signed_in_user(request),
                framework=framework,
                event_kind=data["event_kind"],
                establishment=data["establishment"],
                title=data["title"],
                grades=form.grades(),
                choices=form.choices(),
                reasons=form.reasons(),
            )
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return None


def _calculator_rows(
    request: HttpRequest, form: CalculatorForm, evaluation: Evaluation | None
) -> dict[str, Any]:
    """The judgements derived, and each decision with the grades it may be given."""
    judgements = evaluation.judgements if evaluation else {}
    return {
        "judgements": list(judgements.values()),
        "decisions": [
            {
                "aspect": aspect,
                "choice": choice,
                "reason": reason,
                "judgement": judgements.get(aspect.code),
                "offered": [
                    option
                    for option in getattr(judgements.get(aspect.code), "options", ())
                    if option.status != OptionStatus.FORBIDDEN
                ],
            }
            for aspect, choice, reason in form.derived_fields()
        ],
        "can_override": request.user.has_perm("frameworks.override_grade_warning"),
    }


@require_GET
@requires("frameworks.view_assessment", FOR_ASSESSORS)
def assessment_index(request: HttpRequest) -> HttpResponse:
    assessments = list(assessment_list(user=request.user))
    return render(request, "frameworks/assessment_list.html", {"assessments": assessments})


@require_GET
@requires("frameworks.view_assessment", FOR_ASSESSORS)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_assessment(request, assessment_get(user=request.user, pk=pk))


def _decision_form(
    decision: GradeDecision,
    judgement: Judgement,
    change_form: DecisionChangeForm | None,
    change_decision: int | None,
) -> DecisionChangeForm:
    """The form changing `decision`: the one just sent, when it is that one's."""
    if change_form is not None and change_decision == decision.pk:
        return change_form
    return DecisionChangeForm(
        judgement=judgement,
        initial={"level": decision.level.slug, "version": decision.version},
        prefix=f"d{decision.pk}",
    )


def _render_assessment(
    request: HttpRequest,
    assessment: Assessment,
    *,
    change_form: DecisionChangeForm | None = None,
    change_decision: int | None = None,
    status: int = 200,
) -> HttpResponse:
    evaluation = assessment_evaluation(assessment)
    can_change = request.user.has_perm("frameworks.create_assessment")
    rows = []
    for decision in assessment.decisions.all():
        judgement = evaluation.judgements[decision.aspect.code]
        form = (
            _decision_form(decision, judgement, change_form, change_decision)
            if can_change
            else None
        )
        rows.append({"decision": decision, "judgement": judgement, "form": form})
    context = {
        "assessment": assessment,
        "rows": rows,
        "evaluation": evaluation,
        "rows_have_errors": change_form is not None and bool(change_form.errors),
    }
    return render(request, "frameworks/assessment_detail.html", context, status=status)


@require_POST
@requires(
    "frameworks.create_assessment",
    "Only lead inspectors, team leaders and quality assurance change assessments.",
)
def decision_change(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    assessment = assessment_get(user=request.user, pk=pk)
    decision = next((d for d in assessment.decisions.all() if d.pk == decision_pk), None)
    if decision is None:
        raise Http404("No such judgement in this assessment.")
    judgement = assessment_evaluation(assessment).judgements[decision.aspect.code]
    outcome = submit(
        request,
        lambda data: DecisionChangeForm(data, judgement=judgement, prefix=f"d{decision.pk}"),
        stale_as_refusal(
            lambda data: _refused_on_field(
                lambda: grade_decision_change(
                    actor=signed_in_user(request),
                    decision=decision,
                    level=data["level"],
                    reason=data["reason"],
                    expected_version=data["version"],
                )
            )
        ),
        refused=lambda form, error: form.add_service_errors(error),
    )
    if outcome.saved:
        return saved_then_redirect(
            request,
            f"{decision.aspect.title} changed.",
            "frameworks:assessment-detail",
            pk=assessment.pk,
        )
    return _render_assessment(
        request,
        assessment,
        change_form=cast(DecisionChangeForm, outcome.form),
        change_decision=decision.pk,
        status=400,
    )
