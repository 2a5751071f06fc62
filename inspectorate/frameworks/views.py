"""Framework screens (read-only), the grade calculator and saved assessments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.permissions import require
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.estate.models import Establishment
from inspectorate.frameworks.constants import OptionStatus
from inspectorate.frameworks.engine import Evaluation, evaluate
from inspectorate.frameworks.forms import CalculatorForm, DecisionChangeForm
from inspectorate.frameworks.models import Assessment
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


@require_GET
def framework_index(request: HttpRequest) -> HttpResponse:
    require(
        request.user, "frameworks.view_framework", message="Frameworks are for inspectorate staff."
    )
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
def framework_detail(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    require(
        request.user, "frameworks.view_framework", message="Frameworks are for inspectorate staff."
    )
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
def calculator(request: HttpRequest) -> HttpResponse:
    require(
        request.user,
        "frameworks.use_grade_calculator",
        message="The grade calculator is for lead inspectors, team leaders and quality assurance.",
    )
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
    definition = definition_from_models(framework)
    establishments = Establishment.objects.visible_to(request.user).order_by("name")
    if framework.establishment_kinds:
        establishments = establishments.filter(kind__in=framework.establishment_kinds)
    form = CalculatorForm(
        request.POST or None, definition=definition, establishments=establishments
    )
    evaluation: Evaluation | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            evaluation = evaluate(definition, form.grades())
            if request.POST.get("action") == "save":
                try:
                    assessment = assessment_create(
                        actor=signed_in_user(request),
                        framework=framework,
                        event_kind=form.cleaned_data["event_kind"],
                        establishment=form.cleaned_data["establishment"],
                        title=form.cleaned_data["title"],
                        grades=form.grades(),
                        choices=form.choices(),
                        reasons=form.reasons(),
                    )
                except OverrideRefused as refused:
                    form.add_error(refused.field, refused.message)
                except ValidationError as error:
                    form.add_service_errors(error)
                else:
                    messages.success(request, "Assessment saved.")
                    return redirect("frameworks:assessment-detail", pk=assessment.pk)
        if form.errors:
            status = 400
    judgements = evaluation.judgements if evaluation else {}
    context = {
        "framework": framework,
        "definition": definition,
        "form": form,
        "evaluation": evaluation,
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
    return render(request, "frameworks/calculator.html", context, status=status)


@require_GET
def assessment_index(request: HttpRequest) -> HttpResponse:
    require(
        request.user,
        "frameworks.view_assessment",
        message="Assessments are for lead inspectors, team leaders and quality assurance.",
    )
    assessments = list(assessment_list(user=request.user))
    return render(request, "frameworks/assessment_list.html", {"assessments": assessments})


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(
        request.user,
        "frameworks.view_assessment",
        message="Assessments are for lead inspectors, team leaders and quality assurance.",
    )
    return _render_assessment(request, assessment_get(user=request.user, pk=pk))


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
        form = None
        if can_change:
            if change_form is not None and change_decision == decision.pk:
                form = change_form
            else:
                form = DecisionChangeForm(
                    judgement=judgement,
                    initial={"level": decision.level.slug, "version": decision.version},
                    prefix=f"d{decision.pk}",
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
def decision_change(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    require(
        request.user,
        "frameworks.create_assessment",
        message="Only lead inspectors, team leaders and quality assurance change assessments.",
    )
    assessment = assessment_get(user=request.user, pk=pk)
    decision = next((d for d in assessment.decisions.all() if d.pk == decision_pk), None)
    if decision is None:
        raise Http404("No such judgement in this assessment.")
    judgement = assessment_evaluation(assessment).judgements[decision.aspect.code]
    form = DecisionChangeForm(request.POST, judgement=judgement, prefix=f"d{decision.pk}")
    if form.is_valid():
        try:
            grade_decision_change(
                actor=signed_in_user(request),
                decision=decision,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except OverrideRefused as refused:
            form.add_error("level", refused.message)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{decision.aspect.title} changed.")
            return redirect("frameworks:assessment-detail", pk=assessment.pk)
    return _render_assessment(
        request,
        assessment,
        change_form=form,
        change_decision=decision.pk,
        status=400,
    )
