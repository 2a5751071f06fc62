"""The planner's pages: ask for a plan, watch it search, compare it with the draft, accept
all, some or none of it.

Only HMI Prisons' programme coordinator and system administrators may use them: other staff
get 403, establishment users and anyone signed out of the staff side get 404 (they should not
learn the planner exists for the confidential programme, PG-3). Every read of the draft's
unannounced dates on a run's page is logged (PG-3, DP-1).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from inspectorate.accounts.permissions import require, user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.planner import charts, selectors, services
from inspectorate.planner.forms import PlanRequestForm
from inspectorate.planner.models import PlanRun
from inspectorate.programme import selectors as programme_selectors
from inspectorate.programme.constants import EventStatus
from inspectorate.programme.models import Event, Programme


def _open_planner(request: HttpRequest) -> None:
    """Staff who may not plan are refused; anyone else is told there is no such page."""
    if not user_has_duty(request.user, Duty.STAFF):
        raise Http404("No such page.")
    require(request.user, "planner.use_planner", message=services.PLANNER_ONLY)


def _run(request: HttpRequest, pk: int) -> PlanRun:
    _open_planner(request)
    return selectors.run_for(pk)


def _draft_events(programme: Programme) -> list[Event]:
    return list(
        Event.objects.filter(programme=programme, kind__in=selectors.PLANNED_KINDS)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("establishment")
        .order_by("starts_on", "establishment__name")
    )


@require_http_methods(["GET", "POST"])
def planner_home(request: HttpRequest, year: int) -> HttpResponse:
    _open_planner(request)
    programme = programme_selectors.programme_for(year)
    events = _draft_events(programme)
    form = PlanRequestForm(request.POST or None, programme=programme, events=events)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.plan_request(
                actor=signed_in_user(request), programme=programme, parameters=form.parameters()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("planner:run", pk=run.pk)
    context = {
        "programme": programme,
        "form": form,
        "runs": selectors.runs_for(programme),
        "draft_events": len(events),
    }
    return render(request, "planner/home.html", context, status=400 if form.errors else 200)


def _run_context(run: PlanRun, **extra: object) -> dict[str, object]:
    found = selectors.comparison(run)
    return {
        "run": run,
        "programme": run.programme,
        "comparison": found,
        "score_rows": selectors.score_rows(found) if found else [],
        "timeline": charts.timeline(run.result) if found else None,
        "workload": charts.workload(run.result) if found else None,
        **extra,
    }


@require_http_methods(["GET"])
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    context = _run_context(run)
    if context["comparison"] is not None:
        programme_selectors.confidential_reads_record(
            user=request.user, events=selectors.shown_events(run), path=request.path
        )
    return render(request, "planner/run.html", context)


@require_http_methods(["GET"])
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's progress, which the page asks for every 2 seconds while it searches (htmx);
    once the run has ended, htmx reloads the whole page to show what it found."""
    run = _run(request, pk)
    response = render(request, "planner/_progress.html", {"run": run})
    if not run.is_active:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def run_stop(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        services.plan_stop(actor=signed_in_user(request), run=run)
    except ValidationError as ended:
        messages.info(request, " ".join(ended.messages))
    else:
        messages.info(request, "The planner is stopping: it keeps the best plan found so far.")
    return redirect("planner:run", pk=run.pk)


@require_POST
def run_accept(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    items = None if "accept_all" in request.POST else request.POST.getlist("items")
    try:
        written = services.plan_accept(actor=signed_in_user(request), run=run, items=items)
    except ValidationError as error:
        context = _run_context(run, accept_errors=error.messages)
        return render(request, "planner/run.html", context, status=400)
    messages.success(
        request,
        f"{len(written)} event{'s' if len(written) != 1 else ''} written to the programme.",
    )
    return redirect("planner:run", pk=run.pk)
