"""The pages that edit a report's parts (the signature, the team list, the glossary, the
about text, and an IRP's areas and theme references). Thin: part_services writes and
refuses; a stale save answers 409 and keeps what was typed. Only those who may edit the
report (`reports.edit`) open them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.inspections.constants import FollowUpKind
from inspectorate.inspections.models import FollowUp, Recommendation
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import at_version, saved_then_redirect, submit
from inspectorate.reports import documents, part_services, parts
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
from inspectorate.reports.workflow_views import TAB, report_allowed

Save = Callable[[dict[str, Any]], Any]


def _editable(request: HttpRequest, pk: int, *, irp: bool = False) -> Report:
    report = report_allowed(request, pk, "reports.edit", "You may not edit this report now.")
    if irp and report.kind != ReportKind.IRP_REPORT:
        raise PermissionDenied("Only an IRP report has this part.")
    return report


def _page(
    request: HttpRequest,
    report: Report,
    make_form: Callable[[Any], BaseForm],
    save: Save,
    *,
    template: str,
    done: str,
    on_stale: Callable[[BaseForm], None] | None = None,
    **values: Any,
) -> HttpResponse:
    """A part's page: a valid POST (with its `entries`, if any) is saved, then back to the
    parts; else the page again. `on_stale` updates a form restaled with the saved version
    when the form carries other records' versions too."""
    entries: BaseFormSet | None = values.get("entries")
    if request.method == "POST" and entries is not None and not entries.is_valid():
        return _render(
            request, report, make_form(request.POST), template, 400, stale=False, **values
        )
    outcome = submit(request, make_form, save)
    if outcome.saved:
        return saved_then_redirect(request, done, "reports:parts", pk=report.pk)
    if outcome.stale is not None and on_stale is not None:
        on_stale(outcome.form)
    stale = outcome.stale is not None
    return _render(request, report, outcome.form, template, outcome.status, stale=stale, **values)


def _render(
    request: HttpRequest, report: Report, form: BaseForm, template: str, status: int, **values: Any
) -> HttpResponse:
    context = tab_context(request, report.event, TAB, report=report, form=form, **values)
    return render(request, template, context, status=status)


def _entries_page(
    request: HttpRequest,
    report: Report,
    entries: BaseFormSet,
    typed: Callable[[dict[str, Any]], Any],
    update: Callable[..., Any],
    *,
    template: str,
    done: str,
    **values: Any,
) -> HttpResponse:
    """A page of `entries` (a formset), saved by `update(actor=, report=, entries=, version=)`
    with each entry's cleaned data made `typed`."""

    def save(data: dict[str, Any]) -> Any:
        return update(
            actor=signed_in_user(request),
            report=report,
            entries=[typed(entry) for entry in entries.cleaned_data],
            version=data["version"],
        )

    return _page(
        request,
        report,
        at_version(VersionForm, report),
        save,
        template=template,
        done=done,
        entries=entries,
        **values,
    )


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
    return _page(
        request,
        report,
        partial(SignatureForm, initial=initial),
        lambda data: part_services.report_signature_update(
            actor=signed_in_user(request),
            report=report,
            signatory=data["signatory"],
            report_month=date(data["year"], data["month"], 1),
            version=data["version"],
        ),
        template="reports/parts/signature.html",
        done="Signature saved.",
        default_signatory=parts.defaults()["signatory"],
    )


@require_http_methods(["GET", "POST"])
def about_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk, irp=True)
    return _page(
        request,
        report,
        partial(AboutForm, initial={"version": report.version, "text": parts.about_text(report)}),
        lambda data: part_services.report_about_update(
            actor=signed_in_user(request), report=report, text=data["text"], version=data["version"]
        ),
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
    entries = GlossaryFormSet(
        request.POST or None,
        prefix="terms",
        initial=[{"term": t, "definition": d} for t, d in glossary_now(report)],
    )

    return _entries_page(
        request,
        report,
        entries,
        lambda e: (e.get("term", ""), e.get("definition", "")),
        part_services.report_glossary_update,
        template="reports/parts/glossary.html",
        done="Glossary saved.",
    )


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk)
    rows = parts.team_rows(report)
    initial = [
        {"key": row.key, "position": index, "name": row.name, "role": row.role}
        for index, row in enumerate(rows, start=1)
    ]
    initial.append({"key": "", "position": len(rows) + 1, "name": "", "role": ""})
    entries = TeamFormSet(request.POST or None, prefix="team", initial=initial)
    shown = {row.key: row for row in rows}

    return _entries_page(
        request,
        report,
        entries,
        lambda e: part_services.TeamEntry(
            key=e.get("key", ""),
            position=e.get("position") or 999,
            name=e.get("name", ""),
            role=e.get("role", ""),
            remove=bool(e.get("remove")),
        ),
        part_services.report_team_update,
        template="reports/parts/team.html",
        done="Team list saved.",
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

    def save(data: dict[str, Any]) -> Any:
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
        return part_services.report_items_update(
            actor=signed_in_user(request), report=report, changes=changes
        )

    def carry_saved_versions(form: BaseForm) -> None:
        # Keep what was typed; carry every record's saved version, so that submitting
        # again replaces what is saved now.
        fresh, _ = _items(report)
        copy = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict on a POST
        for item in fresh:
            copy[f"version_{item.pk}"] = str(_item_initial(item)[f"version_{item.pk}"])
        form.data = copy

    return _page(
        request,
        report,
        partial(ItemsForm, initial=initial, items=items, sources=sources),
        save,
        template="reports/parts/items.html",
        done="Areas and theme references saved.",
        on_stale=carry_saved_versions,
    )
