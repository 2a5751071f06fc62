"""The pages that edit a report's parts (the signature, the team list, the glossary, the
about text, and an IRP's areas and theme references). Thin: part_services writes and
refuses; a stale save answers 409 and keeps what was typed. Only those who may edit the
report (`reports.edit`) open them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.inspections.constants import FollowUpKind
from inspectorate.inspections.models import FollowUp, Recommendation
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import apply_errors, form_status
from inspectorate.lib.versions import StaleVersion
from inspectorate.reports import documents, part_services, parts, selectors
from inspectorate.reports.constants import ReportKind
from inspectorate.reports.forms import VersionForm
from inspectorate.reports.models import Report
from inspectorate.reports.part_forms import (
    AboutForm,
    GlossaryFormSet,
    ItemsForm,
    SignatureForm,
    TeamFormSet,
)
from inspectorate.reports.workflow_views import TAB, _stale

Write = Callable[[], Any]


def _editable(request: HttpRequest, pk: int, *, irp: bool = False) -> Report:
    report = selectors.report_for(request.user, pk)
    if not request.user.has_perm("reports.edit", report):
        raise PermissionDenied("You may not edit this report now.")
    if irp and report.kind != ReportKind.IRP_REPORT:
        raise PermissionDenied("Only an IRP report has this part.")
    return report


def _page(
    request: HttpRequest,
    report: Report,
    form: Form,
    write: Write | None,
    *,
    template: str,
    done: str,
    on_stale: Callable[[StaleVersion], None] | None = None,
    **values: Any,
) -> HttpResponse:
    """Save when `write` is given (the forms are valid), else show the page."""
    stale = False
    if request.method == "POST" and write is not None:
        try:
            write()
        except StaleVersion as error:
            stale = True
            (on_stale or (lambda e: _stale(form, e)))(error)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("reports:parts", pk=report.pk)
    context = tab_context(request, report.event, TAB, report=report, form=form, stale=stale)
    context.update(values)
    invalid = request.method == "POST" and write is None
    status = form_status(form, stale) if not invalid else 400
    return render(request, template, context, status=status)


@require_http_methods(["GET"])
def report_parts(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk)
    context = tab_context(
        request,
        report.event,
        TAB,
        report=report,
        signature=parts.signature(report),
        team=parts.team_rows(report),
        irp=report.kind == ReportKind.IRP_REPORT,
    )
    return render(request, "reports/parts/index.html", context)


@require_http_methods(["GET", "POST"])
def signature_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk, irp=True)
    month = report.month
    initial = {
        "version": report.version,
        "signatory": report.signatory,
        "month": month.month,
        "year": month.year,
    }
    form = SignatureForm(request.POST or None, initial=initial)
    write = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def write() -> Any:
            return part_services.report_signature_update(
                actor=signed_in_user(request),
                report=report,
                signatory=data["signatory"],
                report_month=date(data["year"], data["month"], 1),
                version=data["version"],
            )

    return _page(
        request,
        report,
        form,
        write,
        template="reports/parts/signature.html",
        done="Signature saved.",
        default_signatory=parts.defaults()["signatory"],
    )


@require_http_methods(["GET", "POST"])
def about_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk, irp=True)
    form = AboutForm(
        request.POST or None,
        initial={"version": report.version, "text": parts.about_text(report)},
    )
    write = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def write() -> Any:
            return part_services.report_about_update(
                actor=signed_in_user(request),
                report=report,
                text=data["text"],
                version=data["version"],
            )

    return _page(
        request,
        report,
        form,
        write,
        template="reports/parts/about.html",
        done="'About this report' saved.",
    )


def glossary_now(report: Report) -> list[tuple[str, str]]:
    """The glossary the report shows now (the default terms its text uses until edited)."""
    document = documents.build(report)
    text = documents.sections_text([s for s in document.sections if s.title != "Glossary"])
    return parts.glossary_items(report, text)


@require_http_methods(["GET", "POST"])
def glossary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk, irp=True)
    form = _version_form(request, report)
    entries = GlossaryFormSet(
        request.POST or None,
        prefix="terms",
        initial=[{"term": t, "definition": d} for t, d in glossary_now(report)],
    )
    write = None
    if request.method == "POST" and form.is_valid() and entries.is_valid():
        version = form.cleaned_data["version"]
        typed = [(e.get("term", ""), e.get("definition", "")) for e in entries.cleaned_data]

        def write() -> Any:
            return part_services.report_glossary_update(
                actor=signed_in_user(request), report=report, entries=typed, version=version
            )

    return _page(
        request,
        report,
        form,
        write,
        template="reports/parts/glossary.html",
        done="Glossary saved.",
        entries=entries,
    )


def _version_form(request: HttpRequest, report: Report) -> Form:
    return VersionForm(request.POST or None, initial={"version": report.version})


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk)
    form = _version_form(request, report)
    rows = parts.team_rows(report)
    initial = [
        {"key": row.key, "position": index, "name": row.name, "role": row.role}
        for index, row in enumerate(rows, start=1)
    ]
    initial.append({"key": "", "position": len(rows) + 1, "name": "", "role": ""})
    entries = TeamFormSet(request.POST or None, prefix="team", initial=initial)
    shown = {row.key: row for row in rows}
    write = None
    if request.method == "POST" and form.is_valid() and entries.is_valid():
        version = form.cleaned_data["version"]
        typed = [
            part_services.TeamEntry(
                key=e.get("key", ""),
                position=e.get("position") or 999,
                name=e.get("name", ""),
                role=e.get("role", ""),
                remove=bool(e.get("remove")),
            )
            for e in entries.cleaned_data
        ]

        def write() -> Any:
            return part_services.report_team_update(
                actor=signed_in_user(request), report=report, entries=typed, version=version
            )

    return _page(
        request,
        report,
        form,
        write,
        template="reports/parts/team.html",
        done="Team list saved.",
        entries=entries,
        rows=[(entry, shown.get(entry["key"].value() or "")) for entry in entries],
    )


def _items(report: Report) -> tuple[list[FollowUp], list[Recommendation]]:
    items = list(
        FollowUp.objects.filter(event=report.event)
        .select_related("recommendation")
        .prefetch_related("from_recommendations")
        .order_by("kind", "position", "pk")
    )
    sources = list(
        Recommendation.objects.filter(event__pk=report.event.follows_up_id or 0).order_by(
            "position", "pk"
        )
    )
    return items, sources


def _item_initial(item: FollowUp) -> dict[str, Any]:
    if item.kind == FollowUpKind.RECOMMENDATION and item.recommendation is not None:
        return {
            f"version_{item.pk}": item.recommendation.version,
            f"area_{item.pk}": item.recommendation.area,
        }
    return {
        f"version_{item.pk}": item.version,
        f"reference_{item.pk}": item.paragraph_reference,
        f"sources_{item.pk}": [str(r.pk) for r in item.from_recommendations.all()],
    }


@require_http_methods(["GET", "POST"])
def items_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk, irp=True)
    items, sources = _items(report)
    initial: dict[str, Any] = {}
    for item in items:
        initial.update(_item_initial(item))
    form = ItemsForm(request.POST or None, initial=initial, items=items, sources=sources)
    write = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = [
            part_services.ItemChange(
                follow_up_id=item.pk,
                version=data.get(f"version_{item.pk}"),
                area=data.get(f"area_{item.pk}", ""),
                paragraph_reference=data.get(f"reference_{item.pk}", ""),
                from_recommendations=tuple(data.get(f"sources_{item.pk}", [])),
            )
            for item in items
        ]

        def write() -> Any:
            return part_services.report_items_update(
                actor=signed_in_user(request), report=report, changes=changes
            )

    def on_stale(error: StaleVersion) -> None:
        # Keep what was typed; carry every record's saved version, so that submitting
        # again replaces what is saved now.
        form.add_error(None, str(error))
        fresh, _ = _items(report)
        copy = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict on a POST
        for item in fresh:
            copy[f"version_{item.pk}"] = str(_item_initial(item)[f"version_{item.pk}"])
        form.data = copy

    return _page(
        request,
        report,
        form,
        write,
        template="reports/parts/items.html",
        done="Areas and theme references saved.",
        on_stale=on_stale,
    )
