"""Establishment and provider screens: thin, the selectors read and the services write."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.accounts.permissions import requires
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.estate import selectors, services
from inspectorate.estate.csv_schema import CONTRACT_COLUMNS, ESTABLISHMENT_COLUMNS
from inspectorate.estate.forms import ContractForm, EstablishmentFilterForm, EstablishmentForm
from inspectorate.estate.models import Establishment, ProviderContract
from inspectorate.estate.pages import establishment_page
from inspectorate.lib.csv_views import Importer, csv_download, csv_import_page
from inspectorate.lib.csvio import Column
from inspectorate.lib.form_views import form_page, saved_then_redirect, submit


def _listing(request: HttpRequest, page: Any) -> dict[str, Any]:
    """A list page's page of rows, its links to other pages, and what the user may do with
    the whole list."""
    return {
        "page": page,
        "page_links": list(
            page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ),
        "can_import": request.user.has_perm("estate.import_establishments"),
        "can_export": request.user.has_perm("estate.export_establishments"),
    }


@require_GET
@requires(
    "estate.view_establishment_list", "Only inspectorate staff see the list of establishments."
)
def establishment_list(request: HttpRequest) -> HttpResponse:
    form = EstablishmentFilterForm(request.GET or None, operators=selectors.operator_choices())
    filters = form.filters() if request.GET else selectors.EstablishmentFilters()
    page = selectors.establishment_page(request.user, filters, request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        **_listing(request, page),
    }
    return render(request, "estate/establishment_list.html", context)


@require_GET
def establishment_detail(request: HttpRequest, code: str) -> HttpResponse:
    establishment = selectors.establishment_for(request.user, code)
    context = {
        "establishment": establishment,
        "closure": establishment.closure_text() if establishment.is_closed else "",
        "facts": selectors.register_facts(request.user, establishment),
        "inspectorate": establishment.education_inspectorate,
        "contracts": selectors.establishment_contracts(establishment),
        "timeline": selectors.establishment_timeline(establishment, request.user),
        "can_edit": request.user.has_perm("estate.change_establishment"),
        "can_change_contracts": request.user.has_perm("estate.change_contract"),
        "today": timezone.localdate(),
        # The recommendation chain and the improvement cases (their apps register them).
        **establishment_page.context(establishment, request.user),
    }
    return render(request, "estate/establishment_detail.html", context)


@require_http_methods(["GET", "POST"])
@requires(
    "estate.change_establishment",
    "Only programme coordinators and system administrators change establishments.",
)
def establishment_edit(request: HttpRequest, code: str) -> HttpResponse:
    establishment = selectors.establishment_for(request.user, code)
    outcome = submit(
        request,
        lambda data: (
            EstablishmentForm(data)
            if data is not None
            else EstablishmentForm.for_establishment(establishment)
        ),
        lambda data: services.establishment_update(
            actor=signed_in_user(request),
            establishment=establishment,
            version=data["version"],
            values=data,
        ),
    )
    if outcome.saved:
        return _saved_at(request, f"{establishment.name} saved", establishment)
    form = cast(EstablishmentForm, outcome.form)
    stale = cast(Establishment, outcome.stale.record) if outcome.stale else None
    context = {
        "establishment": stale or establishment,
        "form": form,
        "differences": _differences(form, stale) if stale else [],
    }
    return render(request, "estate/establishment_edit.html", context, status=outcome.status)


def _saved_at(request: HttpRequest, message: str, establishment: Establishment) -> HttpResponse:
    return saved_then_redirect(
        request, message, "estate:establishment-detail", code=establishment.code
    )


def _differences(form: EstablishmentForm, current: Establishment) -> list[dict[str, str]]:
    """Each field where what the user typed differs from what is now saved."""
    rows = []
    for name in services.EDITABLE_FIELDS:
        mine = form.cleaned_data.get(name)
        saved = getattr(current, name)
        if (mine or None) != (saved or None):
            field = form.fields[name]
            display = getattr(current, f"get_{name}_display", None)
            rows.append(
                {
                    "label": str(field.label),
                    "saved": str((display() if display else saved) or "Not set"),
                    "mine": _display(field, mine),
                }
            )
    return rows


def _display(field: Any, value: Any) -> str:
    if value in (None, ""):
        return "Not set"
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(value, value))


View = Callable[[HttpRequest], HttpResponse]


def _export(what: str, filename: str, rows: Callable[[Any], str]) -> View:
    """The view downloading `what` as a CSV file (`rows` writes it for the user), for
    inspectorate staff."""

    @require_GET
    @requires("estate.export_establishments", f"Only inspectorate staff export {what}.")
    def export(request: HttpRequest) -> HttpResponse:
        return csv_download(filename, rows(request.user))

    return export


def _import(what: str, columns: Sequence[Column], importer: Importer, back_to: str) -> View:
    """The page importing `what` from a CSV file, for coordinators and administrators."""

    @require_http_methods(["GET", "POST"])
    @requires(
        "estate.import_establishments",
        f"Only programme coordinators and system administrators import {what}.",
    )
    def import_page(request: HttpRequest) -> HttpResponse:
        return csv_import_page(
            request,
            title=f"Import {what}",
            columns=columns,
            importer=importer,
            back_url=reverse(back_to),
        )

    return import_page


establishment_export = _export(
    "establishments", "establishments.csv", selectors.establishments_export_csv
)
establishment_import = _import(
    "establishments",
    ESTABLISHMENT_COLUMNS,
    services.establishments_import,
    "estate:establishment-list",
)
contract_export = _export("contracts", "provider-contracts.csv", selectors.contracts_export_csv)
contract_import = _import(
    "provider contracts", CONTRACT_COLUMNS, services.contracts_import, "estate:provider-list"
)


@require_http_methods(["GET", "POST"])
@requires(
    "estate.change_contract",
    "Only programme coordinators and system administrators change provider contracts.",
)
def contract_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Add a provider's contract at an establishment, or edit one (with its version)."""
    establishment = selectors.establishment_for(request.user, code)
    contract: ProviderContract | None = None
    if pk is not None:
        contract = get_object_or_404(
            ProviderContract.objects.select_related("provider", "establishment"),
            pk=pk,
            establishment=establishment,
        )

    def make_form(data: Any) -> ContractForm:
        if data is None and contract is not None:
            return ContractForm.for_contract(contract)
        return ContractForm(data)

    def save(data: dict[str, Any]) -> object:
        if contract is None:
            return services.contract_create(
                actor=signed_in_user(request), establishment=establishment, values=data
            )
        return services.contract_update(
            actor=signed_in_user(request),
            contract=contract,
            version=data["version"] or 0,
            values=data,
        )

    return form_page(
        request,
        make_form,
        save,
        done=lambda _: _saved_at(request, f"Contract at {establishment.name} saved", establishment),
        template="estate/contract_edit.html",
        context={
            "establishment": establishment,
            "contract": contract,
            "provider_names": selectors.provider_names(),
        },
    )


@require_GET
@requires("estate.view_provider_list", "Only inspectorate staff see the list of providers.")
def provider_list(request: HttpRequest) -> HttpResponse:
    page = selectors.provider_page(request.user, request.GET.get("page"))
    return render(request, "estate/provider_list.html", _listing(request, page))


@require_GET
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_for(request.user, pk)
    context = {
        "provider": provider,
        "contracts": selectors.provider_contracts(provider, request.user),
    }
    return render(request, "estate/provider_detail.html", context)
